// Small building blocks shared by every page.
import Link from "next/link";
import type { ApiError } from "../lib/api";
import { shortAddress } from "../lib/format";

type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "ghost" | "danger" };

const VARIANTS = {
  primary: "bg-indigo-500 text-white hover:bg-indigo-400 focus-visible:outline-indigo-300",
  ghost: "border border-white/15 bg-white/5 text-slate-100 hover:bg-white/10 focus-visible:outline-slate-300",
  danger: "bg-rose-600 text-white hover:bg-rose-500 focus-visible:outline-rose-300",
};

export function Button({ variant = "primary", className = "", type = "button", ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center gap-2 rounded-lg px-3.5 py-2 text-sm font-semibold transition focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-45 ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}

export function PageHeader({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children?: React.ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-white sm:text-3xl">{title}</h1>
        {subtitle && <p className="mt-1 max-w-2xl text-sm text-slate-400">{subtitle}</p>}
      </div>
      {children && <div className="flex flex-wrap gap-2">{children}</div>}
    </div>
  );
}

export function Panel({
  title,
  children,
  actions,
  className = "",
  testId,
}: {
  title?: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      className={`rounded-2xl border border-white/10 bg-slate-900/70 p-4 shadow-lg shadow-black/20 sm:p-5 ${className}`}
      data-testid={testId}
    >
      {(title || actions) && (
        <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="text-base font-semibold text-white">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

export function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="rounded-xl border border-white/10 bg-white/[0.03] p-4">
      <div className="text-xs font-medium uppercase tracking-wide text-slate-400">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums text-white" data-testid={testId}>
        {value}
      </div>
      {hint && (
        <div className="mt-1 truncate text-xs text-slate-500" title={hint}>
          {hint}
        </div>
      )}
    </div>
  );
}

const TONES = {
  slate: "bg-slate-500/15 text-slate-300 ring-slate-400/30",
  green: "bg-emerald-500/15 text-emerald-300 ring-emerald-400/30",
  amber: "bg-amber-500/15 text-amber-300 ring-amber-400/30",
  red: "bg-rose-500/15 text-rose-300 ring-rose-400/30",
  indigo: "bg-indigo-500/15 text-indigo-300 ring-indigo-400/30",
  violet: "bg-violet-500/15 text-violet-300 ring-violet-400/30",
};
export type Tone = keyof typeof TONES;

export function Badge({
  tone = "slate",
  children,
  testId,
}: {
  tone?: Tone;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
      data-testid={testId}
    >
      {children}
    </span>
  );
}

export function Empty({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <div
      className="rounded-xl border border-dashed border-white/10 px-4 py-8 text-center text-sm text-slate-400"
      data-testid={testId ?? "empty"}
    >
      {children}
    </div>
  );
}

export function Loading({ rows = 3, testId = "loading" }: { rows?: number; testId?: string }) {
  return (
    <div className="space-y-2" aria-busy="true" aria-live="polite" data-testid={testId}>
      <span className="sr-only">Loading…</span>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="h-10 animate-pulse rounded-lg bg-white/5" />
      ))}
    </div>
  );
}

export function ErrorNote({ error, testId = "error" }: { error: ApiError | string; testId?: string }) {
  const text = typeof error === "string" ? error : error.message;
  const code = typeof error === "string" ? null : error.code;
  return (
    <div role="alert" className="rounded-xl bg-rose-500/10 px-4 py-3 text-sm text-rose-200" data-testid={testId}>
      {code && <span className="mr-2 font-mono text-xs text-rose-300">{code}</span>}
      {text}
    </div>
  );
}

/** A notice for a page the visitor cannot use yet (signed out, missing role). */
export function Gate({ children, testId = "gate" }: { children: React.ReactNode; testId?: string }) {
  return (
    <div
      className="rounded-2xl border border-white/10 bg-slate-900/70 px-6 py-10 text-center text-slate-300"
      data-testid={testId}
    >
      {children}
    </div>
  );
}

export function Address({ value, chars = 4, testId }: { value: string; chars?: number; testId?: string }) {
  return (
    <span className="font-mono text-xs" title={value} data-testid={testId} data-value={value}>
      {shortAddress(value, chars)}
    </span>
  );
}

export function Field({ label, children, hint }: { label: string; children: React.ReactNode; hint?: string }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child, so the label wraps it (implicit association)
    <label className="block text-sm">
      <span className="mb-1 block font-medium text-slate-300">{label}</span>
      {children}
      {hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
    </label>
  );
}

export const inputClass =
  "w-full rounded-lg border border-white/15 bg-slate-950/60 px-3 py-2 text-sm text-white placeholder:text-slate-500 focus:border-indigo-400 focus:outline-none focus:ring-2 focus:ring-indigo-400/40";

export function TextLink({ href, children, testId }: { href: string; children: React.ReactNode; testId?: string }) {
  return (
    <Link href={href} className="text-indigo-300 underline-offset-2 hover:underline" data-testid={testId}>
      {children}
    </Link>
  );
}

export function LoadMore({ onClick, busy }: { onClick: () => void; busy: boolean }) {
  return (
    <div className="mt-4 flex justify-center">
      <Button variant="ghost" onClick={onClick} disabled={busy} data-testid="load-more">
        {busy ? "Loading…" : "Load more"}
      </Button>
    </div>
  );
}
