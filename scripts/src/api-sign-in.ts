// Sign-In With Solana against the API, as a wallet does it: ask for the message,
// sign it with the wallet's key, send both back. For tests, benchmarks and scripts.
import { signBytes } from "@ece/sdk/node";
import type { Keypair } from "@solana/web3.js";
import bs58 from "bs58";

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  wallet: string;
  roles: string[];
  permissions: string[];
  [field: string]: unknown;
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The session body of POST /api/v1/auth/verify (tokens, roles, permissions). */
export async function signInToApi(baseUrl: string, wallet: Keypair): Promise<SignedIn> {
  const { message } = await post(`${baseUrl}/api/v1/auth/nonce`, { address: wallet.publicKey.toBase58() });
  const signature = bs58.encode(signBytes(new TextEncoder().encode(String(message)), wallet));
  return (await post(`${baseUrl}/api/v1/auth/verify`, { message, signature })) as SignedIn;
}
