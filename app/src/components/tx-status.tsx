"use client";
// Where a chain action stands: building, waiting for the wallet, pending with its
// signature, confirmed with a link to the transaction, or the program's error by name.
import Link from "next/link";
import { rpcUrl } from "../lib/config";
import { shortAddress } from "../lib/format";
import type { TxStage } from "../lib/tx";

const explorerUrl = (signature: string) =>
  `https://explorer.solana.com/tx/${signature}?cluster=custom&customUrl=${encodeURIComponent(rpcUrl())}`;

function SignatureLinks({ signature }: { signature: string }) {
  return (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <Link
        href={`/explorer/${signature}`}
        className="font-mono text-xs text-indigo-300 hover:underline"
        data-testid="tx-link"
        data-signature={signature}
      >
        {shortAddress(signature, 8)}
      </Link>
      <a
        href={explorerUrl(signature)}
        target="_blank"
        rel="noreferrer"
        className="text-xs text-slate-400 hover:text-slate-200 hover:underline"
      >
        Solana Explorer ↗
      </a>
    </span>
  );
}

export function TxStatus({ stage, testId = "tx-status" }: { stage: TxStage; testId?: string }) {
  if (stage.kind === "idle") return null;
  const box = "mt-3 rounded-xl px-3 py-2 text-sm";
  const steps = (s: { step: number; total: number }) => (s.total > 1 ? ` (${s.step} of ${s.total})` : "");
  switch (stage.kind) {
    case "building":
      return (
        <div
          className={`${box} bg-white/5 text-slate-300`}
          data-testid={testId}
          data-state="building"
          aria-live="polite"
        >
          Preparing the transaction…
        </div>
      );
    case "signing":
      return (
        <div
          className={`${box} bg-white/5 text-slate-300`}
          data-testid={testId}
          data-state="signing"
          aria-live="polite"
        >
          Approve the transaction in your wallet{steps(stage)}…
        </div>
      );
    case "pending":
      return (
        <div
          className={`${box} bg-amber-500/10 text-amber-200`}
          data-testid={testId}
          data-state="pending"
          aria-live="polite"
        >
          <div>Pending{steps(stage)} — waiting for confirmation</div>
          <span data-testid="tx-signature" data-signature={stage.signature} className="sr-only">
            {stage.signature}
          </span>
          <SignatureLinks signature={stage.signature} />
        </div>
      );
    case "recording":
      return (
        <div
          className={`${box} bg-amber-500/10 text-amber-200`}
          data-testid={testId}
          data-state="recording"
          aria-live="polite"
        >
          Confirmed on chain; recording it…
        </div>
      );
    case "confirmed": {
      const last = stage.signatures.at(-1);
      return (
        <div
          className={`${box} bg-emerald-500/10 text-emerald-200`}
          data-testid={testId}
          data-state="confirmed"
          aria-live="polite"
        >
          <div>Confirmed{stage.signatures.length > 1 ? ` (${stage.signatures.length} transactions)` : ""}</div>
          {last && (
            <>
              <span data-testid="tx-signature" data-signature={last} className="sr-only">
                {last}
              </span>
              <SignatureLinks signature={last} />
            </>
          )}
        </div>
      );
    }
    case "failed":
      return (
        <div role="alert" className={`${box} bg-rose-500/10 text-rose-200`} data-testid={testId} data-state="failed">
          <span className="mr-2 font-mono text-xs font-semibold text-rose-300" data-testid="tx-error-name">
            {stage.name}
          </span>
          <span data-testid="tx-error-message">{stage.message}</span>
          {stage.signature && <SignatureLinks signature={stage.signature} />}
        </div>
      );
  }
}
