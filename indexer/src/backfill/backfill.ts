import { createHash } from "node:crypto";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Pool } from "pg";
import type { Logger } from "pino";
import { fetchTransactions } from "../chain/fetch.js";
import type { SignatureInfo } from "../chain/rpc-types.js";
import { followedAccounts } from "../follow/follower.js";
import type { IndexerMetrics } from "../metrics.js";
import type { RpcClient } from "../rpc/client.js";
import { writeBatch } from "../store/write.js";

export const BACKFILL_QUEUE = "ece-indexer-backfill";

/** A backfill's progress, saved in the job after every committed step so a
 * restarted worker resumes where the last one stopped. */
export interface BackfillData {
  fromSlot: number;
  addresses: string[];
  phase: "list" | "process";
  /** list: the address being listed, the page to continue before, the
   * within-slot rank of the last signature listed. */
  addressIndex: number;
  before: string | null;
  lastSlot: number;
  rank: number;
  /** process: signatures processed so far. */
  processed: number;
}

export interface BackfillDeps {
  rpc: RpcClient;
  pool: Pool;
  log: Logger;
  metrics: IndexerMetrics;
  redis: Redis;
  batchSize?: number;
}

/** One backfill per database, node and start slot: a rerun finds and resumes it;
 * other databases on the same Redis get jobs of their own. */
export const backfillJobId = (databaseUrl: string, rpcUrl: string, fromSlot: number): string =>
  `backfill-${createHash("sha256").update(`${databaseUrl}\n${rpcUrl}`).digest("hex").slice(0, 16)}-from-${fromSlot}`;

export const initialData = (fromSlot: number, addresses: string[]): BackfillData => ({
  fromSlot,
  addresses,
  phase: "list",
  addressIndex: 0,
  before: null,
  lastSlot: -1,
  rank: 0,
  processed: 0,
});

const PAGE = 1000;
/** Sorted-set score: slot first, then the order within the slot (listings are newest first). */
const score = (slot: number, rank: number) => slot * 10_000 + (9_999 - Math.min(rank, 9_999));

/**
 * Mirrors every transaction of the addresses from `fromSlot` up to now, oldest
 * first, like the live follower but without moving its cursors. Listing walks
 * each address's history backwards into a Redis sorted set (by slot, deduped
 * across addresses); processing then writes it in batches in chain order.
 * Multisigs and vaults the processing discovers are listed and processed in turn; a
 * signature listed again after it was written is written again as a no-op.
 */
export function backfillProcessor(deps: BackfillDeps) {
  const batchSize = deps.batchSize ?? 250;
  return async (job: Job<BackfillData>): Promise<{ written: number }> => {
    const key = `ece:backfill:${job.id}:signatures`;
    const data = { ...job.data };
    const save = async () => {
      await job.updateData(data);
      await job.updateProgress({ phase: data.phase, address: data.addressIndex, processed: data.processed });
    };
    let written = 0;
    for (;;) {
      while (data.phase === "list" && data.addressIndex < data.addresses.length) {
        const address = data.addresses[data.addressIndex] as string;
        const page = await deps.rpc.call<SignatureInfo[]>("getSignaturesForAddress", [
          address,
          { limit: PAGE, commitment: "confirmed", ...(data.before ? { before: data.before } : {}) },
        ]);
        const members: (string | number)[] = [];
        let reachedStart = page.length < PAGE;
        for (const s of page) {
          if (s.slot < data.fromSlot) {
            reachedStart = true;
            break;
          }
          data.rank = s.slot === data.lastSlot ? data.rank + 1 : 0;
          data.lastSlot = s.slot;
          members.push(score(s.slot, data.rank), s.signature);
        }
        // NX: a transaction listed under another address keeps its first place.
        if (members.length > 0) await deps.redis.zadd(key, "NX", ...members);
        if (reachedStart) {
          data.addressIndex++;
          data.before = null;
          data.lastSlot = -1;
          data.rank = 0;
        } else data.before = page.at(-1)?.signature ?? null;
        await save();
      }
      data.phase = "process";
      await save();
      for (;;) {
        // Always the oldest left: vaults listed later may add older signatures.
        const signatures = await deps.redis.zrange(key, 0, batchSize - 1);
        if (signatures.length === 0) break;
        const txs = await fetchTransactions(deps, signatures);
        if (txs.length < signatures.length)
          throw new Error(`the node did not return ${signatures[txs.length]}; retrying later`);
        const { inserted } = await writeBatch(deps.pool, txs, []);
        written += inserted.length;
        data.processed += signatures.length;
        // Removed only once written: a crash in between writes them again, which changes nothing.
        await deps.redis.zrem(key, ...signatures);
        await save();
      }
      // Multisigs and vaults created in what was just written have histories of their own.
      const fresh = (await followedAccounts(deps.pool))
        .map((r) => r.address)
        .filter((a) => !data.addresses.includes(a));
      if (fresh.length === 0) break;
      data.addresses.push(...fresh);
      data.phase = "list";
      await save();
    }
    await deps.redis.del(key);
    deps.log.info({ job: job.id, written, addresses: data.addresses.length }, "backfill done");
    return { written };
  };
}
