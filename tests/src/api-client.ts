// A small HTTP client for the API suites, and Sign-In With Solana as a wallet does it.
import { signBytes } from "@ece/sdk/node";
import { type Keypair, Transaction, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";

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
    const nonce = await this.post("/api/v1/auth/nonce", { address: wallet.publicKey.toBase58() });
    if (nonce.status !== 200) throw new Error(`nonce: ${nonce.status} ${nonce.text}`);
    const signature = signBytes(new TextEncoder().encode(nonce.body.message), wallet);
    const verify = await this.post("/api/v1/auth/verify", {
      message: nonce.body.message,
      signature: bs58.encode(signature),
    });
    if (verify.status !== 200) throw new Error(`verify: ${verify.status} ${verify.text}`);
    return { token: verify.body.accessToken, refreshToken: verify.body.refreshToken, session: verify.body };
  }
}

/** Signs a transaction the API built (base64 wire bytes) with the wallet's key(s); returns wire bytes. */
export function signBuilt(base64: string, signers: Keypair[]): Buffer {
  const tx = Transaction.from(Buffer.from(base64, "base64"));
  tx.partialSign(...signers);
  return tx.serialize();
}

export { VersionedTransaction };
