"use client";
import { PauseProvider } from "../lib/pause";
import { WalletShell } from "../wallet/shell";
import { Header } from "./header";
import { PauseBanner } from "./pause-banner";

export function Providers({ children }: { children: React.ReactNode }) {
  return (
    <WalletShell>
      <PauseProvider>
        <Header />
        <PauseBanner />
        <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
      </PauseProvider>
    </WalletShell>
  );
}
