// What the treasury domain reads from the chain (which wins over the mirror) and
// how it turns instructions into unsigned transactions for a signer's wallet.
import { ECE_PAUSE_PROGRAM_ID, pause, toJson, treasury } from "@ece/sdk";
import { type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import type { ApiDeps } from "../../deps.js";

/** The wire limit of a legacy transaction (bytes). */
export const TX_LIMIT = 1232;

export const permissionNames = (bits: number) =>
  (["propose", "vote", "execute"] as const).filter((_, i) => (bits & (1 << i)) !== 0);

export async function chainMultisig(deps: ApiDeps): Promise<treasury.Multisig | null> {
  const info = await deps.connection.getAccountInfo(deps.platform.multisig, "confirmed");
  return info ? treasury.decodeMultisig(info) : null;
}

export async function chainProposal(deps: ApiDeps, address: PublicKey): Promise<treasury.Proposal | null> {
  const info = await deps.connection.getAccountInfo(address, "confirmed");
  if (!info || info.data.length === 0) return null;
  return treasury.decodeProposal(info);
}

export async function chainPause(deps: ApiDeps): Promise<pause.PauseState | null> {
  const info = await deps.connection.getAccountInfo(deps.platform.pauseState, "confirmed");
  return info ? pause.decodePauseState(info, ECE_PAUSE_PROGRAM_ID) : null;
}

/** Token balances (SPL account layout: amount at byte 64) of `accounts`, one RPC call; null when absent. */
export async function tokenBalances(deps: ApiDeps, accounts: PublicKey[]): Promise<Array<bigint | null>> {
  const infos = await deps.connection.getMultipleAccountsInfo(accounts, "confirmed");
  return infos.map((i) => (i && i.data.length >= 72 ? i.data.readBigUInt64LE(64) : null));
}

export const actionJson = (a: treasury.ProposalAction) => toJson(a);

/** A chain proposal in the API's shape. */
export function proposalChainView(p: treasury.Proposal) {
  return {
    status: p.status,
    required: p.required,
    approvals: p.approvals,
    rejections: p.rejections,
    cancellations: p.cancellations,
    executedEntries: p.executedEntries,
    loadedEntries: p.loadedEntries,
    paidAmount: p.paidAmount.toString(),
    createdAt: Number(p.createdAt),
    approvedAt: Number(p.approvedAt),
    executedAt: Number(p.executedAt),
    complianceHash: Buffer.from(p.complianceHash).toString("hex"),
    action: actionJson(p.action),
  };
}

export interface Built {
  transaction: string;
  blockhash: string;
  lastValidBlockHeight: number;
  signers: string[];
}

/** Serializes unsigned legacy transactions for `feePayer`, all on one recent blockhash. */
export async function buildAll(deps: ApiDeps, feePayer: PublicKey, txs: TransactionInstruction[][]): Promise<Built[]> {
  const { blockhash, lastValidBlockHeight } = await deps.connection.getLatestBlockhash("confirmed");
  return txs.map((ixs) => {
    const tx = new Transaction({ feePayer, blockhash, lastValidBlockHeight }).add(...ixs);
    return {
      transaction: tx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString("base64"),
      blockhash,
      lastValidBlockHeight,
      signers: [feePayer.toBase58()],
    };
  });
}

/** Wire size of a transaction of `ixs` paid by `feePayer` (signatures included). */
export function wireSize(feePayer: PublicKey, ixs: TransactionInstruction[]): number {
  const tx = new Transaction({ feePayer, blockhash: feePayer.toBase58(), lastValidBlockHeight: 0 }).add(...ixs);
  try {
    return tx.serialize({ requireAllSignatures: false, verifySignatures: false }).length;
  } catch {
    // web3.js refuses to serialize past the limit.
    return TX_LIMIT + 1;
  }
}

/**
 * Splits `items` into the fewest consecutive chunks (at most `max` each) whose
 * transaction, as `make` builds it, fits the wire limit; `first` may differ.
 */
export function pack<T>(
  feePayer: PublicKey,
  items: T[],
  max: number,
  make: (chunk: T[], first: boolean) => TransactionInstruction[],
): T[][] {
  const chunks: T[][] = [];
  let at = 0;
  while (at < items.length || chunks.length === 0) {
    const first = chunks.length === 0;
    let n = Math.min(max, items.length - at);
    while (n > 1 && wireSize(feePayer, make(items.slice(at, at + n), first)) > TX_LIMIT) n--;
    if (wireSize(feePayer, make(items.slice(at, at + n), first)) > TX_LIMIT)
      throw new Error("one entry does not fit a transaction");
    chunks.push(items.slice(at, at + n));
    at += n;
    if (n === 0) break;
  }
  return chunks;
}
