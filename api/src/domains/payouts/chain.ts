// The payout job's own transactions: signed by its proposer or executor key (never a
// signer's). A batch's appends and execute chunks are sent one after another, each
// confirmed before the next, because they must land in order; token accounts can be
// created in any order, so those go out many at a time.
import { confirmSignature, decodeProgramError, ECE_IDLS } from "@ece/sdk";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import {
  type Keypair,
  PublicKey,
  SendTransactionError,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import type { ApiDeps } from "../../deps.js";
import { pack } from "../treasury/chain.js";

/** A transaction the program refused: its error by name (NotAMember, Paused, …). */
export class ChainRefused extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Sends one transaction of `ixs` paid and signed by `payer` and waits until it is confirmed. */
async function sendConfirmed(
  deps: Pick<ApiDeps, "connection">,
  payer: Keypair,
  ixs: TransactionInstruction[],
): Promise<string> {
  const { blockhash, lastValidBlockHeight } = await deps.connection.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: payer.publicKey, blockhash, lastValidBlockHeight }).add(...ixs);
  tx.sign(payer);
  let signature: string;
  try {
    signature = await deps.connection.sendRawTransaction(tx.serialize(), { preflightCommitment: "confirmed" });
  } catch (e) {
    if (e instanceof SendTransactionError) {
      const logs = (await e.getLogs(deps.connection).catch(() => null)) ?? e.logs ?? [];
      const named = decodeProgramError(logs, ECE_IDLS);
      if (named) throw new ChainRefused(named.name, `${named.name}: ${named.message}`);
    }
    throw e;
  }
  const outcome = await confirmSignature(deps.connection, signature, lastValidBlockHeight, "confirmed", 50);
  if (!outcome.ok) throw new Error(`transaction ${signature} failed: ${JSON.stringify(outcome.err)}`);
  return signature;
}

/** Sends `txs` in order, each confirmed before the next; `after(i, signature)` runs once each has landed. */
export async function sendInOrder(
  deps: Pick<ApiDeps, "connection">,
  payer: Keypair,
  txs: TransactionInstruction[][],
  after: (i: number, signature: string) => Promise<void> = async () => {},
): Promise<string[]> {
  const signatures: string[] = [];
  for (const [i, ixs] of txs.entries()) {
    const signature = await sendConfirmed(deps, payer, ixs);
    signatures.push(signature);
    await after(i, signature);
  }
  return signatures;
}

/**
 * Sends `txs` that may land in any order, `concurrency` in flight, each confirmed. After a
 * failure no more are started; the first error is thrown once those in flight have settled.
 */
export async function sendUnordered(
  deps: Pick<ApiDeps, "connection">,
  payer: Keypair,
  txs: TransactionInstruction[][],
  concurrency: number,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < txs.length) {
      const ixs = txs[next++] as TransactionInstruction[];
      try {
        await sendConfirmed(deps, payer, ixs);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, txs.length) }, worker));
  const error = outcomes.find((o) => o.status === "rejected");
  if (error) throw error.reason;
}

/** Creates the recipients' associated token accounts that do not exist yet (the payer pays the rent). */
export async function ensureTokenAccounts(
  deps: Pick<ApiDeps, "connection">,
  payer: Keypair,
  mint: PublicKey,
  owners: string[],
): Promise<number> {
  const accounts = owners.map((o) => getAssociatedTokenAddressSync(mint, new PublicKey(o), true));
  const missing: number[] = [];
  for (let at = 0; at < accounts.length; at += 100) {
    const infos = await deps.connection.getMultipleAccountsInfo(accounts.slice(at, at + 100), "confirmed");
    infos.forEach((info, i) => {
      if (!info) missing.push(at + i);
    });
  }
  const make = (chunk: number[]) =>
    chunk.map((i) =>
      createAssociatedTokenAccountIdempotentInstruction(
        payer.publicKey,
        accounts[i] as PublicKey,
        new PublicKey(owners[i] as string),
        mint,
      ),
    );
  // The creations are idempotent and independent: a failure leaves the rest for the next run to find missing.
  if (missing.length) await sendUnordered(deps, payer, pack(payer.publicKey, missing, 8, make).map(make), 32);
  return missing.length;
}
