"use client";
// Choose a wallet, connect it, sign in: one dialog (native <dialog>: focus is trapped and
// Escape closes it). Sign-in starts by itself once the chosen wallet is connected.
import { useEffect, useRef, useState } from "react";
import { errorText } from "../lib/errors";
import { signIn, useSession } from "../lib/session";
import { useWallet } from "./context";

type Phase = "choose" | "connecting" | "signing" | "error";

export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { wallet } = useWallet();
  const { session } = useSession();
  const ref = useRef<HTMLDialogElement>(null);
  const [phase, setPhase] = useState<Phase>("choose");
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setPhase("choose");
      setError(null);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);

  useEffect(() => {
    if (phase !== "connecting" || !chosen || wallet.walletName !== chosen) return;
    if (wallet.error) {
      setError(wallet.error);
      setPhase("error");
      return;
    }
    if (!wallet.connected || !wallet.address) return;
    if (session?.wallet === wallet.address) {
      onClose();
      return;
    }
    setPhase("signing");
    signIn(wallet).then(onClose, (e: unknown) => {
      setError(errorText(e));
      setPhase("error");
    });
  }, [phase, chosen, wallet, session, onClose]);

  const choose = (name: string) => {
    setChosen(name);
    setError(null);
    setPhase("connecting");
    wallet.select(name);
  };

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="connect-title"
      data-testid="connect-dialog"
      className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-2xl border border-white/10 bg-slate-900 p-0 text-slate-100 shadow-2xl backdrop:bg-black/60 backdrop:backdrop-blur-sm"
    >
      <div className="flex items-center justify-between border-b border-white/10 px-5 py-4">
        <h2 id="connect-title" className="text-lg font-semibold">
          Connect a wallet
        </h2>
        <button
          type="button"
          onClick={onClose}
          className="rounded-lg px-2 py-1 text-slate-400 hover:bg-white/10 hover:text-white"
          aria-label="Close"
          data-testid="connect-close"
        >
          ✕
        </button>
      </div>
      <div className="space-y-3 p-5">
        {!wallet.ready && <p className="text-sm text-slate-400">Looking for wallets…</p>}
        {wallet.ready && wallet.wallets.length === 0 && (
          <p className="text-sm text-slate-300" data-testid="connect-no-wallets">
            No Solana wallet found in this browser. Install Phantom, Solflare, Backpack or any Wallet Standard wallet,
            then reload.
          </p>
        )}
        <ul className="space-y-2">
          {wallet.wallets.map((w) => (
            <li key={w.name}>
              <button
                type="button"
                onClick={() => choose(w.name)}
                disabled={phase === "connecting" || phase === "signing"}
                data-testid={`wallet-option-${w.name}`}
                className="flex w-full items-center gap-3 rounded-xl border border-white/10 bg-white/5 px-4 py-3 text-left font-medium hover:border-indigo-400/60 hover:bg-white/10 disabled:opacity-50"
              >
                {/* Wallet icons are data: URLs supplied by the wallet itself. */}
                {/* biome-ignore lint/performance/noImgElement: a data URL, nothing for next/image to optimise */}
                <img src={w.icon} alt="" width={28} height={28} className="rounded-md" />
                <span className="flex-1">{w.name}</span>
                {chosen === w.name && phase === "connecting" && (
                  <span className="text-xs text-slate-400">Connecting…</span>
                )}
                {chosen === w.name && phase === "signing" && (
                  <span className="text-xs text-slate-400">Approve the sign-in…</span>
                )}
              </button>
            </li>
          ))}
        </ul>
        {phase === "signing" && (
          <p className="text-sm text-slate-300" data-testid="connect-signing">
            Sign the message in your wallet to sign in. It costs nothing and sends no transaction.
          </p>
        )}
        {error && (
          <p
            role="alert"
            className="rounded-lg bg-rose-500/10 px-3 py-2 text-sm text-rose-300"
            data-testid="connect-error"
          >
            {error}
          </p>
        )}
      </div>
    </dialog>
  );
}
