// Webhook deliveries. The dispatcher turns new mirrored chain events (from its own
// durable cursor over chain_events.seq) and API events (from the bus) into delivery
// rows — one per subscription and event, whatever the number of API processes or
// replays — and enqueues one BullMQ job per new row. The worker POSTs the signed
// event and records each attempt; BullMQ retries with exponential backoff and jitter.

import { createHmac } from "node:crypto";
import { type Job, Queue, Worker } from "bullmq";
import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import { fetch } from "undici";
import type { ApiDeps } from "../../deps.js";
import { acquireHub, chainEventsAfter, type LiveEvent, latestChainSeq, releaseHub } from "../events/bus.js";
import { publicOnlyAgent, refusedDestination } from "./destination.js";

export const QUEUE = "webhook-deliveries";
const CURSOR_KEY = "webhooks:chain-seq";

/** x-ece-signature: hex HMAC-SHA256 of `${timestamp}.${body}` with the subscription's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The idempotency key of an event: signature:index for chain events, the bus id for API events. */
export function eventKey(e: LiveEvent): string {
  if (e.source === "chain") {
    const d = e.data as { signature: string; index: number };
    return `${d.signature}:${d.index}`;
  }
  return e.id.replace(/^api:/, "");
}

/** The delivery queue on its own connection (BullMQ refuses ioredis keyPrefix and needs maxRetriesPerRequest: null). */
export function deliveryQueue(deps: Pick<ApiDeps, "config">): { queue: Queue; connection: Redis } {
  const connection = new Redis(deps.config.redisUrl, { maxRetriesPerRequest: null });
  connection.on("error", () => {});
  return { queue: new Queue(QUEUE, { connection, prefix: `${deps.config.redisPrefix}bull` }), connection };
}

