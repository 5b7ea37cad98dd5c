// Raw JSON-RPC over HTTP and WebSocket for the localnet suites: the exact bytes,
// codes, messages and shapes on the wire that web3.js, kit and anchor receive (and
// hide), plus transactions signed natively (fast) and sent as base64.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { signTransaction } from "@ece/sdk/node";
import { getBase58Decoder } from "@solana/kit";
import { createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import {
  type Connection,
  type Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import WebSocket from "ws";

export type Commitment = "processed" | "confirmed" | "finalized";

export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

export interface RpcResponse<T = unknown> {
  jsonrpc: "2.0";
  id: number | string | null;
  result?: T;
  error?: RpcErrorBody;
}

export interface HttpReply {
  status: number;
  text: string;
  /** The parsed body, undefined when it is empty or not JSON. */
  json: unknown;
}

/** POSTs `body` as is (a string, not re-encoded) and returns status and body. */
export async function postRaw(url: string, body: string | Uint8Array): Promise<HttpReply> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

let requestIds = 0;

/** One JSON-RPC call over HTTP POST; returns the whole response (result or error). */
export async function call<T = unknown>(url: string, method: string, params?: unknown): Promise<RpcResponse<T>> {
  const id = ++requestIds;
  const body = JSON.stringify(
    params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params },
  );
  const reply = await postRaw(url, body);
  if (reply.status !== 200) throw new Error(`${method}: HTTP ${reply.status}: ${reply.text}`);
  const response = reply.json as RpcResponse<T>;
  if (response.id !== id) throw new Error(`${method}: response id ${String(response.id)}, expected ${id}`);
  return response;
}

/** The result of a JSON-RPC call that must succeed. */
export async function rpc<T = unknown>(url: string, method: string, params?: unknown): Promise<T> {
  const response = await call<T>(url, method, params);
  if (response.error) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
  assert.ok("result" in response, `${method}: a response with neither result nor error`);
  return response.result as T;
}

/** The error of a JSON-RPC call that must fail. */
export async function failure(url: string, method: string, params?: unknown): Promise<RpcErrorBody> {
  const response = await call(url, method, params);
  assert.ok(response.error, `${method} must fail, got ${JSON.stringify(response.result)}`);
  assert.equal(typeof response.error.code, "number");
  assert.equal(typeof response.error.message, "string");
  return response.error;
}

export async function getSlot(url: string, commitment: Commitment): Promise<number> {
  return rpc<number>(url, "getSlot", [{ commitment }]);
}

export async function getBalance(url: string, key: PublicKey | string, commitment = "processed"): Promise<number> {
  const r = await rpc<{ value: number }>(url, "getBalance", [key.toString(), { commitment }]);
  return r.value;
}

/** A token account's raw amount, or null when it does not exist. */
export async function getTokenAmount(url: string, account: PublicKey | string): Promise<bigint | null> {
  const r = await call<{ value: { amount: string } }>(url, "getTokenAccountBalance", [
    account.toString(),
    { commitment: "processed" },
  ]);
  return r.error ? null : BigInt(r.result?.value.amount ?? "0");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` (every 10 ms) until it returns something other than
 * null/undefined/false, and returns that.
 */
export async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Waits until the node's `commitment` slot is at least `slot`; returns that slot. */
export async function waitForSlot(
  url: string,
  slot: number,
  commitment: Commitment = "processed",
  timeoutMs = 10_000,
): Promise<number> {
  return until(
    `slot ${slot} (${commitment})`,
    async () => {
      const now = await getSlot(url, commitment);
      return now >= slot && now;
    },
    timeoutMs,
  );
}

/** Lets `n` more slots pass (processed). */
export async function passSlots(url: string, n: number): Promise<void> {
  await waitForSlot(url, (await getSlot(url, "processed")) + n);
}

/** Blockhashes, fetched at most every 2 s (valid for 150 slots). */
export class Blockhashes {
  private cached: { hash: string; at: number } | null = null;
  constructor(private readonly url: string) {}

  async get(): Promise<string> {
    if (this.cached && Date.now() - this.cached.at < 2000) return this.cached.hash;
    const r = await rpc<{ value: { blockhash: string } }>(this.url, "getLatestBlockhash", [
      { commitment: "confirmed" },
    ]);
    this.cached = { hash: r.value.blockhash, at: Date.now() };
    return r.value.blockhash;
  }
}

export const base58 = (bytes: Uint8Array): string => getBase58Decoder().decode(bytes);
export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** The signature (base58) of a wire transaction: its first 64-byte signature. */
export function signatureOf(wire: Uint8Array): string {
  // Wire layout: a one-byte signature count (below 128), then the first signature.
  return base58(wire.subarray(1, 65));
}

/** A signed transaction: its signature, wire bytes and their base64. */
export interface Signed {
  signature: string;
  wire: Uint8Array;
  base64: string;
}

/** Signs a legacy transaction natively (every signer besides the payer must be named). */
export function sign(
  ixs: TransactionInstruction[],
  payer: Keypair,
  blockhash: string,
  signers: Keypair[] = [],
): Signed {
  const tx = new Transaction().add(...ixs);
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = blockhash;
  const wire = signTransaction(tx, [payer, ...signers]);
  return { signature: signatureOf(wire), wire, base64: base64(wire) };
}

export function transferIx(from: PublicKey, to: PublicKey, lamports: number): TransactionInstruction {
  return SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports });
}

/** A SOL transfer from `from`, who also pays the fee, signed. */
export function signedTransfer(from: Keypair, to: PublicKey, lamports: number, blockhash: string): Signed {
  return sign([transferIx(from.publicKey, to, lamports)], from, blockhash);
}

export function tokenTransferIx(
  mint: PublicKey,
  from: PublicKey,
  to: PublicKey,
  amount: bigint,
): TransactionInstruction {
  return createTransferInstruction(
    getAssociatedTokenAddressSync(mint, from),
    getAssociatedTokenAddressSync(mint, to),
    from,
    amount,
  );
}

/** sendTransaction (base64); returns the whole response. */
export async function sendRaw(
  url: string,
  encoded: string,
  config: Record<string, unknown> = {},
): Promise<RpcResponse<string>> {
  return call<string>(url, "sendTransaction", [encoded, { encoding: "base64", ...config }]);
}

/** sendTransaction that must be accepted; returns the signature. */
export async function send(url: string, signed: Signed, config: Record<string, unknown> = {}): Promise<string> {
  const response = await sendRaw(url, signed.base64, config);
  if (response.error) throw new Error(`sendTransaction: ${response.error.code} ${response.error.message}`);
  if (response.result !== signed.signature) throw new Error(`sendTransaction returned ${String(response.result)}`);
  return signed.signature;
}

/** An entry of getSignatureStatuses' value. */
export interface SignatureStatus {
  slot: number;
  confirmations: number | null;
  err: unknown;
  status: unknown;
  confirmationStatus: Commitment;
}

/** getSignatureStatuses with searchTransactionHistory, for any number of signatures. */
export async function statuses(url: string, signatures: string[]): Promise<Array<SignatureStatus | null>> {
  const out: Array<SignatureStatus | null> = [];
  for (let i = 0; i < signatures.length; i += 256) {
    const r = await rpc<{ value: Array<SignatureStatus | null> }>(url, "getSignatureStatuses", [
      signatures.slice(i, i + 256),
      { searchTransactionHistory: true },
    ]);
    out.push(...r.value);
  }
  return out;
}

/** Waits until `signature` has reached `level` (per getSignatureStatuses). */
export async function reached(connection: Connection, signature: string, level: Commitment): Promise<void> {
  const order = ["processed", "confirmed", "finalized"];
  await until(`${signature} ${level}`, async () => {
    const { value } = await connection.getSignatureStatuses([signature]);
    const status = value[0]?.confirmationStatus;
    return status !== undefined && order.indexOf(status) >= order.indexOf(level);
  });
}

export function newKey(): PublicKey {
  return new PublicKey(randomBytes(32));
}

// ---- JSON shapes ---------------------------------------------------------------

/** A value with the context (slot) it was read at. */
export interface WithContext<T> {
  context: { slot: number; apiVersion?: string };
  value: T;
}

/** An account as getAccountInfo and the account notifications give it. */
export interface AccountJson {
  lamports: number;
  owner: string;
  data: unknown;
  executable: boolean;
  rentEpoch: number;
  space: number;
}

/** An account with its address, as getProgramAccounts and programSubscribe give it. */
export interface KeyedAccountJson {
  pubkey: string;
  account: AccountJson;
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

export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

export interface TokenBalanceJson {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: UiTokenAmount;
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

// ---- WebSocket ---------------------------------------------------------------

export interface Notification<T = unknown> {
  jsonrpc: "2.0";
  method: string;
  params: { result: T; subscription: number };
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
}

/** A raw WebSocket JSON-RPC client that keeps every message it receives, in order. */
export class WsClient {
  /** Every message received, parsed, in arrival order. */
  readonly messages: unknown[] = [];
  /** The same messages as the exact text received. */
  readonly texts: string[] = [];
  private nextId = 1;
  private waiters: Waiter[] = [];
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const text = data.toString();
      this.texts.push(text);
      this.messages.push(JSON.parse(text));
      this.check();
    });
    socket.on("close", () => {
      this.closed = true;
      this.check();
    });
    socket.on("error", () => {});
  }

  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once("open", () => resolve(new WsClient(socket)));
      socket.once("error", reject);
    });
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Waits until `test()` holds, re-checked on every message. */
  until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        test: () => test() || this.closed,
        resolve: () => {
          clearTimeout(timer);
          if (test()) resolve();
          else reject(new Error(`socket closed while waiting for ${what}`));
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The id of the last request sent. */
  get lastId(): number {
    return this.nextId - 1;
  }

  sendText(text: string | Buffer): void {
    this.socket.send(text);
  }

  /** The first message (after `from`) whose id is `id`. */
  async reply(id: unknown, from = 0): Promise<{ message: RpcResponse; text: string }> {
    const find = () => this.messages.findIndex((m, i) => i >= from && (m as { id?: unknown }).id === id);
    await this.until(() => find() >= 0, `the reply to id ${String(id)}`);
    const i = find();
    return { message: this.messages[i] as RpcResponse, text: this.texts[i] as string };
  }

  /** Sends one request and returns its whole response. */
  async request<T = unknown>(method: string, params?: unknown): Promise<RpcResponse<T>> {
    const id = this.nextId++;
    const from = this.messages.length;
    this.sendText(
      JSON.stringify(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params }),
    );
    return (await this.reply(id, from)).message as RpcResponse<T>;
  }

  /** Subscribes and returns the subscription id (throws on an error reply). */
  async subscribe(method: string, params?: unknown): Promise<number> {
    const response = await this.request<number>(method, params);
    if (response.error) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
    return response.result as number;
  }

  /** Notifications of subscription `sub`, in arrival order. */
  notifications<T = unknown>(sub: number): Array<Notification<T>> {
    return this.messages.filter(
      (m): m is Notification<T> =>
        (m as { method?: unknown }).method !== undefined && (m as Notification).params?.subscription === sub,
    );
  }

  /** Index in `messages` of the `n`-th (0-based) notification of `sub`. */
  indexOf(sub: number, n: number): number {
    let seen = 0;
    for (let i = 0; i < this.messages.length; i++) {
      const m = this.messages[i] as Notification;
      if (m.method !== undefined && m.params?.subscription === sub && seen++ === n) return i;
    }
    return -1;
  }

  async waitForNotifications<T = unknown>(
    sub: number,
    count: number,
    timeoutMs = 10_000,
  ): Promise<Array<Notification<T>>> {
    await this.until(() => this.notifications(sub).length >= count, `${count} notifications of ${sub}`, timeoutMs);
    return this.notifications<T>(sub);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once("close", () => resolve());
      this.socket.close();
    });
  }
}
