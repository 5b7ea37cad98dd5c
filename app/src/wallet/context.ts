"use client";
// What the app knows of the wallet. The wallet adapter (and @solana/web3.js under it) is
// loaded on demand by WalletShell and reports through this context, so pages that never
// touch a wallet do not carry it in their first load.
import type { Transaction } from "@solana/web3.js";
import { createContext, useContext } from "react";

export interface WalletOption {
  name: string;
  icon: string;
  installed: boolean;
}

export interface SignInOutput {
  address: string;
  signedMessage: Uint8Array;
  signature: Uint8Array;
}

export interface WalletApi {
  /** The adapter is loaded and has looked for wallets. */
  ready: boolean;
  wallets: WalletOption[];
  walletName: string | null;
  address: string | null;
  connected: boolean;
  connecting: boolean;
  /** The last wallet error (rejected connection, missing wallet, …), for the dialog. */
  error: string | null;
  select(name: string): void;
  disconnect(): Promise<void>;
  signMessage?: (message: Uint8Array) => Promise<Uint8Array>;
  signIn?: (input: Record<string, string>) => Promise<SignInOutput>;
  signTransaction?: (tx: Transaction) => Promise<Transaction>;
}

export const NO_WALLET: WalletApi = {
  ready: false,
  wallets: [],
  walletName: null,
  address: null,
  connected: false,
  connecting: false,
  error: null,
  select: () => undefined,
  disconnect: async () => undefined,
};

export interface WalletShellApi {
  wallet: WalletApi;
  /** Opens the connect dialog (loading the adapter first if needed). */
  openConnect(): void;
}

export const WalletContext = createContext<WalletShellApi>({ wallet: NO_WALLET, openConnect: () => undefined });

export const useWallet = () => useContext(WalletContext);