/** Creates the deliveries of these events (idempotently) and enqueues the new ones. */
export async function fanOut(deps: Pick<ApiDeps, "pool" | "config">, queue: Queue, events: LiveEvent[]): Promise<void> {
  const { rows: subs } = await deps.pool.query<SubRow>(
    "SELECT id::text, event_types FROM webhook_subscriptions WHERE active",
  );
  if (!subs.length) return;
  const created: string[] = [];
  for (const e of events) {
    const targets = subs.filter((s) => s.event_types.includes("*") || s.event_types.includes(e.type));
    if (!targets.length) continue;
    const payload = { id: e.id, source: e.source, type: e.type, at: e.at, data: e.data };
    const { rows } = await deps.pool.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, subscription_id, event_type, event_id, payload)
       SELECT gen_random_uuid(), s, $2, $3, $4::jsonb FROM unnest($1::uuid[]) AS s
       ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id::text`,
      [targets.map((t) => t.id), e.type, eventKey(e), JSON.stringify(payload)],
    );
    created.push(...rows.map((r) => r.id));
  }
  await enqueue(deps, queue, created);
}

async function enqueue(deps: Pick<ApiDeps, "config">, queue: Queue, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const c = deps.config;
  await queue.addBulk(
    ids.map((id) => ({
      name: "deliver",
      data: { deliveryId: id },
      opts: {
        jobId: id, // one job per delivery, however often it is enqueued
        attempts: c.webhookAttempts,
        backoff: { type: "exponential", delay: c.webhookBackoffMs, jitter: 0.5 },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    })),
  );
}

interface SubRow {
  id: string;
  event_types: string[];
}

export class WebhookDispatcher {
  private readonly bull: Redis;
  readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConn: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();
  private offBus: (() => void) | null = null;
  private pending = new Set<Promise<unknown>>();
  private lastSweep = Date.now();
  /** Dials only public addresses (see destination.ts). */
  private readonly publicOnly = publicOnlyAgent();

  constructor(
    private readonly deps: ApiDeps,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 500,
  ) {
    ({ queue: this.queue, connection: this.bull } = deliveryQueue(deps));
  }

  async start(): Promise<void> {
    const c = this.deps.config;
    this.workerConn = this.bull.duplicate();
    this.worker = new Worker(QUEUE, (job) => this.deliver(job), {
      connection: this.workerConn,
      prefix: `${c.redisPrefix}bull`,
      concurrency: 8,
    });
    this.worker.on("error", (err) => this.log.warn({ err }, "webhook worker"));
    // Start where the mirror is now on the first run; afterwards resume from the cursor.
    const seq = await latestChainSeq(this.deps.pool);
    await this.deps.redis.set(CURSOR_KEY, seq.toString(), "NX");
    const hub = await acquireHub(this.deps);
    this.offBus = hub.on((e) => {
      if (e.source !== "api") return;
      const p = this.fanOut([e]).catch((err) => this.log.warn({ err }, "webhook fan-out of an API event"));
      this.pending.add(p);
      p.finally(() => this.pending.delete(p));
    });
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollChain()
        .catch((err) => this.log.warn({ err }, "webhook chain poll"))
        .finally(() => this.schedule());
    }, this.pollMs);
  }

  /**
   * A crash between writing a delivery row and enqueueing its job would strand the row:
   * re-enqueue old pending rows (the job id is the row id, so live jobs are not doubled).
   */
  private async sweep(): Promise<void> {
    const { rows } = await this.deps.pool.query<{ id: string }>(
      `SELECT id::text FROM webhook_deliveries
        WHERE status = 'pending' AND created_at < now() - interval '2 minutes'
        ORDER BY created_at LIMIT 500`,
    );
    const ids: string[] = [];
    for (const r of rows) if (!(await this.queue.getJob(r.id))) ids.push(r.id);
    await this.enqueue(ids);
  }

  private async pollChain(): Promise<void> {
    if (Date.now() - this.lastSweep > 60_000) {
      this.lastSweep = Date.now();
      await this.sweep();
    }
    for (;;) {
      const cursor = BigInt((await this.deps.redis.get(CURSOR_KEY)) ?? "0");
      const events = await chainEventsAfter(this.deps.pool, cursor, 500);
      if (!events.length) return;
      await this.fanOut(events);
      // Advancing after the rows exist: a crash in between replays, and the unique key absorbs it.
      await this.deps.redis.set(CURSOR_KEY, events[events.length - 1]?.seq as string);
      if (events.length < 500 || this.stopped) return;
    }
  }

  fanOut(events: LiveEvent[]): Promise<void> {
    return fanOut(this.deps, this.queue, events);
  }

  enqueue(ids: string[]): Promise<void> {
    return enqueue(this.deps, this.queue, ids);
  }

  /** One attempt: POST the signed event; a 2xx delivers, anything else throws for a retry. */
  private async deliver(job: Job<{ deliveryId: string }>): Promise<void> {
    const { prisma, config } = this.deps;
    const d = await prisma.webhookDelivery.findUnique({
      where: { id: job.data.deliveryId },
      include: { subscription: true },
    });
    if (!d || d.status === "delivered") return; // deleted with its subscription, or done
    const attempt = job.attemptsMade + 1;
    const last = attempt >= (job.opts.attempts ?? 1);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({
      id: d.id,
      type: d.eventType,
      eventId: d.eventId,
      createdAt: d.createdAt.toISOString(),
      event: d.payload,
    });
    let status: number | null = null;
    let error: string | null = null;
    try {
      const refused = await refusedDestination(d.subscription.url, config.webhookAllowPrivate);
      if (refused) throw new Error(`destination refused: ${refused}`);
      const res = await fetch(d.subscription.url, {
        ...(config.webhookAllowPrivate ? {} : { dispatcher: this.publicOnly }),
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "ece-webhooks/1",
          "x-ece-event": d.eventType,
          "x-ece-delivery": d.id,
          "x-ece-timestamp": timestamp,
          "x-ece-signature": signature(d.subscription.secret, timestamp, body),
        },
        body,
        redirect: "manual", // a redirect is not a delivery
        signal: AbortSignal.timeout(config.webhookTimeoutMs),
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error =
        (e as Error).name === "TimeoutError"
          ? `timed out after ${config.webhookTimeoutMs} ms`
          : // fetch reports "fetch failed"; the cause says why (refused, reset, a private address).
            String((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
    }
    await prisma.webhookDelivery.update({
      where: { id: d.id },
      data: {
        attempts: attempt,
        responseStatus: status,
        lastError: error,
        status: error === null ? "delivered" : last ? "failed" : "pending",
        deliveredAt: error === null ? new Date() : null,
      },
    });
    if (error !== null) throw new Error(error);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.offBus?.();
    await this.polling;
    await Promise.allSettled([...this.pending]);
    await releaseHub(this.deps);
    await this.worker?.close();
    await this.queue.close();
    await this.publicOnly.close();
    await this.workerConn?.quit().catch(() => this.workerConn?.disconnect());
    await this.bull.quit().catch(() => this.bull.disconnect());
  }
}
