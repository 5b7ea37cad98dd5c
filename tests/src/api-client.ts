// A small HTTP client for the API suites, and what a wallet does beside it: sign in,
// sign the transactions the API builds, send its own.
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import {
  type Connection,
  type Keypair,
  type PublicKey,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import { signInToApi } from "../../scripts/src/api-sign-in.js";
import { until } from "./localnet-client.js";

/** Response bodies: the suites assert them field by field (and the stack checks them against the OpenAPI document). */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Body = any;

export interface ApiResponse<T = Body> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send this raw text as the body (malformed input tests). */
  raw?: string;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Body>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers["content-type"] ??= "application/json";
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] = "application/json";
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  get = <T = Body>(path: string, opts?: RequestOptions) => this.request<T>("GET", path, opts);
  post = <T = Body>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    this.request<T>("POST", path, { ...opts, body });
  put = <T = Body>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    this.request<T>("PUT", path, { ...opts, body });
  patch = <T = Body>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    this.request<T>("PATCH", path, { ...opts, body });
  delete = <T = Body>(path: string, opts?: RequestOptions) => this.request<T>("DELETE", path, opts);

  /** Signs in `wallet` (nonce → sign the message → verify); returns the access token and the session body. */
  async signIn(wallet: Keypair): Promise<{ token: string; refreshToken: string; session: Body }> {
    const session = await signInToApi(this.baseUrl, wallet);
    return { token: session.accessToken, refreshToken: session.refreshToken, session };
  }
}

/** Signs a transaction the API built (base64 wire bytes) with the wallet's key(s); returns wire bytes. */
export function signBuilt(base64: string, signers: Keypair[]): Buffer {
  const tx = Transaction.from(Buffer.from(base64, "base64"));
  tx.partialSign(...signers);
  return tx.serialize();
}

/** Waits until `signature` is confirmed; throws with its error if it failed. */
export async function confirmed(conn: Connection, signature: string): Promise<void> {
  await until(
    `${signature} confirmed`,
    async () => {
      const st = (await conn.getSignatureStatus(signature)).value;
      if (st?.err) throw new Error(`${signature} failed: ${JSON.stringify(st.err)}`);
      return st?.confirmationStatus === "confirmed" || st?.confirmationStatus === "finalized";
    },
    30_000,
  );
}

/** Signs `ixs` with `signers` (the first pays), sends them and waits until confirmed. */
export async function sendIxs(conn: Connection, ixs: TransactionInstruction[], signers: Keypair[]): Promise<string> {
  const [payer] = signers;
  if (!payer) throw new Error("a transaction needs a fee payer");
  const { blockhash, lastValidBlockHeight } = await conn.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: payer.publicKey, blockhash, lastValidBlockHeight }).add(...ixs);
  tx.sign(...signers);
  const signature = await conn.sendRawTransaction(tx.serialize());
  await confirmed(conn, signature);
  return signature;
}

/** `amount` of `mint` from `from`'s associated account to `to`'s, created if missing (`from` pays). */
export function giveTokenIxs(
  from: PublicKey,
  to: PublicKey,
  mint: PublicKey,
  amount: bigint,
): TransactionInstruction[] {
  const destination = getAssociatedTokenAddressSync(mint, to, true);
  return [
    createAssociatedTokenAccountIdempotentInstruction(from, destination, to, mint),
    createTransferInstruction(getAssociatedTokenAddressSync(mint, from), destination, from, amount),
  ];
}
