// What the scheduler runs: a plan is one transaction or a dependent flow of
// them, built from a context shared by every kind.
import {
  type AccountMeta,
  ComputeBudgetProgram,
  type Keypair,
  type PublicKey,
  type TransactionInstruction,
} from "@solana/web3.js";
import { succeeded } from "./confirm.js";
import type { Platform } from "./platform.js";
import type { Proposals } from "./proposals.js";
import type { Rng } from "./rng.js";
import type { Send, Tx } from "./sender.js";

export interface Plan {
  /** Transactions it sends when every step succeeds. */
  size: number;
  /** Runs alone: what runs finishes first, nothing starts until it is done. */
  exclusive?: boolean;
  /** True when every step succeeded. */
  run(send: Send): Promise<boolean>;
}

/** An active proposal `approver` approved: approving it again, or executing it, fails. */
export interface Decoy {
  proposal: PublicKey;
  approver: Keypair;
  /** The accounts its execution takes. */
  remaining: AccountMeta[];
}

export interface Ctx {
  p: Platform;
  rng: Rng;
  proposals: Proposals;
  decoy: Decoy;
  /** Up to `max` thousandths of a token (6 decimals), at least one. */
  amount(max: number): bigint;
  /** For transactions with nothing else to vary: a compute unit limit that differs each call. */
  nonce(): TransactionInstruction;
  /** `n` distinct voters. */
  voters(n: number): Keypair[];
}

export function context(p: Platform, rng: Rng, proposals: Proposals, decoy: Decoy): Ctx {
  // Amounts and nonces end in a counter (mod 1000), so no two transactions built
  // under one blockhash have the same bytes (the second would be dropped as a duplicate).
  let seq = 0;
  return {
    p,
    rng,
    proposals,
    decoy,
    amount: (max) => BigInt(rng.int(1, max)) * 1000n + BigInt(seq++ % 1000),
    nonce: () => ComputeBudgetProgram.setComputeUnitLimit({ units: 200_000 + (seq++ % 1000) }),
    voters: (n) => rng.sample(p.voters, n),
  };
}

export const single = (tx: Tx): Plan => ({
  size: 1,
  run: async (send) => succeeded(await (await send(tx)).confirmed),
});

/** Sends each in turn once the previous one is confirmed; false at the first that did not succeed. */
export async function steps(send: Send, txs: Tx[]): Promise<boolean> {
  for (const tx of txs) if (!succeeded(await (await send(tx)).confirmed)) return false;
  return true;
}
