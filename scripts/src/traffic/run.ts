// The scheduler: picks kinds in proportion to their weights (counted in
// transactions), runs up to `maxInFlight` plans at once (one transaction in
// flight each) and an exclusive plan alone.

import type { Confirmer } from "./confirm.js";
import { pauseFlow, proposalFlow } from "./flows.js";
import { burn, failed, foreign, mint, revenue, splBurn } from "./kinds.js";
import { Pacer, Permits } from "./limits.js";
import type { Ctx, Plan } from "./plan.js";
import type { Rpc } from "./rpc.js";
import { Sender } from "./sender.js";
import { Stats, type TrafficStats } from "./stats.js";

export const MIX_KINDS = [
  "mint",
  "burn",
  "splBurn",
  "revenue",
  "proposalFlow",
  "pauseFlow",
  "failed",
  "foreign",
] as const;
export type MixKind = (typeof MIX_KINDS)[number];

/** Relative shares of the transactions; most in the cheap independent kinds. A
 * pause flow stops everything else while it runs, so it is rare. */
export const DEFAULT_MIX: Record<MixKind, number> = {
  mint: 30,
  burn: 10,
  splBurn: 6,
  revenue: 20,
  proposalFlow: 18,
  pauseFlow: 0.5,
  failed: 8,
  foreign: 7,
};

const PLANNERS: Record<MixKind, (c: Ctx) => Plan> = {
  mint,
  burn,
  splBurn,
  revenue,
  proposalFlow,
  pauseFlow,
  failed,
  foreign,
};

export interface RunOptions {
  count: number;
  rate?: number;
  /** Weights replacing the defaults of the kinds named; 0 leaves a kind out. */
  mix?: Partial<Record<MixKind, number>>;
  /** Plans (so transactions) in flight at once. */
  maxInFlight?: number;
}

export interface RunEnv {
  rpc: Rpc;
  confirmer: Confirmer;
  ctx: Ctx;
  log: (line: string) => void;
}

export async function runMix(env: RunEnv, opts: RunOptions): Promise<TrafficStats> {
  const weights = { ...DEFAULT_MIX, ...opts.mix };
  if (!MIX_KINDS.some((k) => weights[k] > 0)) throw new Error("traffic mix: every weight is 0");
  const stats = new Stats(env.log);
  const sender = new Sender(env.rpc, env.confirmer, opts.rate ? new Pacer(opts.rate) : null);
  const permits = new Permits(opts.maxInFlight ?? 64);
  const charged = Object.fromEntries(MIX_KINDS.map((k) => [k, 0])) as Record<MixKind, number>;
  const running = new Set<Promise<unknown>>();
  let error: unknown = null;
  const start = performance.now();

  for (let total = 0; total < opts.count && error === null; ) {
    // The kind furthest behind its share goes next.
    const kind = MIX_KINDS.filter((k) => weights[k] > 0).reduce((a, b) =>
      charged[b] / weights[b] < charged[a] / weights[a] ? b : a,
    );
    const plan = PLANNERS[kind](env.ctx);
    charged[kind] += plan.size;
    total += plan.size;
    const n = plan.exclusive ? permits.size : 1;
    await permits.acquire(n);
    const task = plan
      .run(sender.recording((tx, o) => stats.record(kind, tx, o)))
      .catch((e: unknown) => {
        error ??= e;
      })
      .finally(() => {
        permits.release(n);
        running.delete(task);
      });
    running.add(task);
  }
  await Promise.all(running);
  if (error !== null) throw error;
  stats.value.elapsedMs = performance.now() - start;
  const s = stats.value;
  env.log(
    `traffic: ${s.sent} sent, ${s.succeeded} succeeded, ${s.failed} failed, ${s.dropped} dropped in ` +
      `${(s.elapsedMs / 1000).toFixed(1)} s (${((s.sent * 1000) / s.elapsedMs).toFixed(0)} tx/s)`,
  );
  return s;
}
