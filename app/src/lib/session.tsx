"use client";
// The session in React, and Sign-In With Solana: nonce → the wallet signs → verify.
import bs58 from "bs58";
import { useCallback, useSyncExternalStore } from "react";
import type { WalletApi } from "../wallet/context";
import { api } from "./api";
import { can, getServerSession, getSession, type Session, setSession, subscribeSession } from "./session-store";

export function useSession() {
  const session = useSyncExternalStore(subscribeSession, getSession, getServerSession);
  const has = useCallback((permission: string) => can(session, permission), [session]);
  return { session, can: has };
}

interface NonceAnswer {
  message: string;
  nonce: string;
  signInInput: Record<string, string>;
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Signs the API's own message when the wallet can (the exact text the API issued); wallets that
 * only offer `solana:signIn` write it themselves from the same fields. */
export async function signIn(wallet: WalletApi): Promise<Session> {
  const address = wallet.address;
  if (!address) throw new Error("Connect a wallet first");
  const nonce = await api<NonceAnswer>("/api/v1/auth/nonce", { method: "POST", body: { address } });
  let body: unknown;
  if (wallet.signMessage) {
    const signature = await wallet.signMessage(new TextEncoder().encode(nonce.message));
    body = { message: nonce.message, signature: bs58.encode(signature) };
  } else if (wallet.signIn) {
    const out = await wallet.signIn(nonce.signInInput);
    body = {
      output: {
        account: { address: out.address },
        signedMessage: base64(out.signedMessage),
        signature: base64(out.signature),
      },
    };
  } else {
    throw new Error(`${wallet.walletName ?? "This wallet"} cannot sign messages`);
  }
  const session = await api<Session>("/api/v1/auth/verify", { method: "POST", body });
  setSession(session);
  return session;
}

export async function signOut(): Promise<void> {
  if (getSession()) await api("/api/v1/auth/logout", { method: "POST" }).catch(() => undefined);
  setSession(null);
}
