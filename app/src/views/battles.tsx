"use client";
// Battles: the list by status, and one battle with its live tally, join and vote.
import bs58 from "bs58";
import Link from "next/link";
import { useState } from "react";
import { Badge, Button, Empty, ErrorNote, Loading, LoadMore, PageHeader, Panel, type Tone } from "../components/ui";
import { api, query } from "../lib/api";
import { errorName, errorText } from "../lib/errors";
import { useLiveEvents } from "../lib/events";
import { formatDate, formatToken } from "../lib/format";
import { useSession } from "../lib/session";
import type { Battle, VoteView } from "../lib/types";
import { useApi } from "../lib/use-api";
import { usePaged } from "../lib/use-paged";
import { useWallet } from "../wallet/context";

const STATUS_TONE: Record<Battle["status"], Tone> = {
  scheduled: "slate",
  live: "green",
  closed: "indigo",
  cancelled: "amber",
};
const STATUSES = ["", "live", "scheduled", "closed"] as const;

export function BattleList() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("");
  const battles = usePaged<Battle>(`/api/v1/battles${query({ status, limit: 24 })}`);
  useLiveEvents(["battle.vote", "battle.closed"], battles.reload);
  return (
    <div>
      <PageHeader
        title="M&A battles"
        subtitle="Two companies, one winner. ECE holders vote; each vote weighs the voter's ECE at the battle's snapshot."
      />
      <div className="mb-5 flex flex-wrap gap-2" role="tablist" aria-label="Battle status">
        {STATUSES.map((s) => (
          <button
            key={s || "all"}
            type="button"
            role="tab"
            aria-selected={status === s}
            onClick={() => setStatus(s)}
            data-testid={`battles-filter-${s || "all"}`}
            className={`rounded-full px-3 py-1.5 text-sm ${status === s ? "bg-indigo-500 text-white" : "bg-white/5 text-slate-300 hover:bg-white/10"}`}
          >
            {s ? s[0]?.toUpperCase() + s.slice(1) : "All"}
          </button>
        ))}
      </div>
      {battles.error ? (
        <ErrorNote error={battles.error} />
      ) : !battles.items ? (
        <Loading rows={4} />
      ) : battles.items.length === 0 ? (
        <Empty testId="battles-empty">No battle here yet.</Empty>
      ) : (
        <>
          <div className="grid gap-4 md:grid-cols-2">
            {battles.items.map((b) => (
              <Link
                key={b.id}
                href={`/battles/${b.id}`}
                className="block rounded-2xl border border-white/10 bg-slate-900/70 p-5 hover:border-indigo-400/50"
                data-testid="battle-row"
                data-battle-id={b.id}
              >
                <div className="flex items-center justify-between gap-2">
                  <h2 className="font-semibold text-white">{b.title}</h2>
                  <Badge tone={STATUS_TONE[b.status]}>{b.status}</Badge>
                </div>
                <p className="mt-1 text-sm text-slate-400">
                  {b.cardA.name} vs {b.cardB.name}
                </p>
                <TallyBar battle={b} compact />
              </Link>
            ))}
          </div>
          {battles.hasMore && <LoadMore onClick={battles.loadMore} busy={battles.busy} />}
        </>
      )}
    </div>
  );
}

function TallyBar({
  battle,
  compact = false,
}: {
  battle: Pick<Battle, "tallyA" | "tallyB" | "cardA" | "cardB">;
  compact?: boolean;
}) {
  const a = BigInt(battle.tallyA);
  const b = BigInt(battle.tallyB);
  const total = a + b;
  const pctA = total === 0n ? 50 : Number((a * 1000n) / total) / 10;
  return (
    <div className={compact ? "mt-4" : "mt-6"}>
      <div
        className="flex h-3 overflow-hidden rounded-full bg-white/10"
        role="img"
        aria-label={`${battle.cardA.name} ${pctA}%, ${battle.cardB.name} ${100 - pctA}%`}
      >
        <div className="bg-indigo-500 transition-all" style={{ width: `${pctA}%` }} />
        <div className="bg-emerald-400 transition-all" style={{ width: `${100 - pctA}%` }} />
      </div>
      <div className="mt-2 flex justify-between text-xs tabular-nums text-slate-300">
        <span data-testid="tally-a" data-amount={battle.tallyA}>
          {formatToken(battle.tallyA)} ECE
        </span>
        <span data-testid="tally-b" data-amount={battle.tallyB}>
          {formatToken(battle.tallyB)} ECE
        </span>
      </div>
    </div>
  );
}

