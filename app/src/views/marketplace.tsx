"use client";
// The marketplace: active listings (buy), your listings (cancel), list a card you hold,
// recent sales; listings and sales appear live.
import Link from "next/link";
import { useState } from "react";
import { RarityBadge } from "../components/card-tile";
import { BuyButton, CancelButton, ListForm } from "../components/market-actions";
import { TxStatus } from "../components/tx-status";
import {
  Address,
  Badge,
  Empty,
  ErrorNote,
  inputClass,
  Loading,
  LoadMore,
  PageHeader,
  Panel,
  type Tone,
} from "../components/ui";
import { type Page, query } from "../lib/api";
import { useLiveEvents } from "../lib/events";
import { formatDate, formatToken } from "../lib/format";
import { useSession } from "../lib/session";
import { type ChainAction, useChainAction } from "../lib/tx";
import type { Card, Listing, Sale } from "../lib/types";
import { useApi } from "../lib/use-api";
import { usePaged } from "../lib/use-paged";

const STATUS_TONE: Record<Listing["status"], Tone> = {
  active: "green",
  sold: "indigo",
  cancelled: "slate",
  expired: "amber",
};

export function Marketplace() {
  const { session } = useSession();
  const [currency, setCurrency] = useState("");
  const action = useChainAction();
  const active = usePaged<Listing>(`/api/v1/marketplace/listings${query({ status: "active", currency, limit: 24 })}`);
  const mine = useApi<Page<Listing>>(
    session ? `/api/v1/marketplace/listings${query({ seller: session.wallet, limit: 50 })}` : null,
  );
  const sales = useApi<Page<Sale>>(`/api/v1/marketplace/sales${query({ limit: 10 })}`);
  const refresh = () => {
    active.reload();
    mine.reload();
    sales.reload();
  };
  useLiveEvents(["listing.active", "listing.cancelled", "sale.completed"], refresh);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Marketplace"
        subtitle="Buy and sell company cards in USDC or ECE. Every sale pays a fee into the treasury, which pays companies weekly."
      >
        <label>
          <span className="sr-only">Currency</span>
          <select
            className={inputClass}
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            data-testid="market-currency"
          >
            <option value="">All currencies</option>
            <option value="USDC">USDC</option>
            <option value="ECE">ECE</option>
          </select>
        </label>
      </PageHeader>
      <TxStatus stage={action.stage} />
      <Panel title="Listings" testId="listings">
        {active.error ? (
          <ErrorNote error={active.error} />
        ) : !active.items ? (
          <Loading rows={4} />
        ) : active.items.length === 0 ? (
          <Empty testId="listings-empty">No card is for sale right now.</Empty>
        ) : (
          <>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {active.items.map((l) => (
                <article
                  key={l.id}
                  className="rounded-xl border border-white/10 bg-white/[0.03] p-4"
                  data-testid="listing-row"
                  data-listing-id={l.id}
                  data-card-id={l.card.id}
                >
                  <div className="flex items-start justify-between gap-2">
                    <div className="min-w-0">
                      <Link
                        href={`/cards/${l.card.id}`}
                        className="block truncate font-semibold text-white hover:underline"
                      >
                        {l.card.name}
                      </Link>
                      <p className="text-xs text-slate-400">{l.card.sector}</p>
                    </div>
                    <RarityBadge rarity={l.card.rarity} />
                  </div>
                  <p
                    className="mt-3 text-2xl font-semibold tabular-nums text-white"
                    data-testid="listing-price"
                    data-amount={l.price}
                  >
                    {formatToken(l.price)} <span className="text-sm text-slate-400">{l.currency}</span>
                  </p>
                  <p className="mb-3 text-xs text-slate-500">
                    Seller <Address value={l.seller} /> · fee {formatToken(l.fee)} {l.currency}
                  </p>
                  {l.seller === session?.wallet ? (
                    <CancelButton listing={l} action={action} onDone={refresh} />
                  ) : (
                    <BuyButton listing={l} action={action} onDone={refresh} />
                  )}
                </article>
              ))}
            </div>
            {active.hasMore && <LoadMore onClick={active.loadMore} busy={active.busy} />}
          </>
        )}
      </Panel>
      {session && (
        <div className="grid gap-6 lg:grid-cols-2">
          <Panel title="My listings" testId="my-listings">
            {!mine.data ? (
              <Loading rows={2} />
            ) : mine.data.items.length === 0 ? (
              <Empty testId="my-listings-empty">You have listed nothing yet.</Empty>
            ) : (
              <ul className="divide-y divide-white/5">
                {mine.data.items.map((l) => (
                  <li
                    key={l.id}
                    className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm"
                    data-testid="my-listing-row"
                    data-listing-id={l.id}
                  >
                    <Link href={`/cards/${l.card.id}`} className="font-medium text-white hover:underline">
                      {l.card.name}
                    </Link>
                    <span className="tabular-nums">
                      {formatToken(l.price)} {l.currency}
                    </span>
                    <Badge tone={STATUS_TONE[l.status]} testId="my-listing-status">
                      {l.status}
                      {l.status === "active" && l.approval === "pending" ? " · approval pending" : ""}
                    </Badge>
                    {l.status === "active" && <CancelButton listing={l} action={action} onDone={refresh} />}
                  </li>
                ))}
              </ul>
            )}
          </Panel>
          <SellPanel
            action={action}
            wallet={session.wallet}
            listed={new Set((mine.data?.items ?? []).filter((l) => l.status === "active").map((l) => l.card.id))}
            onDone={refresh}
          />
        </div>
      )}
      <Panel title="Recent sales" testId="sales">
        {!sales.data ? (
          <Loading rows={3} />
        ) : sales.data.items.length === 0 ? (
          <Empty testId="sales-empty">No sale yet.</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">When</th>
                  <th className="py-2 pr-4 font-medium">Seller</th>
                  <th className="py-2 pr-4 font-medium">Buyer</th>
                  <th className="py-2 pr-4 text-right font-medium">Price</th>
                  <th className="py-2 text-right font-medium">Fee</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-white/5">
                {sales.data.items.map((s) => (
                  <tr key={s.id} data-testid="sale-row" data-signature={s.signature}>
                    <td className="py-2 pr-4 text-slate-400">{formatDate(s.soldAt)}</td>
                    <td className="py-2 pr-4">
                      <Address value={s.seller} />
                    </td>
                    <td className="py-2 pr-4">
                      <Address value={s.buyer} />
                    </td>
                    <td className="py-2 pr-4 text-right tabular-nums text-white">
                      {formatToken(s.price)} {s.currency}
                    </td>
                    <td className="py-2 text-right tabular-nums" data-testid="sale-fee" data-amount={s.fee}>
                      {formatToken(s.fee)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}

function SellPanel({
  action,
  wallet,
  listed,
  onDone,
}: {
  action: ChainAction;
  wallet: string;
  listed: Set<string>;
  onDone: () => void;
}) {
  const cards = useApi<Page<Card>>(`/api/v1/cards${query({ owner: wallet, limit: 200 })}`);
  const [cardId, setCardId] = useState("");
  const sellable = (cards.data?.items ?? []).filter((c) => !listed.has(c.id));
  return (
    <Panel title="Sell a card" testId="sell">
      {!cards.data ? (
        <Loading rows={2} />
      ) : sellable.length === 0 ? (
        <Empty testId="sell-empty">You hold no card that is not already listed.</Empty>
      ) : (
        <div className="space-y-3">
          <label className="block text-sm">
            <span className="mb-1 block font-medium text-slate-300">Card</span>
            <select
              className={inputClass}
              value={cardId}
              onChange={(e) => setCardId(e.target.value)}
              data-testid="sell-card"
            >
              <option value="">Choose a card…</option>
              {sellable.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.rarity})
                </option>
              ))}
            </select>
          </label>
          {cardId && (
            <ListForm
              key={cardId}
              cardId={cardId}
              action={action}
              onDone={() => {
                setCardId("");
                cards.reload();
                onDone();
              }}
            />
          )}
        </div>
      )}
    </Panel>
  );
}
