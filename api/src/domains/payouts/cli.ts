// `npm run payouts:run -- --week 2026-W47`: one payout cycle by hand, in this process.
// It runs every step the week is ready for and prints where it stopped as one JSON line
// ({"week","status","waiting","detail"}); rerun it (or let the API's job tick) to go on.
// --wait SECONDS keeps advancing until the run is paid or failed, or the time is up.
import { parseArgs } from "node:util";
import { pino } from "pino";
import { readConfig } from "../../config.js";
import { createDeps } from "../../deps.js";
import { CycleError, type CycleOutcome, runCycle } from "./cycle.js";
import { cycleContext } from "./jobs.js";
import { MirrorBehind } from "./revenue.js";
import { parseWeek, previousWeek } from "./week.js";

const USAGE = `usage: npm run payouts:run -- [--week 2026-W47] [--wait SECONDS] [--allow-open-week]
  --week             the ISO week to pay (default: the last week that has ended)
  --wait SECONDS     keep going (approvals, time lock, pause, mirror) until paid or failed, at most this long
  --allow-open-week  pay a week that has not ended yet (demos and tests; later sales of it are not paid)
Environment: the API's (DATABASE_URL, REDIS_URL, RPC_URL, DEPLOYMENT, PAYOUT_PROPOSER_KEYPAIR, PAYOUT_EXECUTOR_KEYPAIR, …).`;

const { values } = parseArgs({
  options: {
    week: { type: "string" },
    wait: { type: "string" },
    "allow-open-week": { type: "boolean" },
    help: { type: "boolean" },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

let week: ReturnType<typeof parseWeek>;
try {
  week = values.week ? parseWeek(values.week) : previousWeek(new Date());
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const waitMs = Number(values.wait ?? 0) * 1000;
if (!Number.isFinite(waitMs) || waitMs < 0) {
  process.stderr.write(`--wait takes seconds, got "${values.wait}"\n`);
  process.exit(2);
}

const log = pino({ level: process.env.LOG_LEVEL ?? "info" }, pino.destination(2));
const deps = await createDeps(readConfig([]));
const ctx = cycleContext(deps, log);
let code = 0;
try {
  const until = Date.now() + waitMs;
  // Another process (the API's job) holding the week's lock finishes its turn in seconds: wait for it.
  const busyUntil = Date.now() + Math.max(waitMs, 60_000);
  let outcome: CycleOutcome;
  for (;;) {
    outcome = await runCycle(ctx, week, { allowOpenWeek: values["allow-open-week"] ?? false });
    const busy = outcome.waiting === "busy" && Date.now() < busyUntil;
    if (!busy && (outcome.waiting === null || Date.now() >= until)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  if (outcome.status === "failed") code = 1;
} catch (e) {
  const known = e instanceof CycleError || e instanceof MirrorBehind;
  process.stdout.write(
    `${JSON.stringify({ week: week.label, error: { code: e instanceof CycleError ? e.code : known ? "MIRROR_BEHIND" : "FAILED", message: (e as Error).message } })}\n`,
  );
  if (!known) log.error({ err: e }, "payout cycle failed");
  code = 1;
} finally {
  await ctx.close();
  await deps.close();
}
process.exit(code);
