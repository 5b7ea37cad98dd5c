// The payout queue (BullMQ): a weekly schedule (cron, UTC) runs the cycle for the week
// that just ended, and a short repeating tick advances every run in flight (approvals
// arrive, the time lock ends, the platform is unpaused, the mirror catches up). One
// worker, one job at a time; the cycle's own week lock guards against other processes.
import { readKeypair } from "@ece/sdk/node";
import { type Job, Queue, Worker } from "bullmq";
import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import type { ApiDeps } from "../../deps.js";
import { deliveryQueue } from "../webhooks/dispatcher.js";
import { type CycleContext, type CycleOutcome, type PayoutKeys, runCycle } from "./cycle.js";
import { announcer } from "./notify.js";
import { parseWeek, previousWeek } from "./week.js";

export const QUEUE = "payouts";

/** The job's keys; a missing file names the variable that points at it. */
export function loadPayoutKeys(config: ApiDeps["config"]): PayoutKeys {
  const read = (path: string, env: string, role: string) => {
    try {
      return readKeypair(path);
    } catch (e) {
      throw new Error(`the payout ${role} key ${path} cannot be read (${(e as Error).message}); set ${env}`);
    }
  };
  return {
    proposer: read(config.payoutProposerKeypairPath, "PAYOUT_PROPOSER_KEYPAIR", "proposer"),
    executor: read(config.payoutExecutorKeypairPath, "PAYOUT_EXECUTOR_KEYPAIR", "executor"),
  };
}

/** What a cycle needs, with the connections it opened; `close()` releases them. */
export function cycleContext(deps: ApiDeps, log: FastifyBaseLogger): CycleContext & { close(): Promise<void> } {
  const deliveries = deliveryQueue(deps);
  return {
    deps,
    keys: loadPayoutKeys(deps.config),
    announce: announcer(deps, deliveries.queue),
    log,
    async close() {
      await deliveries.queue.close();
      await deliveries.connection.quit().catch(() => deliveries.connection.disconnect());
    },
  };
}

const IN_FLIGHT = ["pending", "scored", "proposed", "approved", "executing"] as const;

export class PayoutJobs {
  private readonly connection: Redis;
  readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConn: Redis | null = null;
  /** Made at the first job: an API without payout keys still serves, and its jobs fail saying which key is missing. */
  private ctx: ReturnType<typeof cycleContext> | null = null;

  constructor(
    private readonly deps: ApiDeps,
    private readonly log: FastifyBaseLogger,
  ) {
    this.connection = new Redis(deps.config.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on("error", () => {});
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: `${deps.config.redisPrefix}bull` });
  }

  async start(): Promise<void> {
    const c = this.deps.config;
    await this.queue.upsertJobScheduler(
      "weekly",
      { pattern: c.payoutCron, tz: "UTC" },
      { name: "cycle", opts: { attempts: 5, backoff: { type: "exponential", delay: 60_000 } } },
    );
    await this.queue.upsertJobScheduler("advance", { every: c.payoutTickMs }, { name: "advance" });
    this.workerConn = this.connection.duplicate();
    this.worker = new Worker(QUEUE, (job) => this.process(job), {
      connection: this.workerConn,
      prefix: `${c.redisPrefix}bull`,
      concurrency: 1,
    });
    this.worker.on("failed", (job, err) =>
      this.log.error({ err, job: job?.name, week: job?.data?.week }, "payout job failed"),
    );
  }

  /** Queues one cycle of `week` now (an admin's or the CLI's request). */
  async enqueue(week: string): Promise<string> {
    const job = await this.queue.add("cycle", { week }, { removeOnComplete: 100, removeOnFail: 100 });
    return job.id as string;
  }

  private async process(job: Job<{ week?: string }>): Promise<CycleOutcome[]> {
    this.ctx ??= cycleContext(this.deps, this.log);
    const ctx = this.ctx;
    if (job.name === "cycle") {
      const week = job.data.week ? parseWeek(job.data.week) : previousWeek(new Date());
      return [await runCycle(ctx, week)];
    }
    // advance: every run still in flight, oldest week first
    const runs = await this.deps.prisma.payoutRun.findMany({
      where: { status: { in: [...IN_FLIGHT] } },
      orderBy: { week: "asc" },
      select: { week: true },
    });
    const out: CycleOutcome[] = [];
    for (const r of runs) {
      try {
        out.push(await runCycle(ctx, parseWeek(r.week), { allowOpenWeek: true }));
      } catch (err) {
        this.log.error({ err, week: r.week }, "payout cycle failed; the next tick retries");
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    await this.ctx?.close();
    await this.workerConn?.quit().catch(() => this.workerConn?.disconnect());
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
