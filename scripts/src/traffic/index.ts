// A mixed program-traffic generator for the indexer's tests and benchmark: ECE
// mints and burns, plain SPL burns and payments into the vaults, treasury
// proposals through their whole life, pauses, transactions that land failed and
// instructions the IDLs cannot decode.
import type { Manifest } from "../deploy/manifest.js";
import { Confirmer } from "./confirm.js";
import { context } from "./plan.js";
import { loadPlatform } from "./platform.js";
import { Proposals } from "./proposals.js";
import { Rng } from "./rng.js";
import { Rpc } from "./rpc.js";
import { type RunOptions, runMix } from "./run.js";
import { Sender } from "./sender.js";
import { setUp } from "./setup.js";
import type { TrafficStats } from "./stats.js";

export { DEFAULT_MIX, MIX_KINDS, type MixKind, type RunOptions } from "./run.js";
export type { Tally, TrafficStats } from "./stats.js";

export interface TrafficOptions {
  rpcUrl: string;
  walletsDir: string;
  manifest: Manifest;
  /** Seeds every choice (kinds' variants, users, amounts); default 1. */
  seed?: number;
  log?: (line: string) => void;
}

export interface Traffic {
  /** Signatures of what prepareTraffic sent. */
  setupSignatures: string[];
  /** Sends about `count` transactions of the mix; `rate` = target tx/s (omit: as fast as the node takes them,
   * bounded in flight). Resolves once every sent transaction is confirmed (landed, success or failure).
   * One run at a time: a pause flow must not overlap anything else. */
  run(opts: RunOptions): Promise<TrafficStats>;
}

/** The one-time setup (see setup.ts), then a generator to run. */
export async function prepareTraffic(opts: TrafficOptions): Promise<Traffic> {
  const log = opts.log ?? (() => {});
  const rpc = new Rpc(opts.rpcUrl);
  const confirmer = new Confirmer(rpc);
  const p = loadPlatform(opts.manifest, opts.walletsDir);
  const proposals = new Proposals(rpc, p);
  const { decoy, signatures } = await setUp({ rpc, sender: new Sender(rpc, confirmer), proposals, p, log });
  const ctx = context(p, new Rng(opts.seed ?? 1), proposals, decoy);
  return { setupSignatures: signatures, run: (o) => runMix({ rpc, confirmer, ctx, log }, o) };
}
