import {
  backoffMs,
  ECE_PAUSE_PROGRAM_ID,
  ECE_TOKEN_PROGRAM_ID,
  ECE_TREASURY_PROGRAM_ID,
  pause,
  sleep,
  token,
} from "@ece/sdk";
import type { Pool } from "pg";
import type { Logger } from "pino";
import { fetchTransactions } from "../chain/fetch.js";
import type { SignatureInfo } from "../chain/rpc-types.js";
import type { IndexerMetrics } from "../metrics.js";
import type { RpcClient } from "../rpc/client.js";
import { type CursorUpdate, writeBatch } from "../store/write.js";

export interface FollowOptions {
  rpc: RpcClient;
  pool: Pool;
  log: Logger;
  metrics: IndexerMetrics;
  /** Transactions per database transaction. */
  batchSize?: number;
  /** With no cursor yet, start at this slot instead of the beginning of history. */
  fromSlot?: number;
}

interface Cursor {
  kind: string;
  signature: string | null;
}

const PAGE = 1000;

/** The addresses every indexer follows: the three programs, their state
 * accounts, and the ECE mint (SPL burns by holders change its supply without
 * calling a program of ours). Multisigs and vaults join as the events that
 * create them are mirrored. */
export const FIXED_ADDRESSES: ReadonlyArray<readonly [string, string]> = [
  [ECE_TREASURY_PROGRAM_ID.toBase58(), "program"],
  [ECE_TOKEN_PROGRAM_ID.toBase58(), "program"],
  [ECE_PAUSE_PROGRAM_ID.toBase58(), "program"],
  [token.eceMintPda()[0].toBase58(), "mint"],
  [token.tokenConfigPda()[0].toBase58(), "state"],
  [pause.pauseStatePda()[0].toBase58(), "state"],
];

/** The multisigs and vaults the mirror knows: followed like the programs. */
export async function followedAccounts(pool: Pool): Promise<{ address: string; kind: string }[]> {
  const { rows } = await pool.query<{ address: string; kind: string }>(
    "SELECT address, 'multisig' AS kind FROM treasury_multisigs UNION ALL SELECT address, 'vault' FROM treasury_vaults",
  );
  return rows;
}

/**
 * Follows the addresses at `confirmed` and mirrors their transactions exactly
 * once. Each cycle lists what is new since each address's cursor with
 * `getSignaturesForAddress` (the authoritative, gap-free source), merges the
 * lists in slot order, fetches transactions in bounded-concurrency JSON-RPC
 * batches, and writes each batch with the cursors it completes in one database
 * transaction. A crash anywhere replays at most one batch, which the writer's
 * idempotent inserts turn into nothing.
 */
export class Follower {
  private readonly cursors = new Map<string, Cursor>();
  private readonly batchSize: number;
  private readonly fromSlot: number;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Called with addresses the follower starts following (new vaults). */
  onNewAddress: (address: string) => void = () => {};

  constructor(private readonly o: FollowOptions) {
    this.batchSize = o.batchSize ?? 250;
    this.fromSlot = o.fromSlot ?? 0;
  }

  async load(): Promise<string[]> {
    for (const [address, kind] of FIXED_ADDRESSES) this.cursors.set(address, { kind, signature: null });
    const { rows } = await this.o.pool.query<{ address: string; kind: string; signature: string | null }>(
      "SELECT address, kind, signature FROM indexer_cursors",
    );
    for (const r of rows) this.cursors.set(r.address, { kind: r.kind, signature: r.signature });
    const { rows: vaults } = await this.o.pool.query<{ address: string }>("SELECT address FROM treasury_vaults");
    for (const v of vaults)
      if (!this.cursors.has(v.address)) this.cursors.set(v.address, { kind: "vault", signature: null });
    return [...this.cursors.keys()];
  }

