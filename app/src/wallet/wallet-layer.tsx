"use client";
// Loaded on demand: @solana/wallet-adapter-react with an empty adapter list, so every
// Wallet Standard wallet in the page (Phantom, Solflare, Backpack, …) is detected.
import { type Adapter, type WalletError, type WalletName, WalletReadyState } from "@solana/wallet-adapter-base";
import { useWallet, WalletProvider } from "@solana/wallet-adapter-react";
import type { Transaction } from "@solana/web3.js";
import { memo, useCallback, useEffect, useState } from "react";
import type { WalletApi } from "./context";

// The provider gives a new context object on every render, and the bridge hands it up to the
// shell, whose state change re-renders this layer: unless the layer re-renders only when its
// own props or state change (memo) and the adapter list is one array for its whole life, that
// is a render loop, which kept the main thread busy and starved every navigation (a transition)
// for as long as a wallet was loaded.
const NO_ADAPTERS: Adapter[] = [];

export default memo(function WalletLayer({ onChange }: { onChange: (w: WalletApi) => void }) {
  const [error, setError] = useState<string | null>(null);
  const clearError = useCallback(() => setError(null), []);
  const onError = useCallback((e: WalletError) => setError(e.message || e.name), []);
  return (
    <WalletProvider wallets={NO_ADAPTERS} autoConnect onError={onError}>
      <Bridge onChange={onChange} error={error} clearError={clearError} />
    </WalletProvider>
  );
});

function Bridge(props: { onChange: (w: WalletApi) => void; error: string | null; clearError: () => void }) {
  const w = useWallet();
  const { onChange, error, clearError } = props;
  useEffect(() => {
    const signIn = w.signIn;
    const signTransaction = w.signTransaction;
    onChange({
      ready: true,
      wallets: w.wallets.map((x) => ({
        name: x.adapter.name,
        icon: x.adapter.icon,
        installed: x.readyState === WalletReadyState.Installed,
      })),
      walletName: w.wallet?.adapter.name ?? null,
      address: w.publicKey?.toBase58() ?? null,
      connected: w.connected,
      connecting: w.connecting,
      error,
      select: (name) => {
        clearError();
        w.select(name as WalletName);
      },
      disconnect: () => w.disconnect(),
      signMessage: w.signMessage,
      signIn: signIn
        ? async (input) => {
            const out = await signIn(input);
            return { address: out.account.address, signedMessage: out.signedMessage, signature: out.signature };
          }
        : undefined,
      signTransaction: signTransaction ? (tx: Transaction) => signTransaction(tx) : undefined,
    });
  }, [w, onChange, error, clearError]);
  return null;
}