export function BattleView({ id }: { id: string }) {
  const { session } = useSession();
  const { wallet, openConnect } = useWallet();
  const battle = useApi<Battle>(`/api/v1/battles/${encodeURIComponent(id)}`);
  const [voted, setVoted] = useState<VoteView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ name: string; message: string } | null>(null);
  useLiveEvents(["battle.vote", "battle.joined", "battle.closed"], (e) => {
    if ((e.data as { battleId?: string }).battleId === id) battle.reload();
  });

  if (battle.error) return <ErrorNote error={battle.error} />;
  if (!battle.data) return <Loading rows={6} />;
  const b = battle.data;
  const live = b.status === "live";

  const act = async (what: string, fn: () => Promise<void>) => {
    if (!wallet.connected) {
      openConnect();
      return;
    }
    setBusy(what);
    setProblem(null);
    try {
      await fn();
      battle.reload();
    } catch (e) {
      setProblem({ name: errorName(e), message: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const vote = (side: "a" | "b") =>
    act(`vote-${side}`, async () => {
      const sign = wallet.signMessage;
      if (!sign) throw new Error(`${wallet.walletName ?? "This wallet"} cannot sign messages`);
      const m = await api<{ message: string }>(`/api/v1/battles/${b.id}/vote-message?side=${side}`);
      const signature = bs58.encode(await sign(new TextEncoder().encode(m.message)));
      setVoted(
        await api<VoteView>(`/api/v1/battles/${b.id}/votes`, {
          method: "POST",
          body: { side, message: m.message, signature },
        }),
      );
    });
  const join = (side: "a" | "b") =>
    act(`join-${side}`, async () => {
      await api(`/api/v1/battles/${b.id}/join`, { method: "POST", body: { side } });
    });

  const side = (key: "a" | "b") => {
    const card = key === "a" ? b.cardA : b.cardB;
    return (
      <div
        className={`rounded-2xl border p-5 ${b.winner === key ? "border-amber-400/60 bg-amber-400/5" : "border-white/10 bg-white/[0.03]"}`}
      >
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-400">Side {key.toUpperCase()}</p>
        <Link href={`/cards/${card.id}`} className="mt-1 block text-xl font-bold text-white hover:underline">
          {card.name}
        </Link>
        {b.winner === key && (
          <Badge tone="amber" testId="battle-winner">
            Winner
          </Badge>
        )}
        {live && session && (
          <div className="mt-4 flex flex-wrap gap-2">
            <Button onClick={() => vote(key)} disabled={!!busy || !!voted} data-testid={`vote-${key}`}>
              {busy === `vote-${key}` ? "Signing…" : `Vote ${card.name}`}
            </Button>
            <Button variant="ghost" onClick={() => join(key)} disabled={!!busy} data-testid={`join-${key}`}>
              Join side
            </Button>
          </div>
        )}
      </div>
    );
  };

  return (
    <div className="space-y-6" data-testid="battle-detail" data-battle-id={b.id}>
      <PageHeader title={b.title} subtitle={`${formatDate(b.startsAt)} → ${formatDate(b.endsAt)} (UTC)`}>
        <Badge tone={STATUS_TONE[b.status]} testId="battle-status">
          {b.status}
        </Badge>
      </PageHeader>
      <Panel>
        <div className="grid gap-4 md:grid-cols-2">
          {side("a")}
          {side("b")}
        </div>
        <TallyBar battle={b} />
        <dl className="mt-4 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-400">
          <div>
            <dt className="inline">Votes </dt>
            <dd className="inline font-semibold text-white" data-testid="battle-votes">
              {b.votes}
            </dd>
          </div>
          <div>
            <dt className="inline">Participants </dt>
            <dd className="inline font-semibold text-white">{b.participants}</dd>
          </div>
          <div>
            <dt className="inline">Snapshot slot </dt>
            <dd className="inline font-semibold text-white">{b.snapshotSlot ?? "at the first vote"}</dd>
          </div>
        </dl>
        {!session && live && <p className="mt-4 text-sm text-slate-400">Sign in to vote.</p>}
        {voted && (
          <p
            className="mt-4 rounded-xl bg-emerald-500/10 px-3 py-2 text-sm text-emerald-200"
            data-testid="vote-recorded"
            data-side={voted.side}
            data-amount={voted.weight}
          >
            Your vote for side {voted.side.toUpperCase()} counts {formatToken(voted.weight)} ECE.
          </p>
        )}
        {problem && (
          <p
            role="alert"
            className="mt-4 rounded-xl bg-rose-500/10 px-3 py-2 text-sm text-rose-200"
            data-testid="battle-error"
          >
            <span className="mr-2 font-mono text-xs font-semibold">{problem.name}</span>
            {problem.message}
          </p>
        )}
      </Panel>
    </div>
  );
}
