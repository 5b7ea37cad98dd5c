// Raw JSON-RPC helpers for the conformance suites (tests/localnet/conformance-*):
// they talk to the localnet the way any HTTP client does, so a test sees the exact
// codes, messages and shapes that web3.js, kit and anchor would receive.
import assert from "node:assert/strict";
import { signTransaction } from "@ece/sdk/node";
import { getBase58Decoder } from "@solana/kit";
import {
  type Connection,
  type Keypair,
  type PublicKey,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcReply<T> {
  jsonrpc: "2.0";
  id: number | string | null;
  result?: T;
  error?: JsonRpcError;
}

let nextId = 1;

/** One JSON-RPC call over HTTP POST; the whole reply, result or error. */
export async function call<T = unknown>(url: string, method: string, params?: unknown[]): Promise<JsonRpcReply<T>> {
  const body: Record<string, unknown> = { jsonrpc: "2.0", id: nextId++, method };
  if (params !== undefined) body.params = params;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${method}: HTTP ${res.status}`);
  return (await res.json()) as JsonRpcReply<T>;
}

/** The result of a call that must succeed. */
export async function result<T = unknown>(url: string, method: string, params?: unknown[]): Promise<T> {
  const reply = await call<T>(url, method, params);
  if (reply.error) throw new Error(`${method} failed: ${reply.error.code} ${reply.error.message}`);
  assert.ok("result" in reply, `${method}: a reply with neither result nor error`);
  return reply.result as T;
}

/** The error of a call that must fail. */
export async function failure(url: string, method: string, params?: unknown[]): Promise<JsonRpcError> {
  const reply = await call(url, method, params);
  assert.ok(reply.error, `${method} must fail, got ${JSON.stringify(reply.result)}`);
  assert.equal(typeof reply.error.code, "number");
  assert.equal(typeof reply.error.message, "string");
  return reply.error;
}

/** Polls `probe` until it returns something other than null/undefined/false. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const base58 = (bytes: Uint8Array): string => getBase58Decoder().decode(bytes);
export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** A signed legacy transaction's wire bytes (native signing; every signer must be named). */
export function signed(
  ixs: TransactionInstruction[],
  payer: Keypair,
  blockhash: string,
  signers: Keypair[] = [],
): Uint8Array {
  const tx = new Transaction().add(...ixs);
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = blockhash;
  return signTransaction(tx, [payer, ...signers]);
}

/** A signed SOL transfer's wire bytes. */
export function transferWire(from: Keypair, to: PublicKey, lamports: number, blockhash: string): Uint8Array {
  return signed([SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to, lamports })], from, blockhash);
}

/** The signature (base58) of a wire transaction: its first 64-byte signature. */
export function signatureOf(wire: Uint8Array): string {
  return base58(wire.subarray(1, 65));
}

/** Waits until `signature` has reached `level` (per getSignatureStatuses). */
export async function reached(
  connection: Connection,
  signature: string,
  level: "processed" | "confirmed" | "finalized",
): Promise<void> {
  const order = ["processed", "confirmed", "finalized"];
  await until(`${signature} ${level}`, async () => {
    const { value } = await connection.getSignatureStatuses([signature]);
    const status = value[0]?.confirmationStatus;
    return status !== undefined && order.indexOf(status) >= order.indexOf(level);
  });
}

/** A transaction as getTransaction returns it in `json` encoding. */
export interface TransactionJson {
  slot: number;
  blockTime: number | null;
  version?: "legacy" | 0;
  transaction: {
    signatures: string[];
    message: {
      accountKeys: string[];
      header: { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number };
      recentBlockhash: string;
      instructions: Array<{ programIdIndex: number; accounts: number[]; data: string }>;
      addressTableLookups?: Array<{ accountKey: string; writableIndexes: number[]; readonlyIndexes: number[] }>;
    };
  };
  meta: TransactionMetaJson;
}

export interface TokenBalanceJson {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: { amount: string; decimals: number; uiAmount: number | null; uiAmountString: string };
}

export interface TransactionMetaJson {
  err: unknown;
  status: { Ok: null } | { Err: unknown };
  fee: number;
  preBalances: number[];
  postBalances: number[];
  innerInstructions: Array<{
    index: number;
    instructions: Array<{ programIdIndex: number; accounts: number[]; data: string; stackHeight: number | null }>;
  }>;
  logMessages: string[];
  preTokenBalances: TokenBalanceJson[];
  postTokenBalances: TokenBalanceJson[];
  rewards: unknown[];
  loadedAddresses: { writable: string[]; readonly: string[] };
  computeUnitsConsumed: number;
}
