"use client";
// The auditor explorer: every mirrored transaction, filtered; CSV export of the same
// filter; USDC moved per day (the API's daily aggregate) and payouts per week.
import Link from "next/link";
import { useState } from "react";
import { BarChart } from "../components/bar-chart";
import {
  Address,
  Badge,
  Button,
  Empty,
  ErrorNote,
  Field,
  Gate,
  inputClass,
  Loading,
  LoadMore,
  PageHeader,
  Panel,
} from "../components/ui";
import { apiResponse, type Page, query } from "../lib/api";
import { errorText } from "../lib/errors";
import { useLiveEvents } from "../lib/events";
import { formatDate, formatDay, formatUnits, TOKEN_DECIMALS } from "../lib/format";
import { useSession } from "../lib/session";
import type { ProposalSummary, TxSummary } from "../lib/types";
import { useApi } from "../lib/use-api";
import { usePaged } from "../lib/use-paged";

interface Filters {
  wallet: string;
  program: string;
  instruction: string;
  event: string;
  from: string;
  to: string;
  status: string;
}
const EMPTY: Filters = { wallet: "", program: "", instruction: "", event: "", from: "", to: "", status: "" };

/** Filters as the API takes them: dates (UTC days) become inclusive timestamps. */
function apiFilters(f: Filters) {
  return {
    wallet: f.wallet.trim(),
    program: f.program.trim(),
    instruction: f.instruction.trim(),
    event: f.event.trim(),
    from: f.from ? `${f.from}T00:00:00.000Z` : undefined,
    to: f.to ? `${f.to}T23:59:59.999Z` : undefined,
    status: f.status,
  };
}

