"use client";
// One transaction as the indexer decoded it: instructions (with CPIs), events, the
// program error by name, its compliance record, and the logs for those who want them.
import { Address, Badge, ErrorNote, Gate, Loading, PageHeader, Panel } from "../components/ui";
import { formatDate } from "../lib/format";
import { useSession } from "../lib/session";
import type { TxDetail } from "../lib/types";
import { useApi } from "../lib/use-api";

const json = (v: unknown) => JSON.stringify(v, null, 2);

export function TransactionView({ signature }: { signature: string }) {
  const { session, can } = useSession();
  const allowed = can("transactions:transaction:read");
  const tx = useApi<TxDetail>(allowed ? `/api/v1/transactions/${encodeURIComponent(signature)}` : null);

  if (!session || !allowed)
    return (
      <Gate testId="transaction-gate">
        <p>Transaction details are for auditors and developers.</p>
        <p className="mt-2 break-all font-mono text-xs text-slate-400" data-testid="transaction-signature">
          {signature}
        </p>
      </Gate>
    );
  if (tx.error)
    return tx.error.status === 404 ? (
      <Gate testId="transaction-not-indexed">
        Not indexed yet: the indexer mirrors a transaction a moment after it is confirmed. Reload shortly.
      </Gate>
    ) : (
      <ErrorNote error={tx.error} />
    );
  if (!tx.data) return <Loading rows={8} />;
  const t = tx.data;
  return (
    <div className="space-y-6" data-testid="transaction-detail" data-signature={t.signature}>
      <PageHeader title="Transaction" subtitle={t.signature}>
        {t.success ? (
          <Badge tone="green" testId="transaction-status">
            success
          </Badge>
        ) : (
          <Badge tone="red" testId="transaction-status">
            failed
          </Badge>
        )}
        <a href={t.links.explorer} target="_blank" rel="noreferrer" className="text-sm text-indigo-300 hover:underline">
          Solana Explorer ↗
        </a>
      </PageHeader>
      {!t.success && (
        <div role="alert" className="rounded-xl bg-rose-500/10 px-4 py-3 text-sm text-rose-200">
          <span className="mr-2 font-mono font-semibold" data-testid="transaction-error-name">
            {t.errorName ?? "Failed"}
          </span>
          The transaction landed and failed; nothing it asked for happened (the fee was charged).
        </div>
      )}
      <Panel>
        <dl className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-xs text-slate-400">Time (UTC)</dt>
            <dd className="text-white">{formatDate(t.blockTime)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-400">Slot · commitment</dt>
            <dd className="text-white">
              {t.slot} · {t.commitment}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-400">Signer</dt>
            <dd className="text-white">
              <Address value={t.signer} chars={6} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-400">Fee · compute units</dt>
            <dd className="text-white">
              {t.fee} lamports · {t.computeUnits ?? "—"}
            </dd>
          </div>
        </dl>
      </Panel>
      <Panel title={`Instructions (${t.instructions.length})`} testId="transaction-instructions">
        <ol className="space-y-3">
          {t.instructions.map((ix) => (
            <li
              key={`${ix.index}.${ix.innerIndex}`}
              className={`rounded-xl border border-white/10 p-3 ${ix.innerIndex >= 0 ? "ml-6 bg-white/[0.02]" : "bg-white/[0.04]"}`}
              data-testid="instruction-row"
              data-name={ix.name ?? ""}
            >
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-mono text-xs text-slate-500">
                  #{ix.index}
                  {ix.innerIndex >= 0 ? `.${ix.innerIndex}` : ""}
                </span>
                <span className="font-semibold text-white">{ix.name ?? "undecoded"}</span>
                <Address value={ix.program} />
                {ix.amount && <Badge tone="indigo">amount {ix.amount}</Badge>}
              </div>
              {ix.args !== null && ix.args !== undefined && (
                <pre className="mt-2 max-h-48 overflow-auto rounded-lg bg-black/40 p-2 text-xs text-slate-300">
                  {json(ix.args)}
                </pre>
              )}
            </li>
          ))}
        </ol>
      </Panel>
      <Panel title={`Events (${t.events.length})`} testId="transaction-events">
        {t.events.length === 0 ? (
          <p className="text-sm text-slate-400">No event.</p>
        ) : (
          <ol className="space-y-3">
            {t.events.map((e) => (
              <li
                key={e.index}
                className="rounded-xl border border-white/10 bg-white/[0.04] p-3"
                data-testid="event-row"
                data-name={e.name}
              >
                <div className="text-sm font-semibold text-white">{e.name}</div>
                <pre className="mt-2 max-h-48 overflow-auto rounded-lg bg-black/40 p-2 text-xs text-slate-300">
                  {json(e.data)}
                </pre>
              </li>
            ))}
          </ol>
        )}
      </Panel>
      {t.compliance && (
        <Panel title="Compliance">
          <p className="text-sm">
            Score <strong className="text-white">{t.compliance.score}</strong> · decision{" "}
            <Badge>{t.compliance.decision}</Badge>
          </p>
          <p className="mt-1 break-all font-mono text-xs text-slate-500">record {t.compliance.recordHash}</p>
        </Panel>
      )}
      <Panel>
        <details>
          <summary className="cursor-pointer text-sm font-semibold text-white">Program logs ({t.logs.length})</summary>
          <pre className="mt-3 max-h-96 overflow-auto rounded-lg bg-black/40 p-3 text-xs text-slate-400">
            {t.logs.join("\n")}
          </pre>
        </details>
      </Panel>
    </div>
  );
}
