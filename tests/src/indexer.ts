// What the indexer suites check the mirror with: the chain's own signature lists,
// the indexer's commands as processes; the indexer process itself lives in scripts.
import { join } from "node:path";

export {
  type IndexerProcess,
  type IndexerTarget,
  metricValue,
  spawnIndexer,
  untilMirrored,
} from "../../scripts/src/indexer-process.js";

import type { IndexerTarget } from "../../scripts/src/indexer-process.js";
import { type RunningCli, runCli } from "./cli.js";
import { call } from "./localnet-client.js";

const INDEXER = join(import.meta.dirname, "../../indexer/src");

/** `npm run indexer:<name>`'s entry point as its own process. */
export function runIndexerCli(name: "reconcile" | "backfill", t: IndexerTarget, args: string[] = []): RunningCli {
  return runCli(join(INDEXER, name, "cli.ts"), ["--rpc", t.rpcUrl, ...args], {
    ...process.env,
    DATABASE_URL: t.databaseUrl,
  });
}

/** Every signature the chain lists for `addresses` (the union, each once), with its outcome. */
export async function chainSignatures(
  rpcUrl: string,
  addresses: string[],
): Promise<Map<string, { slot: number; failed: boolean }>> {
  const all = new Map<string, { slot: number; failed: boolean }>();
  for (const address of addresses) {
    let before: string | undefined;
    for (;;) {
      const r = await call<{ signature: string; slot: number; err: unknown }[]>(rpcUrl, "getSignaturesForAddress", [
        address,
        { limit: 1000, commitment: "confirmed", ...(before ? { before } : {}) },
      ]);
      const page = r.result ?? [];
      for (const s of page) all.set(s.signature, { slot: s.slot, failed: s.err !== null });
      if (page.length < 1000) break;
      before = page.at(-1)?.signature;
    }
  }
  return all;
}
