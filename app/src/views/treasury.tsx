"use client";
// The treasury signer console: the multisig, vault balances, proposals with their approval
// progress, and the weekly payout runs. Votes and execution are on the proposal's page.
import Link from "next/link";
import { useState } from "react";
import {
  Address,
  Badge,
  Empty,
  ErrorNote,
  Gate,
  inputClass,
  Loading,
  LoadMore,
  PageHeader,
  Panel,
  Stat,
  type Tone,
} from "../components/ui";
import { type Page, query } from "../lib/api";
import { useLiveEvents } from "../lib/events";
import { formatDate, formatUnits, TOKEN_DECIMALS } from "../lib/format";
import { useSession } from "../lib/session";
import type { Multisig, PayoutRun, ProposalStatus, ProposalSummary, Vault } from "../lib/types";
import { useApi } from "../lib/use-api";
import { usePaged } from "../lib/use-paged";

export const PROPOSAL_EVENTS = [
  "ProposalCreated",
  "PayoutEntriesAdded",
  "ProposalApproved",
  "ProposalRejected",
  "ProposalCancelled",
  "ProposalExecuted",
  "PayoutPaid",
  "ProposalClosed",
  "ConfigChanged",
];

export const STATUS_TONE: Record<ProposalStatus, Tone> = {
  Draft: "slate",
  Active: "amber",
  Approved: "indigo",
  Rejected: "red",
  Cancelled: "slate",
  Executing: "violet",
  Executed: "green",
};

