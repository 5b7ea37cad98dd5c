"use client";
// One week's payout run: its status, revenue and formula, and every payee.
import { Badge, ErrorNote, Gate, Loading, PageHeader, Panel, TextLink } from "../components/ui";
import { useLiveEvents } from "../lib/events";
import { useSession } from "../lib/session";
import type { Payout, PayoutRun } from "../lib/types";
import { useApi } from "../lib/use-api";
import { PayoutTable } from "./proposal";

export function PayoutRunView({ week }: { week: string }) {
  const { session, can } = useSession();
  const run = useApi<PayoutRun & { payouts: Payout[] }>(
    can("treasury:multisig:read") ? `/api/v1/treasury/payout-runs/${encodeURIComponent(week)}` : null,
  );
  useLiveEvents(["PayoutPaid", "payouts.completed", "payouts.failed", "payouts.halted", "payout.proposed"], () =>
    run.reload(),
  );
  if (!session) return <Gate>Sign in to see payout runs.</Gate>;
  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <Loading rows={6} />;
  const r = run.data;
  const proposals = [...new Set(r.payouts.map((p) => p.proposal).filter((p): p is string => !!p))];
  return (
    <div className="space-y-6" data-testid="payout-run" data-week={r.week}>
      <PageHeader title={`Payouts · ${r.week}`} subtitle={`${r.payoutCount} payees · risk score ${r.riskScore ?? "—"}`}>
        <Badge
          tone={r.status === "paid" ? "green" : r.status === "failed" ? "red" : "amber"}
          testId="payout-run-status"
        >
          {r.status}
        </Badge>
      </PageHeader>
      {r.error && <ErrorNote error={r.error} />}
      {proposals.length > 0 && (
        <p className="text-sm text-slate-400">
          Batch proposal{proposals.length > 1 ? "s" : ""}:{" "}
          {proposals.map((p) => (
            <span key={p} className="mr-2">
              <TextLink href={`/treasury/proposals/${p}`}>{p.slice(0, 8)}…</TextLink>
            </span>
          ))}
        </p>
      )}
      <PayoutTable payouts={r.payouts} />
      <Panel title="Revenue and formula">
        <pre className="max-h-96 overflow-auto rounded-lg bg-black/40 p-3 text-xs text-slate-300">
          {JSON.stringify({ revenue: r.revenue, formula: r.formula }, null, 2)}
        </pre>
      </Panel>
    </div>
  );
}
