// `npm run indexer:backfill -- --from-slot N`: mirrors the programs' history from
// slot N as a BullMQ job and works it until done. Interrupted, the job stays in
// Redis with its progress; running the command again resumes it.
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { readConfig } from "../config.js";
import { FIXED_ADDRESSES, followedAccounts } from "../follow/follower.js";
import { openRuntime, stderrLogger } from "../runtime.js";
import { BACKFILL_QUEUE, type BackfillData, backfillJobId, backfillProcessor, initialData } from "./backfill.js";

const log = stderrLogger("backfill");
try {
  const config = readConfig(process.argv.slice(2));
  const rt = await openRuntime(config, log);
  // BullMQ's blocking commands need unlimited retries per request.
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<BackfillData>(BACKFILL_QUEUE, { connection });
  const events = new QueueEvents(BACKFILL_QUEUE, { connection: connection.duplicate() });
  const addresses = [...FIXED_ADDRESSES.map(([a]) => a), ...(await followedAccounts(rt.pool)).map((r) => r.address)];
  const jobId = backfillJobId(config.databaseUrl, config.rpcUrl, config.fromSlot);
  let job = await queue.getJob(jobId);
  if (job && (await job.isFailed())) await job.retry();
  // Same id: a job left by an interrupted run is resumed, not duplicated.
  job ??= await queue.add("backfill", initialData(config.fromSlot, addresses), {
    jobId,
    attempts: 20,
    backoff: { type: "exponential", delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: false,
  });
  const worker = new Worker<BackfillData>(
    BACKFILL_QUEUE,
    backfillProcessor({ ...rt, redis: connection, batchSize: config.batchSize }),
    {
      connection: connection.duplicate(),
      concurrency: 1,
      // A killed run's job is taken over after this long without a lock renewal.
      lockDuration: 10_000,
      stalledInterval: 5_000,
    },
  );
  worker.on("failed", (j, e) =>
    log.warn({ job: j?.id, err: e.message, attempt: j?.attemptsMade }, "backfill attempt failed"),
  );
  process.stdout.write(`backfill ${jobId}: ${addresses.length} address(es) from slot ${config.fromSlot}\n`);
  const result = (await job.waitUntilFinished(events)) as { written: number };
  process.stdout.write(`backfill ${jobId}: done, ${result.written} transaction(s) written\n`);
  await worker.close();
  await events.close();
  await queue.close();
  connection.disconnect();
  await rt.pool.end();
  process.exit(0);
} catch (e) {
  process.stderr.write(`backfill: ${(e as Error).message}\n`);
  process.exit(1);
}