export function ApprovalProgress({ approvals, required }: { approvals: number; required: number }) {
  const pct = required === 0 ? 100 : Math.min(100, (approvals / required) * 100);
  return (
    <div
      className="flex items-center gap-2"
      data-testid="approval-progress"
      data-approvals={approvals}
      data-required={required}
    >
      <div
        className="h-2 w-24 overflow-hidden rounded-full bg-white/10"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={required}
        aria-valuenow={approvals}
        aria-label="Approvals"
      >
        <div className="h-full bg-indigo-400" style={{ width: `${pct}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-300">
        {approvals}/{required}
      </span>
    </div>
  );
}

const STATUSES: ("" | ProposalStatus)[] = ["", "Active", "Approved", "Executing", "Executed", "Rejected", "Cancelled"];

export function Treasury() {
  const { session, can } = useSession();
  const readable = can("treasury:multisig:read");
  const multisig = useApi<Multisig>(readable ? "/api/v1/treasury/multisig" : null);
  const vaults = useApi<{ items: Vault[] }>(readable ? "/api/v1/treasury/vaults" : null);
  const [status, setStatus] = useState<"" | ProposalStatus>("");
  const proposals = usePaged<ProposalSummary>(
    readable ? `/api/v1/treasury/proposals${query({ status, limit: 25 })}` : null,
  );
  const runs = useApi<Page<PayoutRun>>(readable ? "/api/v1/treasury/payout-runs?limit=12" : null);
  useLiveEvents([...PROPOSAL_EVENTS, "sale.completed", "payouts.completed", "payout.proposed"], () => {
    multisig.reload();
    vaults.reload();
    proposals.reload();
    runs.reload();
  });

  if (!session) return <Gate>Sign in to see the treasury.</Gate>;
  const me = multisig.data?.members.find((m) => m.key === session.wallet);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Treasury"
        subtitle="The multisig that holds marketplace fees and pays companies every week. Signers approve in their own wallets."
      >
        {me && (
          <Badge tone="violet" testId="signer-badge">
            You are a signer: {me.permissionNames.join(", ")}
          </Badge>
        )}
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <Panel title="Vaults" testId="vaults" className="lg:col-span-1">
          {vaults.error ? (
            <ErrorNote error={vaults.error} />
          ) : !vaults.data ? (
            <Loading rows={2} />
          ) : (
            <div className="grid gap-3">
              {vaults.data.items.map((v) => (
                <Stat
                  key={v.address}
                  label={`${v.currency ?? "Token"} vault`}
                  value={
                    <span data-testid={`vault-balance-${v.currency ?? v.mint}`} data-amount={v.balance ?? ""}>
                      {v.balance === null ? "—" : formatUnits(v.balance, v.decimals ?? TOKEN_DECIMALS, 2)}
                    </span>
                  }
                  hint={v.mirrorInSync === false ? "The mirror lags the chain" : v.address}
                />
              ))}
            </div>
          )}
        </Panel>
        <Panel title="Multisig" testId="multisig" className="lg:col-span-2">
          {multisig.error ? (
            <ErrorNote error={multisig.error} />
          ) : !multisig.data ? (
            <Loading rows={3} />
          ) : (
            <div className="space-y-4">
              <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
                <Stat
                  label="Threshold"
                  value={
                    <span data-testid="multisig-threshold">{`${multisig.data.threshold} of ${multisig.data.voters}`}</span>
                  }
                />
                <Stat label="Time lock" value={`${multisig.data.timeLockSeconds}s`} />
                <Stat label="Proposals" value={multisig.data.transactionIndex} />
                <Stat
                  label="Risk policy"
                  value={
                    <span className="text-sm">
                      {multisig.data.riskPolicy
                        .map((r) => `≥${r.minScore}: +${r.extraApprovals === 255 ? "all" : r.extraApprovals}`)
                        .join(" · ") || "none"}
                    </span>
                  }
                />
              </dl>
              <ul className="divide-y divide-white/5 text-sm">
                {multisig.data.members.map((m) => (
                  <li key={m.key} className="flex items-center justify-between py-2" data-testid="member-row">
                    <Address value={m.key} chars={6} />
                    <span className="flex gap-1">
                      {m.permissionNames.map((p) => (
                        <Badge key={p} tone={p === "vote" ? "indigo" : p === "execute" ? "green" : "slate"}>
                          {p}
                        </Badge>
                      ))}
                      {m.key === session.wallet && <Badge tone="violet">you</Badge>}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Panel>
      </div>
      <Panel
        title="Proposals"
        testId="proposals"
        actions={
          <label>
            <span className="sr-only">Status</span>
            <select
              className={inputClass}
              value={status}
              onChange={(e) => setStatus(e.target.value as "" | ProposalStatus)}
              data-testid="proposals-status"
            >
              {STATUSES.map((s) => (
                <option key={s || "all"} value={s}>
                  {s || "All statuses"}
                </option>
              ))}
            </select>
          </label>
        }
      >
        {proposals.error ? (
          <ErrorNote error={proposals.error} />
        ) : !proposals.items ? (
          <Loading rows={4} />
        ) : proposals.items.length === 0 ? (
          <Empty testId="proposals-empty">No proposal here.</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">#</th>
                  <th className="py-2 pr-4 font-medium">Kind</th>
                  <th className="py-2 pr-4 font-medium">Status</th>
                  <th className="py-2 pr-4 font-medium">Approvals</th>
                  <th className="py-2 pr-4 font-medium">Risk</th>
                  <th className="py-2 pr-4 font-medium">Week</th>
                  <th className="py-2 font-medium">Updated</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-white/5">
                {proposals.items.map((p) => (
                  <tr key={p.address} data-testid="proposal-row" data-proposal={p.address} data-status={p.status}>
                    <td className="py-2 pr-4">
                      <Link
                        href={`/treasury/proposals/${p.address}`}
                        className="font-mono text-indigo-300 hover:underline"
                      >
                        {p.index}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">{p.kind}</td>
                    <td className="py-2 pr-4">
                      <Badge tone={STATUS_TONE[p.status]} testId="proposal-status">
                        {p.status}
                      </Badge>
                    </td>
                    <td className="py-2 pr-4">
                      <ApprovalProgress approvals={p.approvals} required={p.required} />
                    </td>
                    <td className="py-2 pr-4 tabular-nums">{p.riskScore}</td>
                    <td className="py-2 pr-4 tabular-nums">{p.week ?? "—"}</td>
                    <td className="py-2 text-slate-400">{formatDate(p.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {proposals.hasMore && <LoadMore onClick={proposals.loadMore} busy={proposals.busy} />}
          </div>
        )}
      </Panel>
      <Panel title="Weekly payout runs" testId="payout-runs">
        {runs.error ? (
          <ErrorNote error={runs.error} />
        ) : !runs.data ? (
          <Loading rows={3} />
        ) : runs.data.items.length === 0 ? (
          <Empty testId="payout-runs-empty">No payout run yet. The weekly job starts one every Monday (UTC).</Empty>
        ) : (
          <ul className="divide-y divide-white/5 text-sm">
            {runs.data.items.map((r) => (
              <li
                key={r.id}
                className="flex flex-wrap items-center justify-between gap-2 py-2"
                data-testid="payout-run-row"
                data-week={r.week}
              >
                <Link href={`/treasury/payouts/${r.week}`} className="font-medium text-indigo-300 hover:underline">
                  {r.week}
                </Link>
                <Badge
                  tone={r.status === "paid" ? "green" : r.status === "failed" ? "red" : "amber"}
                  testId="payout-run-status"
                >
                  {r.status}
                </Badge>
                <span className="text-slate-400">{r.payoutCount} payees</span>
                <span className="text-slate-400">risk {r.riskScore ?? "—"}</span>
                {r.error && <span className="text-rose-300">{r.error}</span>}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
