"use client";
// One card: its owner (from the chain), metrics, the active listing (buy), listing it
// for sale when you hold it, and its sales.
import { CardArt, RarityBadge } from "../components/card-tile";
import { BuyButton, CancelButton, ListForm } from "../components/market-actions";
import { TxStatus } from "../components/tx-status";
import { Address, Badge, Empty, ErrorNote, Loading, Panel, TextLink } from "../components/ui";
import { type Page, query } from "../lib/api";
import { useLiveEvents } from "../lib/events";
import { formatDate, formatToken } from "../lib/format";
import { useSession } from "../lib/session";
import { useChainAction } from "../lib/tx";
import type { CardDetail, Listing, Sale } from "../lib/types";
import { useApi } from "../lib/use-api";

export function CardView({ id }: { id: string }) {
  const { session } = useSession();
  const action = useChainAction();
  const card = useApi<CardDetail>(`/api/v1/cards/${encodeURIComponent(id)}`);
  const listings = useApi<Page<Listing>>(
    card.data ? `/api/v1/marketplace/listings${query({ cardId: card.data.id, status: "active" })}` : null,
  );
  const sales = useApi<Page<Sale>>(
    card.data ? `/api/v1/marketplace/sales${query({ cardId: card.data.id, limit: 20 })}` : null,
  );
  const refresh = () => {
    card.reload();
    listings.reload();
    sales.reload();
  };
  useLiveEvents(["sale.completed", "listing.active", "listing.cancelled"], (e) => {
    const data = e.data as { cardId?: string; card?: { id: string } };
    if (data.cardId === card.data?.id || data.card?.id === card.data?.id) refresh();
  });

  if (card.error) return <ErrorNote error={card.error} />;
  if (!card.data) return <Loading rows={6} />;
  const c = card.data;
  const listing = listings.data?.items[0];
  const mine = !!session && c.owner === session.wallet;

  return (
    <div
      className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
      data-testid="card-detail"
      data-card-id={c.id}
    >
      <div>
        <CardArt name={c.name} rarity={c.rarity} imageUrl={c.imageUrl} />
      </div>
      <div className="space-y-5">
        <div>
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-3xl font-bold text-white" data-testid="card-title">
              {c.name}
            </h1>
            <RarityBadge rarity={c.rarity} />
          </div>
          <p className="mt-1 text-slate-400">
            {c.company.name} · {c.company.ticker} · {c.sector}
          </p>
        </div>
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <div className="rounded-xl bg-white/5 p-3">
            <dt className="text-xs text-slate-400">
              Owner {c.ownerSource === "mirror" && <Badge tone="amber">from the mirror</Badge>}
            </dt>
            <dd className="mt-1 text-white">
              {c.owner ? <Address value={c.owner} chars={6} testId="card-owner" /> : "—"}{" "}
              {mine && <Badge tone="green">you</Badge>}
            </dd>
          </div>
          <div className="rounded-xl bg-white/5 p-3">
            <dt className="text-xs text-slate-400">Mint</dt>
            <dd className="mt-1 text-white">
              <Address value={c.mint} chars={6} />
            </dd>
          </div>
          {Object.entries(c.metrics).map(([k, v]) => (
            <div key={k} className="rounded-xl bg-white/5 p-3">
              <dt className="text-xs text-slate-400">{k}</dt>
              <dd className="mt-1 text-white">{String(v)}</dd>
            </div>
          ))}
        </dl>
        <Panel title="For sale" testId="card-listing">
          {!listings.data ? (
            <Loading rows={1} />
          ) : listing ? (
            <div className="space-y-3">
              <p className="text-sm text-slate-300">
                Listed by <Address value={listing.seller} /> for{" "}
                <strong className="text-white">
                  {formatToken(listing.price)} {listing.currency}
                </strong>{" "}
                (fee {formatToken(listing.fee)} to the treasury)
              </p>
              {listing.seller === session?.wallet ? (
                <CancelButton listing={listing} action={action} onDone={refresh} />
              ) : (
                <BuyButton listing={listing} action={action} onDone={refresh} />
              )}
            </div>
          ) : mine ? (
            <ListForm cardId={c.id} action={action} onDone={refresh} />
          ) : (
            <Empty>Not for sale.</Empty>
          )}
          <TxStatus stage={action.stage} />
        </Panel>
        <Panel title="Sales">
          {!sales.data ? (
            <Loading rows={2} />
          ) : sales.data.items.length === 0 ? (
            <Empty>Never sold on the marketplace.</Empty>
          ) : (
            <ul className="divide-y divide-white/5 text-sm">
              {sales.data.items.map((s) => (
                <li
                  key={s.id}
                  className="flex flex-wrap items-center justify-between gap-2 py-2"
                  data-testid="card-sale"
                >
                  <span>
                    <Address value={s.seller} /> → <Address value={s.buyer} />
                  </span>
                  <span className="tabular-nums text-white">
                    {formatToken(s.price)} {s.currency}
                  </span>
                  <span className="text-xs text-slate-500">{formatDate(s.soldAt)}</span>
                  <TextLink href={`/explorer/${s.signature}`}>transaction</TextLink>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </div>
  );
}
