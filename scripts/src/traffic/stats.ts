// What a run sent and how it landed, and what it should have changed on chain.
import { describe, type Outcome } from "./confirm.js";
import type { Tx } from "./sender.js";

/** Net changes, in base units, to the ECE supply and the treasury vaults. */
export interface Tally {
  eceSupply: bigint;
  eceVault: bigint;
  usdcVault: bigint;
}

export interface TrafficStats {
  sent: number;
  succeeded: number;
  failed: number;
  /** Sent but never landed: refused at preflight, or expired unseen. */
  dropped: number;
  /** Landed other than built to (a success meant to fail or the reverse), or dropped; each is logged. */
  unexpected: number;
  byKind: Record<string, { ok: number; failed: number }>;
  /** Every signature that landed, success or failure. */
  signatures: string[];
  elapsedMs: number;
  /** The sum of what each transaction that succeeded was built to change. */
  expected: Tally;
}

export class Stats {
  readonly value: TrafficStats = {
    sent: 0,
    succeeded: 0,
    failed: 0,
    dropped: 0,
    unexpected: 0,
    byKind: {},
    signatures: [],
    elapsedMs: 0,
    expected: { eceSupply: 0n, eceVault: 0n, usdcVault: 0n },
  };

  constructor(private readonly log: (line: string) => void) {}

  record(kind: string, tx: Tx, o: Outcome): void {
    const s = this.value;
    s.sent += 1;
    if (o.landed) {
      s.signatures.push(o.signature);
      s.byKind[kind] ??= { ok: 0, failed: 0 };
      const k = s.byKind[kind];
      if (o.err === null) {
        s.succeeded += 1;
        k.ok += 1;
        for (const [key, delta] of Object.entries(tx.effect ?? {})) s.expected[key as keyof Tally] += delta ?? 0n;
      } else {
        s.failed += 1;
        k.failed += 1;
      }
    } else {
      s.dropped += 1;
    }
    if (!o.landed || (o.err === null) === (tx.failing === true)) {
      s.unexpected += 1;
      this.log(`unexpected: ${kind}: ${tx.label}: ${describe(o)}`);
    }
  }
}