  /** Runs a cycle now, or right after the one in progress. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.cycleWithRetry();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Lets the cycle in progress finish its batch, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async cycleWithRetry(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.cycle();
        this.o.metrics.up.set(1);
        return;
      } catch (e) {
        this.o.metrics.up.set(0);
        this.o.metrics.cycleErrors.inc();
        const delay = backoffMs(attempt, 250, 10_000) + 100;
        this.o.log.error({ err: (e as Error).message, delay }, "follow cycle failed; retrying");
        await sleep(delay);
      }
    }
  }

  /** One pass: everything confirmed since the cursors. */
  async cycle(): Promise<void> {
    const head = await this.o.rpc.call<number>("getSlot", [{ commitment: "confirmed" }]);
    this.o.metrics.headSlot.set(head);
    const lists = new Map<string, SignatureInfo[]>();
    for (const [address, cursor] of this.cursors) lists.set(address, await this.listSince(address, cursor.signature));

    const seen = new Set<string>();
    const pending: SignatureInfo[] = [];
    for (const list of lists.values())
      for (const s of list)
        if (!seen.has(s.signature)) {
          seen.add(s.signature);
          pending.push(s);
        }
    pending.sort((a, b) => a.slot - b.slot); // stable: same-slot order is list order
    this.o.metrics.lagSlots.set(pending[0] ? head - pending[0].slot : 0);

    const done = new Set<string>();
    const progress = new Map<string, number>([...lists.keys()].map((a) => [a, 0]));
    for (let start = 0; start < pending.length && !this.stopped; start += this.batchSize) {
      const oldest = pending[start]?.blockTime;
      if (oldest) this.o.metrics.lagSeconds.set(Math.max(0, Date.now() / 1000 - oldest));
      const slice = pending.slice(start, start + this.batchSize);
      const timer = this.o.metrics.batches.startTimer();
      const txs = await fetchTransactions(
        this.o,
        slice.map((s) => s.signature),
      );
      for (const t of txs) done.add(t.signature);
      const cursors: CursorUpdate[] = [];
      for (const [address, list] of lists) {
        let n = progress.get(address) ?? 0;
        while (n < list.length && done.has(list[n]?.signature ?? "")) n++;
        if (n === progress.get(address) || n === 0) continue;
        progress.set(address, n);
        const last = list[n - 1] as SignatureInfo;
        const kind = this.cursors.get(address)?.kind ?? "account";
        cursors.push({ address, kind, signature: last.signature, slot: BigInt(last.slot) });
      }
      const { inserted, mirror } = await writeBatch(this.o.pool, txs, cursors);
      timer();
      for (const c of cursors) this.cursors.set(c.address, { kind: c.kind, signature: c.signature });
      for (const t of inserted) {
        this.o.metrics.transactions.inc({ status: t.success ? "success" : "failed" });
        for (const e of t.events) this.o.metrics.events.inc({ name: e.name });
      }
      for (const a of mirror.newAddresses)
        if (!this.cursors.has(a)) {
          this.cursors.set(a, { kind: "account", signature: null });
          this.onNewAddress(a);
          this.again = true;
        }
      // A transaction the node could not return yet: stop here, the next cycle resumes.
      if (txs.length < slice.length) return;
    }
    this.o.metrics.indexedSlot.set(head);
    this.o.metrics.lagSlots.set(0);
    this.o.metrics.lagSeconds.set(0);
  }

  /** Signatures of `address` newer than `until`, oldest first. */
  private async listSince(address: string, until: string | null): Promise<SignatureInfo[]> {
    const out: SignatureInfo[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.o.rpc.call<SignatureInfo[]>("getSignaturesForAddress", [
        address,
        { limit: PAGE, commitment: "confirmed", ...(before ? { before } : {}), ...(until ? { until } : {}) },
      ]);
      for (const s of page) {
        if (!until && s.slot < this.fromSlot) return out.reverse();
        out.push(s);
      }
      if (page.length < PAGE) return out.reverse();
      before = page.at(-1)?.signature;
    }
  }
}
