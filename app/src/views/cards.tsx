"use client";
// The card gallery: filters (search, sector, rarity, mine), sorts, cursor pages.
import { useState } from "react";
import { CardTile } from "../components/card-tile";
import { Empty, ErrorNote, inputClass, Loading, LoadMore, PageHeader } from "../components/ui";
import { type Page, query } from "../lib/api";
import { useSession } from "../lib/session";
import type { Card, Company } from "../lib/types";
import { useApi } from "../lib/use-api";
import { usePaged } from "../lib/use-paged";

const RARITIES = ["common", "rare", "epic", "legendary"] as const;

export function CardsGallery() {
  const { session } = useSession();
  const [q, setQ] = useState("");
  const [sector, setSector] = useState("");
  const [rarity, setRarity] = useState("");
  const [sort, setSort] = useState("newest");
  const [mine, setMine] = useState(false);
  const companies = useApi<Page<Company>>("/api/v1/companies?limit=200");
  const sectors = [...new Set((companies.data?.items ?? []).map((c) => c.sector))].sort();
  const cards = usePaged<Card>(
    `/api/v1/cards${query({ q: q.trim(), sector, rarity, sort, owner: mine ? session?.wallet : undefined, limit: 24 })}`,
  );

  return (
    <div>
      <PageHeader
        title="Cards"
        subtitle="Every company card minted on the platform. The owner shown is read from the chain."
      />
      <form
        className="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-5"
        onSubmit={(e) => e.preventDefault()}
        aria-label="Filter cards"
      >
        <label className="lg:col-span-2">
          <span className="sr-only">Search by name</span>
          <input
            className={inputClass}
            placeholder="Search cards…"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="cards-search"
          />
        </label>
        <label>
          <span className="sr-only">Sector</span>
          <select
            className={inputClass}
            value={sector}
            onChange={(e) => setSector(e.target.value)}
            data-testid="cards-sector"
          >
            <option value="">All sectors</option>
            {sectors.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">Rarity</span>
          <select
            className={inputClass}
            value={rarity}
            onChange={(e) => setRarity(e.target.value)}
            data-testid="cards-rarity"
          >
            <option value="">Any rarity</option>
            {RARITIES.map((r) => (
              <option key={r} value={r}>
                {r[0]?.toUpperCase()}
                {r.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <div className="flex gap-3">
          <label className="flex-1">
            <span className="sr-only">Sort</span>
            <select
              className={inputClass}
              value={sort}
              onChange={(e) => setSort(e.target.value)}
              data-testid="cards-sort"
            >
              <option value="newest">Newest</option>
              <option value="name">Name</option>
              <option value="rarity">Rarity</option>
            </select>
          </label>
          {session && (
            <label className="flex items-center gap-2 text-sm text-slate-300">
              <input
                type="checkbox"
                checked={mine}
                onChange={(e) => setMine(e.target.checked)}
                data-testid="cards-mine"
                className="accent-indigo-500"
              />
              Mine
            </label>
          )}
        </div>
      </form>
      {cards.error ? (
        <ErrorNote error={cards.error} />
      ) : !cards.items ? (
        <Loading rows={4} />
      ) : cards.items.length === 0 ? (
        <Empty testId="cards-empty">No card matches these filters.</Empty>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="cards-grid">
            {cards.items.map((c) => (
              <CardTile key={c.id} card={c} />
            ))}
          </div>
          {cards.hasMore && <LoadMore onClick={cards.loadMore} busy={cards.busy} />}
        </>
      )}
    </div>
  );
}
