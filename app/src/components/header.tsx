"use client";
// Top bar: navigation by role, live-stream state, wallet and session.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { errorText } from "../lib/errors";
import { useLiveState } from "../lib/events";
import { shortAddress } from "../lib/format";
import { signIn, signOut, useSession } from "../lib/session";
import { useWallet } from "../wallet/context";

const NAV: { href: string; label: string; permission?: string }[] = [
  { href: "/", label: "Dashboard" },
  { href: "/cards", label: "Cards" },
  { href: "/marketplace", label: "Marketplace" },
  { href: "/battles", label: "Battles" },
  { href: "/treasury", label: "Treasury", permission: "treasury:multisig:read" },
  { href: "/explorer", label: "Explorer", permission: "transactions:transaction:read" },
  { href: "/compliance", label: "Compliance", permission: "compliance:review:read" },
  { href: "/emergency", label: "Emergency" },
];

export function Header() {
  const pathname = usePathname();
  const { session, can } = useSession();
  const [menu, setMenu] = useState(false);
  const items = NAV.filter((n) => !n.permission || can(n.permission));
  const active = (href: string) => (href === "/" ? pathname === "/" : pathname.startsWith(href));
  return (
    <header className="sticky top-0 z-30 border-b border-white/10 bg-slate-950/80 backdrop-blur">
      <div className="mx-auto flex h-16 max-w-7xl items-center gap-4 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-bold tracking-tight text-white" data-testid="nav-home">
          <span className="grid h-8 w-8 place-items-center rounded-lg bg-gradient-to-br from-indigo-500 to-emerald-400 text-sm text-slate-950">
            E
          </span>
          <span className="hidden sm:inline">ECE</span>
        </Link>
        <nav aria-label="Main" className="hidden flex-1 items-center gap-1 lg:flex">
          {items.map((n) => (
            <Link
              key={n.href}
              href={n.href}
              aria-current={active(n.href) ? "page" : undefined}
              data-testid={`nav-${n.label.toLowerCase()}`}
              className={`rounded-lg px-3 py-2 text-sm font-medium ${active(n.href) ? "bg-white/10 text-white" : "text-slate-400 hover:text-white"}`}
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <LiveDot />
          <Account />
          <button
            type="button"
            className="rounded-lg border border-white/15 px-2.5 py-2 text-slate-200 lg:hidden"
            aria-expanded={menu}
            aria-controls="mobile-nav"
            aria-label="Menu"
            onClick={() => setMenu((m) => !m)}
            data-testid="nav-menu"
          >
            ☰
          </button>
        </div>
      </div>
      {menu && (
        <nav id="mobile-nav" aria-label="Main" className="border-t border-white/10 px-4 py-2 lg:hidden">
          {items.map((n) => (
            <Link
              key={n.href}
              href={n.href}
              onClick={() => setMenu(false)}
              aria-current={active(n.href) ? "page" : undefined}
              className={`block rounded-lg px-3 py-2 text-sm ${active(n.href) ? "bg-white/10 text-white" : "text-slate-300"}`}
            >
              {n.label}
            </Link>
          ))}
        </nav>
      )}
      {session && (
        <span className="sr-only" data-testid="session-roles">
          {session.roles.join(",")}
        </span>
      )}
    </header>
  );
}

function LiveDot() {
  const state = useLiveState();
  const label = {
    idle: "Live updates off",
    connecting: "Connecting to live updates",
    open: "Live",
    closed: "Live updates stopped",
  }[state];
  const color = state === "open" ? "bg-emerald-400" : state === "connecting" ? "bg-amber-400" : "bg-slate-500";
  return (
    <span
      className="hidden items-center gap-1.5 text-xs text-slate-400 sm:flex"
      data-testid="live-status"
      data-state={state}
      title={label}
    >
      <span className={`h-2 w-2 rounded-full ${color}`} aria-hidden="true" />
      <span>{state === "open" ? "Live" : state === "connecting" ? "…" : ""}</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

function Account() {
  const { session } = useSession();
  const { wallet, openConnect } = useWallet();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const button = "rounded-lg px-3 py-2 text-sm font-semibold";

  if (!wallet.connected && !session) {
    return (
      <button
        type="button"
        onClick={openConnect}
        className={`${button} bg-indigo-500 text-white hover:bg-indigo-400`}
        data-testid="connect-wallet"
      >
        Connect wallet
      </button>
    );
  }
  const mismatch = wallet.connected && session && wallet.address !== session.wallet;
  const doSignIn = async () => {
    setBusy(true);
    setError(null);
    try {
      await signIn(wallet);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex items-center gap-2">
      {session ? (
        <span
          className="rounded-lg border border-white/10 bg-white/5 px-3 py-2 font-mono text-xs text-slate-200"
          data-testid="session-wallet"
          data-wallet={session.wallet}
          title={`Signed in as ${session.wallet} (${session.roles.join(", ")})`}
        >
          {shortAddress(session.wallet)}
        </span>
      ) : null}
      {wallet.connected && (!session || mismatch) && (
        <button
          type="button"
          onClick={doSignIn}
          disabled={busy}
          className={`${button} bg-indigo-500 text-white hover:bg-indigo-400 disabled:opacity-50`}
          data-testid="sign-in"
          title={mismatch ? "The connected wallet differs from the signed-in one" : undefined}
        >
          {busy ? "Signing…" : mismatch ? `Sign in as ${shortAddress(wallet.address ?? "")}` : "Sign in"}
        </button>
      )}
      {session && !wallet.connected && (
        <button
          type="button"
          onClick={openConnect}
          className={`${button} border border-white/15 text-slate-200 hover:bg-white/10`}
          data-testid="connect-wallet"
        >
          Connect
        </button>
      )}
      <button
        type="button"
        onClick={() => {
          void signOut();
          void wallet.disconnect();
        }}
        className={`${button} text-slate-400 hover:text-white`}
        data-testid="sign-out"
      >
        Sign out
      </button>
      {error && (
        <span
          role="alert"
          className="max-w-48 truncate text-xs text-rose-300"
          data-testid="sign-in-error"
          title={error}
        >
          {error}
        </span>
      )}
    </div>
  );
}
