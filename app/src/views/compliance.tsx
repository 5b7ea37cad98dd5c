"use client";
// The compliance review queue: checks the rules sent to review or block that nobody has
// decided, oldest first; admins approve, block or override with a written reason.
import { useState } from "react";
import {
  Address,
  Badge,
  Button,
  Empty,
  ErrorNote,
  Gate,
  inputClass,
  Loading,
  LoadMore,
  PageHeader,
  Panel,
} from "../components/ui";
import { api } from "../lib/api";
import { errorText } from "../lib/errors";
import { formatDate } from "../lib/format";
import { useSession } from "../lib/session";
import type { ComplianceCheck } from "../lib/types";
import { usePaged } from "../lib/use-paged";

export function ComplianceQueue() {
  const { session, can } = useSession();
  const allowed = can("compliance:review:read");
  const queue = usePaged<ComplianceCheck>(allowed ? "/api/v1/compliance/review-queue?limit=50" : null);
  if (!session) return <Gate>Sign in with an auditor or admin wallet to review compliance checks.</Gate>;
  if (!allowed) return <Gate testId="compliance-forbidden">The review queue is for auditors and admins.</Gate>;
  return (
    <div>
      <PageHeader
        title="Compliance review"
        subtitle="Risk scores 40–69 wait for review, 70 and above are blocked. Every decision is written down and audited."
      />
      {queue.error ? (
        <ErrorNote error={queue.error} />
      ) : !queue.items ? (
        <Loading rows={4} />
      ) : queue.items.length === 0 ? (
        <Empty testId="review-queue-empty">Nothing waits for review.</Empty>
      ) : (
        <div className="space-y-4">
          {queue.items.map((c) => (
            <CheckCard key={c.id} check={c} canDecide={can("compliance:review:decide")} onDecided={queue.reload} />
          ))}
          {queue.hasMore && <LoadMore onClick={queue.loadMore} busy={queue.busy} />}
        </div>
      )}
    </div>
  );
}

function CheckCard({
  check,
  canDecide,
  onDecided,
}: {
  check: ComplianceCheck;
  canDecide: boolean;
  onDecided: () => void;
}) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decisions = check.decision === "block" ? (["override", "block"] as const) : (["approve", "block"] as const);
  const decide = async (decision: "approve" | "block" | "override") => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/compliance/checks/${check.id}/decision`, {
        method: "POST",
        body: { decision, reason: reason.trim() },
      });
      onDecided();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel testId="review-row">
      <div className="flex flex-wrap items-center gap-3" data-check-id={check.id}>
        <span
          className={`text-2xl font-bold tabular-nums ${check.score >= 70 ? "text-rose-300" : "text-amber-300"}`}
          data-testid="review-score"
        >
          {check.score}
        </span>
        <Badge tone={check.decision === "block" ? "red" : "amber"} testId="review-decision">
          {check.decision}
        </Badge>
        <span className="text-sm text-slate-300">
          {check.subjectType} <span className="font-mono text-xs text-slate-400">{check.subjectId}</span>
        </span>
        {check.wallet && <Address value={check.wallet} chars={6} />}
        <span className="ml-auto text-xs text-slate-500">
          {formatDate(check.createdAt)} · {check.ruleSetVersion}
        </span>
      </div>
      <ul className="mt-3 space-y-1 text-sm">
        {check.reasons.map((r) => (
          <li key={`${r.rule}:${r.detail}`} className="flex gap-2">
            <span className="w-10 shrink-0 text-right font-mono text-xs text-amber-300">+{r.points}</span>
            <span className="font-medium text-white">{r.rule}</span>
            <span className="text-slate-400">{r.detail}</span>
          </li>
        ))}
      </ul>
      {canDecide ? (
        <div className="mt-4 space-y-2">
          <label className="block text-sm">
            <span className="mb-1 block text-slate-300">Reason (at least 10 characters, kept in the audit log)</span>
            <textarea
              className={inputClass}
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="review-reason"
            />
          </label>
          <div className="flex gap-2">
            {decisions.map((d) => (
              <Button
                key={d}
                variant={d === "block" ? "danger" : "primary"}
                disabled={busy || reason.trim().length < 10}
                onClick={() => decide(d)}
                data-testid={`review-${d}`}
              >
                {d[0]?.toUpperCase()}
                {d.slice(1)}
              </Button>
            ))}
          </div>
          {error && (
            <p role="alert" className="text-sm text-rose-300" data-testid="review-error">
              {error}
            </p>
          )}
        </div>
      ) : (
        <p className="mt-3 text-xs text-slate-500">Only admins decide.</p>
      )}
    </Panel>
  );
}
