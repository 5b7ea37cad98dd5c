"use client";
// Emergency controls: the pause state for everyone; guardians pause at once (the
// instruction is built here with the SDK and signed in the wallet); while paused, a member
// who may propose opens the multisig's Pause proposal that unpauses (built by the API).
import Link from "next/link";
import { useState } from "react";
import { TxStatus } from "../components/tx-status";
import { Address, Badge, Button, Field, Gate, inputClass, Loading, PageHeader, Panel } from "../components/ui";
import { api } from "../lib/api";
import type { BuiltTransaction } from "../lib/chain";
import { usePause } from "../lib/pause";
import { useSession } from "../lib/session";
import { useChainAction } from "../lib/tx";
import { useWallet } from "../wallet/context";

export function Emergency() {
  const { session, can } = useSession();
  const { view, paused, reload } = usePause();
  const { wallet } = useWallet();
  const action = useChainAction();
  const [code, setCode] = useState("1");
  const reason = Number(code);
  const validReason = Number.isInteger(reason) && reason >= 0 && reason <= 65535;
  const [unpauseProposal, setUnpauseProposal] = useState<string | null>(null);

  if (!view) return <Loading rows={4} />;
  const guardian = !!session && view.guardians.includes(session.wallet);

  const proposeUnpause = async () => {
    let address: string | null = null;
    const ok = await action.run(async () => {
      const r = await api<{ proposal: string; transactions: BuiltTransaction[] }>("/api/v1/treasury/proposals", {
        method: "POST",
        body: { action: { kind: "unpause" } },
      });
      address = r.proposal;
      return r.transactions;
    });
    if (ok) setUnpauseProposal(address);
  };

  const pauseNow = async () => {
    const ok = await action.run(async () => {
      const { buildPause } = await import("../lib/chain");
      return [await buildPause(wallet.address ?? session?.wallet ?? "", reason)];
    });
    if (ok) reload();
  };

  return (
    <div className="space-y-6">
      <PageHeader
        title="Emergency controls"
        subtitle="A guardian can pause the platform at once. While paused, the token and the treasury refuse every change except the multisig's unpause."
      />
      <Panel testId="pause-status">
        <div className="flex flex-wrap items-center gap-3">
          <span className={`h-3 w-3 rounded-full ${paused ? "bg-amber-400" : "bg-emerald-400"}`} aria-hidden="true" />
          <span className="text-xl font-semibold text-white" data-testid="pause-state" data-paused={paused}>
            {paused ? "Paused" : "Running"}
          </span>
          {paused && <Badge tone="amber">reason code {view.reason}</Badge>}
          {view.mirrorInSync === false && <Badge tone="slate">the mirror lags the chain</Badge>}
        </div>
        <dl className="mt-4 grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-slate-400">Last changed by</dt>
            <dd className="text-white">
              <Address value={view.lastChangedBy} chars={6} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-400">At slot</dt>
            <dd className="text-white">{view.lastChangedSlot}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-400">Authority (unpause)</dt>
            <dd className="text-white">
              <Address value={view.authority} chars={6} />
            </dd>
          </div>
        </dl>
      </Panel>
      <div className="grid gap-6 lg:grid-cols-2">
        <Panel title="Guardians">
          <ul className="space-y-2 text-sm">
            {view.guardians.map((g) => (
              <li key={g} className="flex items-center gap-2" data-testid="guardian-row">
                <Address value={g} chars={8} /> {g === session?.wallet && <Badge tone="violet">you</Badge>}
              </li>
            ))}
          </ul>
        </Panel>
        <Panel title={guardian ? "Pause the platform" : "Unpausing"} testId="pause-controls">
          {guardian && !paused ? (
            <div className="space-y-3">
              <Field
                label="Reason code"
                hint="A number your runbook defines (0–65535); it is recorded on chain with the pause."
              >
                <input
                  className={inputClass}
                  inputMode="numeric"
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  data-testid="pause-reason"
                  aria-invalid={!validReason}
                />
              </Field>
              <Button variant="danger" onClick={pauseNow} disabled={!validReason || action.busy} data-testid="pause">
                {action.busy ? "Pausing…" : "Pause now"}
              </Button>
            </div>
          ) : (
            <div className="space-y-3">
              <p className="text-sm text-slate-300">
                {paused ? "The platform is paused. " : guardian ? "" : "Only guardians pause. "}
                Unpausing is a Pause proposal of the treasury multisig, approved by its signers and executed (
                <Link href="/treasury" className="text-indigo-300 hover:underline">
                  the treasury
                </Link>
                ).
              </p>
              {!session && <Gate>Sign in to act.</Gate>}
              {paused && can("treasury:proposal:propose") && !unpauseProposal && (
                <Button onClick={proposeUnpause} disabled={action.busy} data-testid="propose-unpause">
                  Propose unpausing
                </Button>
              )}
              {unpauseProposal && (
                <Link
                  href={`/treasury/proposals/${unpauseProposal}`}
                  className="text-sm text-indigo-300 hover:underline"
                  data-testid="unpause-proposal-link"
                >
                  Open the unpause proposal to approve it
                </Link>
              )}
            </div>
          )}
          <TxStatus stage={action.stage} />
        </Panel>
      </div>
    </div>
  );
}
