"use client";
// One proposal: approval progress, votes, the action as the account holds it, its payouts;
// approve / reject / cancel / execute for signers, each built by the API and signed here.
import { TxStatus } from "../components/tx-status";
import { Address, Badge, Button, Empty, ErrorNote, Gate, Loading, PageHeader, Panel, TextLink } from "../components/ui";
import { api } from "../lib/api";
import type { BuiltTransaction } from "../lib/chain";
import { useLiveEvents } from "../lib/events";
import { formatUnits, TOKEN_DECIMALS } from "../lib/format";
import { usePause } from "../lib/pause";
import { useSession } from "../lib/session";
import { useChainAction } from "../lib/tx";
import type { Multisig, Payout, ProposalDetail } from "../lib/types";
import { useApi } from "../lib/use-api";
import { ApprovalProgress, PROPOSAL_EVENTS, STATUS_TONE } from "./treasury";

type Verb = "approve" | "reject" | "cancel" | "execute";

export function ProposalView({ address }: { address: string }) {
  const { session, can } = useSession();
  const { paused, reason } = usePause();
  const readable = can("treasury:multisig:read");
  const proposal = useApi<ProposalDetail>(readable ? `/api/v1/treasury/proposals/${address}` : null);
  const multisig = useApi<Multisig>(readable ? "/api/v1/treasury/multisig" : null);
  const action = useChainAction();
  useLiveEvents(PROPOSAL_EVENTS, () => proposal.reload());

  if (!session) return <Gate>Sign in to see treasury proposals.</Gate>;
  if (proposal.error) return <ErrorNote error={proposal.error} />;
  if (!proposal.data) return <Loading rows={6} />;
  const p = proposal.data;
  // The chain wins over the mirror's copy.
  const status = p.chain?.status ?? p.status;
  const approvals = p.chain?.approvals ?? p.approvals;
  const required = p.chain?.required ?? p.required;
  const me = multisig.data?.members.find((m) => m.key === session.wallet);
  const voted = p.votes.some((v) => v.member === session.wallet && v.vote !== "cancel");
  // While paused only Pause proposals (the unpause itself) are voted and executed.
  const blockedByPause = paused && p.kind !== "pause" ? reason : null;

  const run = (verb: Verb) =>
    action.run(async () => {
      const r = await api<{ transactions: BuiltTransaction[] }>(`/api/v1/treasury/proposals/${address}/${verb}`, {
        method: "POST",
      });
      return r.transactions;
    });

  const canVote = !!me?.permissionNames.includes("vote") && status === "Active" && !voted;
  const canExecute = !!me?.permissionNames.includes("execute") && (status === "Approved" || status === "Executing");
  const canCancel =
    !!me &&
    (status === "Active" || status === "Approved") &&
    (p.creator === session.wallet || !!me.permissionNames.includes("vote"));

  return (
    <div className="space-y-6" data-testid="proposal-detail" data-proposal={address}>
      <PageHeader
        title={`Proposal #${p.index}`}
        subtitle={`${p.kind}${p.week !== null ? ` · week ${p.week}` : ""} · created by ${p.creator}`}
      >
        <Badge tone={STATUS_TONE[status]} testId="proposal-status">
          {status}
        </Badge>
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-3">
        <Panel title="Approval" testId="proposal-approval" className="lg:col-span-1">
          <ApprovalProgress approvals={approvals} required={required} />
          <p className="mt-2 text-sm text-slate-400">
            Risk score <strong className="text-white">{p.riskScore}</strong>; {required} approvals required
            {p.chain ? "" : " (the account is closed)"}.
          </p>
          {me ? (
            <div className="mt-4 space-y-2">
              {(canVote || canExecute || canCancel) && blockedByPause && (
                <p
                  className="rounded-lg bg-amber-500/10 px-3 py-2 text-xs text-amber-200"
                  data-testid="approve-disabled-reason"
                >
                  {blockedByPause}
                </p>
              )}
              <div className="flex flex-wrap gap-2">
                {canVote && (
                  <>
                    <Button
                      onClick={() => run("approve")}
                      disabled={action.busy || !!blockedByPause}
                      title={blockedByPause ?? undefined}
                      data-testid="approve"
                    >
                      Approve
                    </Button>
                    <Button
                      variant="danger"
                      onClick={() => run("reject")}
                      disabled={action.busy || !!blockedByPause}
                      title={blockedByPause ?? undefined}
                      data-testid="reject"
                    >
                      Reject
                    </Button>
                  </>
                )}
                {canExecute && (
                  <Button
                    onClick={() => run("execute")}
                    disabled={action.busy || !!blockedByPause}
                    title={blockedByPause ?? undefined}
                    data-testid="execute"
                  >
                    Execute
                  </Button>
                )}
                {canCancel && (
                  <Button
                    variant="ghost"
                    onClick={() => run("cancel")}
                    disabled={action.busy || !!blockedByPause}
                    data-testid="cancel-proposal"
                  >
                    Cancel
                  </Button>
                )}
              </div>
              {voted && (
                <p className="text-xs text-slate-400" data-testid="already-voted">
                  You have voted on this proposal.
                </p>
              )}
              <TxStatus stage={action.stage} />
            </div>
          ) : (
            <p className="mt-4 text-xs text-slate-500">Only multisig members vote and execute.</p>
          )}
        </Panel>
        <Panel title="Votes" testId="proposal-votes" className="lg:col-span-2">
          {p.votes.length === 0 ? (
            <Empty>No vote yet.</Empty>
          ) : (
            <ul className="divide-y divide-white/5 text-sm">
              {p.votes.map((v) => (
                <li
                  key={v.signature}
                  className="flex flex-wrap items-center justify-between gap-2 py-2"
                  data-testid="vote-row"
                  data-member={v.member}
                >
                  <Address value={v.member} chars={6} />
                  <Badge tone={v.vote === "approve" ? "green" : v.vote === "reject" ? "red" : "slate"}>{v.vote}</Badge>
                  <TextLink href={`/explorer/${v.signature}`}>slot {v.slot}</TextLink>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
      {p.payouts.length > 0 && <PayoutTable payouts={p.payouts} />}
      <Panel title="Action (on chain)">
        <pre className="max-h-96 overflow-auto rounded-lg bg-black/40 p-3 text-xs text-slate-300">
          {JSON.stringify(p.chain?.action ?? null, null, 2)}
        </pre>
        {p.chain && (
          <p className="mt-2 break-all font-mono text-xs text-slate-500">compliance hash {p.chain.complianceHash}</p>
        )}
      </Panel>
    </div>
  );
}

export function PayoutTable({ payouts }: { payouts: Payout[] }) {
  return (
    <Panel title={`Payees (${payouts.length})`} testId="payouts">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-4 font-medium">#</th>
              <th className="py-2 pr-4 font-medium">Recipient</th>
              <th className="py-2 pr-4 text-right font-medium">Amount</th>
              <th className="py-2 pr-4 font-medium">Status</th>
              <th className="py-2 font-medium">Transaction</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-white/5">
            {payouts.map((x) => (
              <tr key={x.id} data-testid="payout-row" data-recipient={x.recipient} data-status={x.status}>
                <td className="py-2 pr-4 tabular-nums text-slate-400">{x.entryIndex ?? "—"}</td>
                <td className="py-2 pr-4">
                  <Address value={x.recipient} chars={6} />
                </td>
                <td className="py-2 pr-4 text-right tabular-nums text-white" data-amount={x.amount}>
                  {formatUnits(x.amount, TOKEN_DECIMALS, 2)}
                </td>
                <td className="py-2 pr-4">
                  <Badge tone={x.status === "paid" ? "green" : x.status === "blocked" ? "red" : "amber"}>
                    {x.status}
                  </Badge>
                </td>
                <td className="py-2">
                  {x.signature ? <TextLink href={`/explorer/${x.signature}`}>view</TextLink> : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
