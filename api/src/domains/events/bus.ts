// Live events of the platform: API domain events (sale.completed, battle.vote, …) go
// through Redis pub/sub so every API process sees them; mirrored chain events are read
// from Postgres by their `seq`, by one poller per process shared by every listener
// (SSE clients, the webhook dispatcher).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type pg from "pg";
import type { ApiDeps } from "../../deps.js";

export interface LiveEvent {
  /** `chain:<seq>` for a mirrored chain event, `api:<uuid>` for an API event. */
  id: string;
  source: "chain" | "api";
  /** Chain event name (PayoutPaid, Minted, …) or API event type (sale.completed, …). */
  type: string;
  data: unknown;
  /** ISO time the event happened (block time for chain events when known). */
  at: string;
  /** Chain events only: the mirror's position, resumable with Last-Event-ID. */
  seq?: string;
}

export interface ChainEventData {
  signature: string;
  index: number;
  slot: string;
  blockTime: string | null;
  program: string;
  name: string;
  data: unknown;
  amount: string | null;
}

type BusDeps = Pick<ApiDeps, "redis" | "config">;

/** Redis channels are not keys, so ioredis' keyPrefix does not apply: prefix by hand. */
export const eventsChannel = (prefix: string) => `${prefix}events`;

/**
 * Publishes an API domain event to every API process (SSE clients and webhook
 * subscriptions of `type`). Fire-and-forget for callers: a Redis failure is thrown,
 * callers that must not fail on it should catch.
 */
export async function publishEvent(deps: BusDeps, e: { type: string; data: unknown; id?: string }): Promise<LiveEvent> {
  const event: LiveEvent = {
    id: `api:${e.id ?? randomUUID()}`,
    source: "api",
    type: e.type,
    data: toJson(e.data),
    at: new Date().toISOString(),
  };
  await deps.redis.publish(eventsChannel(deps.config.redisPrefix), JSON.stringify(event));
  return event;
}

/** BigInt-safe JSON value. */
export function toJson(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));
}

interface ChainRow {
  seq: string;
  signature: string;
  index: number;
  slot: string;
  block_time: Date | null;
  program: string;
  name: string;
  data: unknown;
  amount: string | null;
}

export function chainLiveEvent(r: ChainRow): LiveEvent {
  const data: ChainEventData = {
    signature: r.signature,
    index: r.index,
    slot: String(r.slot),
    blockTime: r.block_time ? r.block_time.toISOString() : null,
    program: r.program,
    name: r.name,
    data: r.data,
    amount: r.amount === null ? null : String(r.amount),
  };
  return {
    id: `chain:${r.seq}`,
    source: "chain",
    type: r.name,
    data,
    at: (r.block_time ?? new Date()).toISOString(),
    seq: String(r.seq),
  };
}

/**
 * Mirrored chain events after `seq`, in seq order. The indexer is the only writer and
 * writes its batches one transaction after another, so seq order is commit order and
 * polling `seq > last` skips nothing.
 */
export async function chainEventsAfter(pool: pg.Pool, seq: bigint, limit = 500): Promise<LiveEvent[]> {
  const { rows } = await pool.query<ChainRow>(
    `SELECT seq::text AS seq, signature, index, slot::text AS slot, block_time, program, name, data, amount::text AS amount
       FROM chain_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [seq.toString(), limit],
  );
  return rows.map(chainLiveEvent);
}

export async function latestChainSeq(pool: pg.Pool): Promise<bigint> {
  const { rows } = await pool.query<{ seq: string | null }>("SELECT max(seq)::text AS seq FROM chain_events");
  return BigInt(rows[0]?.seq ?? "0");
}

export type Listener = (e: LiveEvent) => void;

/** One per API process: a Redis subscriber connection and the chain poller, fanned out to listeners. */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();
  /** Highest chain seq delivered to listeners. */
  lastSeq = 0n;

  constructor(
    private readonly deps: Pick<ApiDeps, "redis" | "config" | "pool">,
    private readonly pollMs = 250,
  ) {}

  async start(): Promise<void> {
    this.lastSeq = await latestChainSeq(this.deps.pool);
    // A subscribed connection cannot run other commands, so it is its own.
    const sub = new Redis(this.deps.config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber = sub;
    sub.on("error", () => {}); // reconnects by itself; errors are not fatal to the API
    sub.on("message", (_channel: string, message: string) => {
      try {
        this.emit(JSON.parse(message) as LiveEvent);
      } catch {
        // not ours
      }
    });
    await sub.connect();
    await sub.subscribe(eventsChannel(this.deps.config.redisPrefix));
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => this.schedule());
    }, this.pollMs);
  }

  private async poll(): Promise<void> {
    try {
      for (;;) {
        const events = await chainEventsAfter(this.deps.pool, this.lastSeq);
        for (const e of events) {
          this.lastSeq = BigInt(e.seq as string);
          this.emit(e);
        }
        if (events.length < 500 || this.stopped) return;
      }
    } catch {
      // the database is away for a moment: the next poll resumes from lastSeq
    }
  }

  private emit(e: LiveEvent) {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // one listener's failure is not the others'
      }
    }
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    this.listeners.clear();
    if (this.subscriber) await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
  }
}

// The events and webhooks plugins are encapsulated siblings; they share the process's hub
// through the deps object, started by the first and closed by the last.
const hubs = new WeakMap<object, { hub: EventHub; refs: number; ready: Promise<void> }>();

export async function acquireHub(deps: Pick<ApiDeps, "redis" | "config" | "pool">): Promise<EventHub> {
  let entry = hubs.get(deps);
  if (!entry) {
    const hub = new EventHub(deps);
    entry = { hub, refs: 0, ready: hub.start() };
    hubs.set(deps, entry);
  }
  entry.refs++;
  await entry.ready;
  return entry.hub;
}

export async function releaseHub(deps: object): Promise<void> {
  const entry = hubs.get(deps);
  if (!entry) return;
  if (--entry.refs > 0) return;
  hubs.delete(deps);
  await entry.hub.close();
}