export function Explorer() {
  const { session, can } = useSession();
  const allowed = can("transactions:transaction:read");
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const txs = usePaged<TxSummary>(
    allowed ? `/api/v1/transactions${query({ ...apiFilters(filters), limit: 50 })}` : null,
  );
  useLiveEvents(["ProposalExecuted", "PayoutPaid", "sale.completed"], txs.reload);

  if (!session) return <Gate>Sign in with an auditor or developer wallet to explore transactions.</Gate>;
  if (!allowed)
    return (
      <Gate testId="explorer-forbidden">
        The explorer is for auditors and developers; your wallet has neither role.
      </Gate>
    );

  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [k]: e.target.value });
  return (
    <div className="space-y-6">
      <PageHeader
        title="Explorer"
        subtitle="Every transaction of the ECE programs, decoded from the chain by the indexer."
      >
        {can("transactions:transaction:export") && <CsvExport filters={filters} />}
      </PageHeader>
      <Charts />
      <Panel title="Filters">
        <form
          className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters(draft);
          }}
          data-testid="explorer-filters"
        >
          <Field label="Wallet or account">
            <input
              className={inputClass}
              value={draft.wallet}
              onChange={set("wallet")}
              placeholder="base58 address"
              data-testid="filter-wallet"
            />
          </Field>
          <Field label="Program">
            <input
              className={inputClass}
              value={draft.program}
              onChange={set("program")}
              placeholder="program id"
              data-testid="filter-program"
            />
          </Field>
          <Field label="Instruction">
            <input
              className={inputClass}
              value={draft.instruction}
              onChange={set("instruction")}
              placeholder="e.g. execute"
              data-testid="filter-instruction"
            />
          </Field>
          <Field label="Event">
            <input
              className={inputClass}
              value={draft.event}
              onChange={set("event")}
              placeholder="e.g. PayoutPaid"
              data-testid="filter-event"
            />
          </Field>
          <Field label="From (UTC)">
            <input
              type="date"
              className={inputClass}
              value={draft.from}
              onChange={set("from")}
              data-testid="filter-from"
            />
          </Field>
          <Field label="To (UTC)">
            <input type="date" className={inputClass} value={draft.to} onChange={set("to")} data-testid="filter-to" />
          </Field>
          <Field label="Status">
            <select className={inputClass} value={draft.status} onChange={set("status")} data-testid="filter-status">
              <option value="">Any</option>
              <option value="success">Success</option>
              <option value="failed">Failed</option>
            </select>
          </Field>
          <div className="flex items-end gap-2">
            <Button type="submit" data-testid="filter-apply">
              Apply
            </Button>
            <Button
              variant="ghost"
              onClick={() => {
                setDraft(EMPTY);
                setFilters(EMPTY);
              }}
              data-testid="filter-reset"
            >
              Reset
            </Button>
          </div>
        </form>
      </Panel>
      <Panel title="Transactions" testId="transactions">
        {txs.error ? (
          <ErrorNote error={txs.error} />
        ) : !txs.items ? (
          <Loading rows={6} />
        ) : txs.items.length === 0 ? (
          <Empty testId="transactions-empty">No transaction matches.</Empty>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-4 font-medium">Signature</th>
                  <th className="py-2 pr-4 font-medium">Time (UTC)</th>
                  <th className="py-2 pr-4 font-medium">Instruction</th>
                  <th className="py-2 pr-4 font-medium">Signer</th>
                  <th className="py-2 pr-4 font-medium">Status</th>
                  <th className="py-2 text-right font-medium">Slot</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-white/5">
                {txs.items.map((t) => (
                  <tr key={t.signature} data-testid="tx-row" data-signature={t.signature}>
                    <td className="py-2 pr-4">
                      <Link
                        href={`/explorer/${t.signature}`}
                        className="font-mono text-xs text-indigo-300 hover:underline"
                      >
                        {t.signature.slice(0, 16)}…
                      </Link>
                    </td>
                    <td className="py-2 pr-4 text-slate-400">{formatDate(t.blockTime)}</td>
                    <td className="py-2 pr-4">{t.instruction ?? "—"}</td>
                    <td className="py-2 pr-4">
                      <Address value={t.signer} />
                    </td>
                    <td className="py-2 pr-4">
                      {t.success ? (
                        <Badge tone="green">success</Badge>
                      ) : (
                        <Badge tone="red">{t.errorName ?? "failed"}</Badge>
                      )}
                    </td>
                    <td className="py-2 text-right tabular-nums text-slate-400">{t.slot}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {txs.hasMore && <LoadMore onClick={txs.loadMore} busy={txs.busy} />}
          </div>
        )}
      </Panel>
    </div>
  );
}

/** The export needs the Bearer token, so it is fetched and saved rather than linked. */
function CsvExport({ filters }: { filters: Filters }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const path = `/api/v1/transactions/export.csv${query(apiFilters(filters))}`;
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await (await apiResponse(path)).blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `ece-transactions-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex items-center gap-2">
      <Button variant="ghost" onClick={download} disabled={busy} data-testid="export-csv" data-path={path}>
        {busy ? "Exporting…" : "Export CSV"}
      </Button>
      {error && (
        <span role="alert" className="text-xs text-rose-300" data-testid="export-error">
          {error}
        </span>
      )}
    </div>
  );
}

const DAYS = 30;

interface Daily {
  items: Array<{ day: string; transactions: number; failed: number; volume: Record<string, string> }>;
}

function Charts() {
  const daily = useApi<Daily>(`/api/v1/transactions/daily?days=${DAYS}`);
  const vaults = useApi<{ items: Array<{ currency: string | null; mint: string }> }>("/api/v1/treasury/vaults");
  const batches = useApi<Page<ProposalSummary>>("/api/v1/treasury/proposals?kind=payoutBatch&limit=200");
  useLiveEvents(["sale.completed", "PayoutPaid"], () => {
    daily.reload();
    batches.reload();
  });

  // USDC moved by transfers per UTC day, from the mirror (the API aggregates every transaction).
  const usdc = vaults.data?.items.find((v) => v.currency === "USDC")?.mint;
  const units = (v: bigint) => Number(v) / 10 ** TOKEN_DECIMALS;
  const dayBars = (daily.data?.items ?? []).map((d) => ({
    label: formatDay(`${d.day}T00:00:00Z`),
    value: units(BigInt((usdc && d.volume[usdc]) || "0")),
  }));
  const weeks = new Map<number, bigint>();
  for (const p of batches.data?.items ?? [])
    if (p.week !== null) weeks.set(p.week, (weeks.get(p.week) ?? 0n) + BigInt(p.paidAmount));
  const weekBars = [...weeks.entries()]
    .sort(([a], [b]) => a - b)
    .slice(-12)
    .map(([w, v]) => ({ label: `${Math.floor(w / 100)}-W${String(w % 100).padStart(2, "0")}`, value: units(v) }));
  const fmt = (v: number) => formatUnits(BigInt(Math.round(v * 10 ** TOKEN_DECIMALS)), TOKEN_DECIMALS, 2);

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Panel title="USDC moved per day (last 30 days)">
        {daily.error ? (
          <ErrorNote error={daily.error} />
        ) : !daily.data ? (
          <Loading rows={3} />
        ) : (
          <BarChart bars={dayBars} format={fmt} testId="chart-volume" label="USDC moved per day" />
        )}
      </Panel>
      <Panel title="Payouts per week (paid on chain)">
        {batches.error ? (
          <ErrorNote error={batches.error} />
        ) : !batches.data ? (
          <Loading rows={3} />
        ) : weekBars.length === 0 ? (
          <Empty testId="chart-payouts-empty">No payout batch yet.</Empty>
        ) : (
          <BarChart bars={weekBars} format={fmt} testId="chart-payouts" label="Payouts per week" />
        )}
      </Panel>
    </div>
  );
}
