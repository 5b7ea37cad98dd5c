"use client";
// Dashboard: balances from the chain, the cards the wallet holds, recent activity; live.
import Link from "next/link";
import { CardTile } from "../components/card-tile";
import { Address, Badge, Button, Empty, ErrorNote, Loading, PageHeader, Panel, Stat } from "../components/ui";
import type { Page } from "../lib/api";
import { query } from "../lib/api";
import { useLiveEvents } from "../lib/events";
import { formatDate, formatToken, formatUnits, SOL_DECIMALS } from "../lib/format";
import { useSession } from "../lib/session";
import type { Balances, Battle, Card, Listing, Notification, Sale } from "../lib/types";
import { useApi } from "../lib/use-api";
import { useWallet } from "../wallet/context";

export function Dashboard() {
  const { session } = useSession();
  return session ? <Signed wallet={session.wallet} /> : <Welcome />;
}

function Welcome() {
  const { openConnect } = useWallet();
  const listings = useApi<Page<Listing>>(`/api/v1/marketplace/listings${query({ status: "active", limit: 4 })}`);
  const battles = useApi<Page<Battle>>(`/api/v1/battles${query({ status: "live", limit: 4 })}`);
  return (
    <div className="space-y-10">
      <section className="rounded-3xl border border-white/10 bg-gradient-to-br from-indigo-500/20 via-slate-900 to-emerald-500/10 px-6 py-14 sm:px-12">
        <p className="text-sm font-semibold uppercase tracking-widest text-indigo-300">On Solana</p>
        <h1 className="mt-3 max-w-2xl text-4xl font-bold tracking-tight text-white sm:text-5xl">
          Collect the companies you believe in.
        </h1>
        <p className="mt-4 max-w-xl text-slate-300">
          Company cards you own on chain, a marketplace whose fees fund a multisig treasury, and M&amp;A battles decided
          by ECE holders. Companies are paid every week, after compliance checks, in the open.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Button onClick={openConnect} data-testid="hero-connect">
            Connect wallet
          </Button>
          <Link
            href="/cards"
            className="rounded-lg border border-white/15 px-3.5 py-2 text-sm font-semibold text-white hover:bg-white/10"
          >
            Browse cards
          </Link>
        </div>
      </section>
      <div className="grid gap-6 md:grid-cols-2">
        <Panel title="On the market now">
          {listings.error ? (
            <ErrorNote error={listings.error} />
          ) : !listings.data ? (
            <Loading />
          ) : listings.data.items.length === 0 ? (
            <Empty>No card is for sale right now.</Empty>
          ) : (
            <ul className="divide-y divide-white/5">
              {listings.data.items.map((l) => (
                <li key={l.id} className="flex items-center justify-between py-2 text-sm">
                  <Link href={`/cards/${l.card.id}`} className="text-white hover:underline">
                    {l.card.name}
                  </Link>
                  <span className="tabular-nums text-slate-300">
                    {formatToken(l.price)} {l.currency}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel title="Live battles">
          {battles.error ? (
            <ErrorNote error={battles.error} />
          ) : !battles.data ? (
            <Loading />
          ) : battles.data.items.length === 0 ? (
            <Empty>No battle is live right now.</Empty>
          ) : (
            <ul className="divide-y divide-white/5">
              {battles.data.items.map((b) => (
                <li key={b.id} className="py-2 text-sm">
                  <Link href={`/battles/${b.id}`} className="text-white hover:underline">
                    {b.title}
                  </Link>
                  <span className="ml-2 text-slate-400">
                    {b.cardA.name} vs {b.cardB.name}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </div>
  );
}

type Activity = { at: string; key: string; text: React.ReactNode; tone: "green" | "indigo" | "slate" };

function Signed({ wallet }: { wallet: string }) {
  const balances = useApi<Balances>("/api/v1/users/me/balances");
  const cards = useApi<Page<Card>>(`/api/v1/cards${query({ owner: wallet, limit: 12 })}`);
  const bought = useApi<Page<Sale>>(`/api/v1/marketplace/sales${query({ buyer: wallet, limit: 10 })}`);
  const sold = useApi<Page<Sale>>(`/api/v1/marketplace/sales${query({ seller: wallet, limit: 10 })}`);
  const notes = useApi<Page<Notification>>(`/api/v1/users/me/notifications${query({ limit: 10 })}`);

  // A sale, a payout or a transfer changes balances and holdings: read them again.
  useLiveEvents(["sale.completed", "PayoutPaid", "Minted", "Burned", "ProposalExecuted"], () => {
    balances.reload();
    cards.reload();
    bought.reload();
    sold.reload();
    notes.reload();
  });

  const activity: Activity[] = [
    ...(bought.data?.items ?? []).map((s) => ({
      at: s.soldAt,
      key: `b${s.id}`,
      tone: "indigo" as const,
      text: (
        <>
          Bought a card for {formatToken(s.price)} {s.currency} from <Address value={s.seller} />
        </>
      ),
    })),
    ...(sold.data?.items ?? []).map((s) => ({
      at: s.soldAt,
      key: `s${s.id}`,
      tone: "green" as const,
      text: (
        <>
          Sold a card for {formatToken(s.price)} {s.currency} to <Address value={s.buyer} />
        </>
      ),
    })),
    ...(notes.data?.items ?? []).map((n) => ({
      at: n.createdAt,
      key: `n${n.id}`,
      tone: "slate" as const,
      text: n.title,
    })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 12);

  return (
    <div className="space-y-6">
      <PageHeader title="Dashboard" subtitle="Your balances on chain, the cards you hold and what happened lately." />
      <Panel
        title="Balances"
        testId="balances"
        actions={balances.data && <span className="text-xs text-slate-500">slot {balances.data.slot}</span>}
      >
        {balances.error ? (
          <ErrorNote error={balances.error} />
        ) : !balances.data ? (
          <Loading rows={1} testId="balances-loading" />
        ) : (
          <div className="grid gap-3 sm:grid-cols-3">
            <Stat
              label="SOL"
              value={
                <Amount
                  raw={balances.data.sol.lamports}
                  text={formatUnits(balances.data.sol.lamports, SOL_DECIMALS, 4)}
                  testId="balance-sol"
                />
              }
            />
            <Stat
              label="ECE"
              value={
                <Amount
                  raw={balances.data.ece.amount}
                  text={formatUnits(balances.data.ece.amount, balances.data.ece.decimals, 2)}
                  testId="balance-ece"
                />
              }
            />
            <Stat
              label="USDC"
              value={
                <Amount
                  raw={balances.data.usdc.amount}
                  text={formatUnits(balances.data.usdc.amount, balances.data.usdc.decimals, 2)}
                  testId="balance-usdc"
                />
              }
            />
          </div>
        )}
      </Panel>
      <div className="grid gap-6 lg:grid-cols-3">
        <Panel
          title="My cards"
          className="lg:col-span-2"
          testId="my-cards"
          actions={
            <Link href="/marketplace" className="text-sm text-indigo-300 hover:underline">
              Sell on the marketplace
            </Link>
          }
        >
          {cards.error ? (
            <ErrorNote error={cards.error} />
          ) : !cards.data ? (
            <Loading />
          ) : cards.data.items.length === 0 ? (
            <Empty testId="my-cards-empty">
              You hold no card yet.{" "}
              <Link href="/marketplace" className="text-indigo-300 hover:underline">
                Find one on the marketplace
              </Link>
              .
            </Empty>
          ) : (
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
              {cards.data.items.map((c) => (
                <CardTile key={c.id} card={c} />
              ))}
            </div>
          )}
        </Panel>
        <Panel title="Recent activity" testId="activity">
          {!bought.data || !sold.data ? (
            <Loading />
          ) : activity.length === 0 ? (
            <Empty testId="activity-empty">Nothing yet.</Empty>
          ) : (
            <ol className="space-y-3">
              {activity.map((a) => (
                <li key={a.key} className="text-sm" data-testid="activity-row">
                  <Badge tone={a.tone}>{formatDate(a.at)}</Badge>
                  <div className="mt-1 text-slate-200">{a.text}</div>
                </li>
              ))}
            </ol>
          )}
        </Panel>
      </div>
    </div>
  );
}

function Amount({ raw, text, testId }: { raw: string; text: string; testId: string }) {
  return (
    <span data-testid={testId} data-amount={raw}>
      {text}
    </span>
  );
}
