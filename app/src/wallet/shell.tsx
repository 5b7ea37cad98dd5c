"use client";
// Provides the wallet context. The adapter is imported when the user asks to connect, or
// at once when a wallet was connected before (the adapter reconnects it by itself).
import { type ComponentType, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ConnectDialog } from "./connect-dialog";
import { NO_WALLET, type WalletApi, WalletContext } from "./context";

type Layer = ComponentType<{ onChange: (w: WalletApi) => void }>;

/** wallet-adapter-react keeps the chosen wallet's name under this localStorage key. */
const REMEMBERED = "walletName";

export function WalletShell({ children }: { children: React.ReactNode }) {
  const [Layer, setLayer] = useState<Layer | null>(null);
  const [wallet, setWallet] = useState<WalletApi>(NO_WALLET);
  const [dialogOpen, setDialogOpen] = useState(false);
  const loading = useRef(false);

  const load = useCallback(() => {
    if (loading.current) return;
    loading.current = true;
    void import("./wallet-layer").then((m) => setLayer(() => m.default));
  }, []);

  useEffect(() => {
    if (window.localStorage.getItem(REMEMBERED)) load();
  }, [load]);

  const openConnect = useCallback(() => {
    load();
    setDialogOpen(true);
  }, [load]);

  const value = useMemo(() => ({ wallet, openConnect }), [wallet, openConnect]);
  return (
    <WalletContext.Provider value={value}>
      {Layer && <Layer onChange={setWallet} />}
      {children}
      <ConnectDialog open={dialogOpen} onClose={() => setDialogOpen(false)} />
    </WalletContext.Provider>
  );
}
