// The weekly payout cycle, as a state machine over the run's row. Each step reads
// where the last one stopped — in Postgres and, for anything on chain, on chain —
// so a crash and rerun at any point neither pays twice nor skips a payee:
//
//   (none) ─allocate─► pending ─score─► scored ─propose─► proposed ─► approved ─► executing ─► paid
//
// allocate  revenue of the week from the mirror → allocation by the formula → run + payouts (one DB transaction)
// score     every payout scored, stored with its inputs; blocked ones are left out (one DB transaction)
// propose   per mint: entry order frozen, batch check stored, token accounts created, the week's
//           PayoutBatch PDA created (or found) and filled from its on-chain cursor; signers notified
// execute   once approved and the time lock allows: chunks from the program's cursor (the program
//           refuses a recipient out of order, so a resent chunk cannot pay twice)
// settle    the indexer marks payouts paid from PayoutPaid; when all are, the run is paid and announced
//
// While the platform is paused the cycle stops before proposing or executing, and alerts.
import type { PayoutRun, Prisma } from "@ece/db";
import { ECE_TREASURY_PROGRAM_ID, treasury } from "@ece/sdk";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Keypair, PublicKey } from "@solana/web3.js";
import type { FastifyBaseLogger } from "fastify";
import { type AuditActor, audit, systemActor } from "../../core/audit.js";
import { failpoint } from "../../core/failpoint.js";
import type { ApiDeps } from "../../deps.js";
import type { BatchInputs } from "../compliance/engine/index.js";
import { scorePayouts, storeBatchCheck } from "../compliance/service.js";
import { chainMultisig, chainPause, chainProposal } from "../treasury/chain.js";
import { payoutBatchIxs, payoutExecuteIxs } from "../treasury/service.js";
import { ChainRefused, ensureTokenAccounts, sendInOrder } from "./chain.js";
import { allocate } from "./formula.js";
import { type Announcer, notifyUsers } from "./notify.js";
import { companyWeeks, weekRevenue } from "./revenue.js";
import type { IsoWeek } from "./week.js";

export interface PayoutKeys {
  proposer: Keypair;
  executor: Keypair;
}

export interface CycleContext {
  deps: ApiDeps;
  keys: PayoutKeys;
  announce: Announcer;
  log: FastifyBaseLogger;
}

export type Waiting = "approvals" | "time-lock" | "paused" | "mirror" | "busy" | null;

export interface CycleOutcome {
  week: string;
  status: PayoutRun["status"] | "none";
  waiting: Waiting;
  detail: string;
}

export class CycleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const actor = (week: IsoWeek): AuditActor => systemActor(`payouts:${week.label}`);

/** Runs every step the run is ready for; returns where it stopped and why. */
export async function runCycle(
  ctx: CycleContext,
  week: IsoWeek,
  opts: { allowOpenWeek?: boolean; now?: Date } = {},
): Promise<CycleOutcome> {
  // One cycle per week at a time, across processes; a killed holder's lock goes with its connection.
  const client = await ctx.deps.pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [
      `payouts:${week.label}`,
    ]);
    if (!rows[0]?.ok)
      return { week: week.label, status: "none", waiting: "busy", detail: "another process is running this week" };
    try {
      return await steps(ctx, week, opts.now ?? new Date(), opts.allowOpenWeek ?? false);
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`payouts:${week.label}`]);
    }
  } finally {
    client.release();
  }
}

async function steps(ctx: CycleContext, week: IsoWeek, now: Date, allowOpenWeek: boolean): Promise<CycleOutcome> {
  const out = (run: PayoutRun, waiting: Waiting, detail: string): CycleOutcome => ({
    week: week.label,
    status: run.status,
    waiting,
    detail,
  });
  let run = await allocateStep(ctx, week, now, allowOpenWeek);
  await failpoint("payouts.allocated");
  if (run.status === "pending") run = await scoreStep(ctx, week, run, now);
  await failpoint("payouts.scored");
  if (run.status === "paid" || run.status === "failed") return out(run, null, run.error ?? "done");
  if (run.status === "scored") {
    if (await haltIfPaused(ctx, week, run, "proposing")) return out(run, "paused", "the platform is paused");
    run = await proposeStep(ctx, week, run);
  }
  const executed = await executeStep(ctx, week, run);
  run = executed.run;
  if (executed.waiting) return out(run, executed.waiting, executed.detail);
  run = await settleStep(ctx, week, run);
  return out(
    run,
    run.status === "paid" ? null : "mirror",
    run.status === "paid" ? "paid" : "waiting for the indexer to mirror PayoutPaid",
  );
}

// ───────────────────────────── allocate ─────────────────────────────

async function allocateStep(ctx: CycleContext, week: IsoWeek, now: Date, allowOpenWeek: boolean): Promise<PayoutRun> {
  const { deps } = ctx;
  const existing = await deps.prisma.payoutRun.findUnique({ where: { week: week.label } });
  if (existing) return existing;
  if (week.end > now && !allowOpenWeek)
    throw new CycleError("WEEK_OPEN", `${week.label} ends at ${week.end.toISOString()}: pay it once it has ended`);
  const formula = deps.config.payoutFormula;
  const revenue = await weekRevenue(deps.pool, deps.platform, week);
  const mints: Array<Record<string, unknown> & { mint: string; amount: string }> = [];
  const payouts: Prisma.PayoutCreateManyInput[] = [];
  const unpaid: Array<{ companyId: string; name: string; mint: string; amount: string; reason: string }> = [];
  for (const r of revenue) {
    const companies = await companyWeeks(deps.pool, r.mint, week);
    const shares = allocate(r.amount, companies, formula);
    const byWallet = new Map<string, { amount: bigint; companyIds: string[] }>();
    for (const s of shares) {
      const c = companies.find((x) => x.companyId === s.companyId);
      if (!c?.payoutWallet) {
        unpaid.push({
          companyId: s.companyId,
          name: c?.name ?? "",
          mint: r.mint,
          amount: s.amount.toString(),
          reason: "no payout wallet registered: the share stays in the treasury",
        });
        continue;
      }
      const w = byWallet.get(c.payoutWallet) ?? { amount: 0n, companyIds: [] };
      w.amount += s.amount;
      w.companyIds.push(s.companyId);
      byWallet.set(c.payoutWallet, w);
    }
    for (const [wallet, w] of byWallet)
      payouts.push({
        runId: "",
        week: week.label,
        recipient: wallet,
        recipientTokenAccount: getAssociatedTokenAddressSync(
          new PublicKey(r.mint),
          new PublicKey(wallet),
          true,
        ).toBase58(),
        mint: r.mint,
        amount: w.amount.toString(),
        companyId: w.companyIds[0] ?? null,
      });
    mints.push({
      ...r,
      amount: r.amount.toString(),
      companies: companies.map((c) => ({
        ...c,
        volume: c.volume.toString(),
        share: shares.find((s) => s.companyId === c.companyId)?.amount.toString() ?? "0",
      })),
    });
  }
  const nothing = payouts.length === 0;
  try {
    return await deps.prisma.$transaction(async (tx) => {
      const run = await tx.payoutRun.create({
        data: {
          week: week.label,
          status: nothing ? "paid" : "pending",
          revenue: { asOf: now.toISOString(), from: week.start.toISOString(), to: week.end.toISOString(), mints },
          formula: { ...formula, unpaid },
          error: nothing ? "nothing to pay: no marketplace revenue to allocate this week" : null,
        } as Prisma.PayoutRunUncheckedCreateInput,
      });
      await tx.payout.createMany({ data: payouts.map((p) => ({ ...p, runId: run.id })) });
      await audit(tx, actor(week), {
        action: "payouts.allocate",
        resource: `payout_run:${week.label}`,
        after: { payouts: payouts.length, mints: mints.map((m) => ({ mint: m.mint, revenue: m.amount })), unpaid },
      });
      return run;
    });
  } catch (e) {
    // Another process allocated the week between the read and the insert: use its run.
    const raced = await deps.prisma.payoutRun.findUnique({ where: { week: week.label } });
    if (raced) return raced;
    throw e;
  }
}

// ───────────────────────────── score ─────────────────────────────

const STATUS_OF = { approve: "pending", review: "review", block: "blocked", override: "pending" } as const;

async function scoreStep(ctx: CycleContext, week: IsoWeek, run: PayoutRun, now: Date): Promise<PayoutRun> {
  const { deps } = ctx;
  const ids = (await deps.prisma.payout.findMany({ where: { runId: run.id }, select: { id: true } })).map((p) => p.id);
  const { updated, blocked } = await deps.prisma.$transaction(
    async (tx) => {
      const checks = await scorePayouts(deps, tx, ids, now);
      for (const status of ["pending", "review", "blocked"] as const) {
        const these = checks.filter((c) => STATUS_OF[c.decision] === status).map((c) => c.subjectId);
        if (these.length) await tx.payout.updateMany({ where: { id: { in: these } }, data: { status } });
      }
      const blocked = checks.filter((c) => c.decision === "block");
      await audit(tx, actor(week), {
        action: "payouts.score",
        resource: `payout_run:${week.label}`,
        after: {
          scored: checks.length,
          review: checks.filter((c) => c.decision === "review").length,
          blocked: blocked.map((c) => ({ payout: c.subjectId, score: c.score, check: c.id })),
        },
      });
      const updated = await tx.payoutRun.update({
        where: { id: run.id },
        data: { status: "scored", riskScore: Math.max(0, ...checks.map((c) => c.score)) },
      });
      return { updated, blocked };
    },
    { timeout: 120_000 },
  );
  for (const c of blocked)
    await ctx.announce({
      type: "payout.blocked",
      id: `payout.blocked:${c.subjectId}`,
      data: { week: week.label, payout: c.subjectId, score: c.score, check: c.id, reasons: c.reasons },
    });
  return updated;
}

// ───────────────────────────── pause ─────────────────────────────

/** True (and an alert, once per pause) when the platform is paused. */
async function haltIfPaused(ctx: CycleContext, week: IsoWeek, run: PayoutRun, before: string): Promise<boolean> {
  const { deps } = ctx;
  const state = await chainPause(deps);
  if (!state?.paused) {
    if (run.error?.startsWith("paused"))
      await deps.prisma.payoutRun.update({ where: { id: run.id }, data: { error: null } });
    return false;
  }
  const message = `paused at slot ${state.lastChangedSlot} (reason ${state.reason}): the cycle stopped before ${before}`;
  ctx.log.warn({ week: week.label, slot: state.lastChangedSlot.toString() }, `payouts: ${message}`);
  if (run.error !== message) {
    await deps.prisma.$transaction(async (tx) => {
      await tx.payoutRun.update({ where: { id: run.id }, data: { error: message } });
      await audit(tx, actor(week), {
        action: "payouts.halted",
        resource: `payout_run:${week.label}`,
        after: { message },
      });
    });
    run.error = message;
    const key = `payouts.halted:${week.label}:${state.lastChangedSlot}:${before}`;
    await ctx.announce({ type: "payouts.halted", id: key, data: { week: week.label, message } });
    await notifyUsers(deps, await voterWallets(deps), {
      key,
      kind: "payouts.halted",
      title: `Payouts of ${week.label} halted`,
      body: `The platform is paused; the weekly payout cycle stopped before ${before}. It resumes when the platform is unpaused.`,
      data: { week: week.label },
    });
  }
  return true;
}

// ───────────────────────────── propose ─────────────────────────────

/** Payouts that go into the batch: approved, under review (they raise the approvals needed), or overridden by an admin. */
async function includedPayouts(deps: ApiDeps, runId: string) {
  const payouts = await deps.prisma.payout.findMany({ where: { runId } });
  const checks = await deps.prisma.complianceCheck.findMany({
    where: { subjectType: "payout", subjectId: { in: payouts.map((p) => p.id) } },
    orderBy: { createdAt: "desc" },
  });
  const latest = new Map<string, (typeof checks)[number]>();
  for (const c of checks) if (!latest.has(c.subjectId)) latest.set(c.subjectId, c);
  return payouts
    .map((p) => ({ payout: p, check: latest.get(p.id) }))
    .filter((x): x is { payout: typeof x.payout; check: NonNullable<typeof x.check> } => x.check !== undefined);
}

async function proposeStep(ctx: CycleContext, week: IsoWeek, run: PayoutRun): Promise<PayoutRun> {
  const { deps, keys } = ctx;
  const all = await includedPayouts(deps, run.id);
  const mints = [...new Set(all.map((x) => x.payout.mint))].sort();
  const proposals: Array<{ mint: string; proposal: string; entries: number; riskScore: number }> = [];
  for (const mint of mints) {
    // Freeze the batch once: entry indexes are given before anything goes on chain, so a rerun
    // proposes the same entries in the same order (a later override does not change this week).
    const mine = all.filter((x) => x.payout.mint === mint);
    if (mine.every((x) => x.payout.entryIndex === null)) {
      const take = mine
        .filter((x) => x.check.decision !== "block")
        .sort((a, b) => (a.payout.recipient < b.payout.recipient ? -1 : 1));
      // One statement: all the indexes or none.
      await deps.pool.query(
        `UPDATE payouts p SET entry_index = x.i - 1, updated_at = now()
           FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, i) WHERE p.id = x.id`,
        [take.map((x) => x.payout.id)],
      );
      for (const [i, x] of take.entries()) x.payout.entryIndex = i;
    }
    const entries = mine
      .filter((x) => x.payout.entryIndex !== null)
      .sort((a, b) => (a.payout.entryIndex as number) - (b.payout.entryIndex as number));
    if (entries.length === 0) continue;
    const mintKey = new PublicKey(mint);
    const address = treasury.payoutPda(deps.platform.multisig, mintKey, week.onChain)[0];

    const batchId = `${week.label}:${mint}`;
    let batchCheck = await deps.prisma.complianceCheck.findFirst({
      where: { subjectType: "batch", subjectId: batchId },
      orderBy: { createdAt: "desc" },
    });
    if (!batchCheck) {
      const inputs: BatchInputs = {
        subject: { type: "batch", id: batchId },
        asOf: new Date().toISOString(),
        mint,
        entries: entries.map((x) => ({
          payout: x.payout.id,
          recipient: x.payout.recipient,
          amount: x.payout.amount.toFixed(),
          check: x.check.id,
          score: x.check.score,
          decision: x.check.decision,
          recordHash: x.check.recordHash,
        })),
      };
      batchCheck = await deps.prisma.$transaction((tx) => storeBatchCheck(tx, inputs));
    }
    const chainEntries = entries.map((x) => ({
      recipient: new PublicKey(x.payout.recipientTokenAccount as string),
      amount: BigInt(x.payout.amount.toFixed()),
    }));
    await ensureTokenAccounts(
      deps,
      keys.proposer,
      mintKey,
      entries.map((x) => x.payout.recipient),
    );
    await failpoint("payouts.accounts-ready");

    const onChain = await chainProposal(deps, address);
    if (onChain) checkSameBatch(onChain, week, chainEntries, batchCheck.recordHash);
    const ms = await chainMultisig(deps);
    if (!ms) throw new CycleError("NO_MULTISIG", "the treasury multisig is not on chain");
    const txs = payoutBatchIxs(
      deps,
      keys.proposer.publicKey,
      {
        mint: mintKey,
        week: week.onChain,
        entries: chainEntries,
        riskScore: batchCheck.score,
        complianceHash: Buffer.from(batchCheck.recordHash, "hex"),
        nextIndex: ms.transactionIndex + 1n,
      },
      onChain ? onChain.loadedEntries : null,
    );
    await sendInOrder(deps, keys.proposer, txs, async (i) => {
      if (i === 0) await failpoint("payouts.proposal-first-tx");
    });
    await deps.prisma.payout.updateMany({
      where: { id: { in: entries.map((x) => x.payout.id) }, status: { in: ["pending", "review", "blocked"] } },
      data: { status: "proposed" },
    });
    proposals.push({ mint, proposal: address.toBase58(), entries: entries.length, riskScore: batchCheck.score });
  }
  await failpoint("payouts.proposed");
  const updated = await deps.prisma.$transaction(async (tx) => {
    await audit(tx, actor(week), {
      action: "payouts.propose",
      resource: `payout_run:${week.label}`,
      after: { proposals },
    });
    // Every payee blocked: nothing goes on chain, and the run says why.
    return tx.payoutRun.update({
      where: { id: run.id },
      data: proposals.length
        ? { status: "proposed" }
        : { status: "failed", error: "every payee was blocked by compliance: nothing was proposed" },
    });
  });
  for (const p of proposals) {
    const key = `payout.proposed:${p.proposal}`;
    await ctx.announce({ type: "payout.proposed", id: key, data: { week: week.label, ...p } });
    await notifyUsers(deps, await voterWallets(deps), {
      key,
      kind: "payout.proposed",
      title: `Payout batch of ${week.label} awaits your approval`,
      body: `${p.entries} payee(s), risk score ${p.riskScore}. Approve it in the treasury console.`,
      data: { week: week.label, proposal: p.proposal, mint: p.mint },
    });
  }
  return updated;
}

/** A batch already at the week's PDA must be this one: same entries, same compliance record. */
function checkSameBatch(
  p: treasury.Proposal,
  week: IsoWeek,
  entries: treasury.PayoutEntry[],
  recordHash: string,
): void {
  const a = p.action;
  const same =
    a.kind === "payoutBatch" &&
    a.week === week.onChain &&
    a.entryCount === entries.length &&
    Buffer.from(p.complianceHash).toString("hex") === recordHash &&
    a.entries.every(
      (e, i) => e.recipient.equals(entries[i]?.recipient as PublicKey) && e.amount === entries[i]?.amount,
    );
  if (!same)
    throw new CycleError(
      "BATCH_MISMATCH",
      `a different payout batch of ${week.label} is on chain: refusing to add to it (check the proposal by hand)`,
    );
}

// ───────────────────────────── execute ─────────────────────────────

async function executeStep(
  ctx: CycleContext,
  week: IsoWeek,
  run: PayoutRun,
): Promise<{ run: PayoutRun; waiting: Waiting; detail: string }> {
  const { deps, keys } = ctx;
  if (!["proposed", "approved", "executing"].includes(run.status)) return { run, waiting: null, detail: "" };
  const mints = await deps.prisma.payout.groupBy({
    by: ["mint"],
    where: { runId: run.id, entryIndex: { not: null } },
  });
  const batches = mints.map((m) => treasury.payoutPda(deps.platform.multisig, new PublicKey(m.mint), week.onChain)[0]);
  const states = await Promise.all(batches.map((b) => chainProposal(deps, b)));
  const ended = states.find((s) => s?.status === "Rejected" || s?.status === "Cancelled");
  if (ended) {
    const message = `a batch of ${week.label} was ${ended.status.toLowerCase()} by the signers: nothing more is paid this week`;
    const failed = await deps.prisma.$transaction(async (tx) => {
      await tx.payout.updateMany({ where: { runId: run.id, status: "proposed" }, data: { status: "failed" } });
      await audit(tx, actor(week), {
        action: "payouts.failed",
        resource: `payout_run:${week.label}`,
        after: { message },
      });
      return tx.payoutRun.update({ where: { id: run.id }, data: { status: "failed", error: message } });
    });
    await ctx.announce({
      type: "payouts.failed",
      id: `payouts.failed:${week.label}`,
      data: { week: week.label, message },
    });
    return { run: failed, waiting: null, detail: message };
  }
  // Linked at every turn once the mirror has the batch, not only before executing: the proposal's
  // page then lists its payees while signers vote, and the indexer marks them paid by this link
  // whoever executes (a signer may, from the app).
  const unlinked = await linkProposals(deps, week, run);
  const waiting = states.filter((s) => !s || s.status === "Active" || s.status === "Draft");
  if (waiting.length) {
    const s = waiting[0];
    return {
      run,
      waiting: "approvals",
      detail: s ? `awaiting approvals: ${s.approvals}/${s.required}` : "the batch is not on chain yet",
    };
  }
  const ms = await chainMultisig(deps);
  const now = Date.now() / 1000;
  const locked = states.find(
    (s) => s?.status === "Approved" && ms && ms.timeLockSeconds > 0 && now < Number(s.approvedAt) + ms.timeLockSeconds,
  );
  if (locked && ms) {
    if (run.status === "proposed")
      run = await deps.prisma.payoutRun.update({ where: { id: run.id }, data: { status: "approved" } });
    const at = new Date((Number(locked.approvedAt) + ms.timeLockSeconds) * 1000).toISOString();
    return { run, waiting: "time-lock", detail: `approved; the time lock ends at ${at}` };
  }
  if (states.every((s) => s?.status === "Executed")) return { run, waiting: null, detail: "" };
  // The indexer marks payouts paid by proposal and entry: the link must exist before anything is paid.
  if (unlinked > 0) return { run, waiting: "mirror", detail: "waiting for the indexer to mirror the batch proposal" };
  if (await haltIfPaused(ctx, week, run, "executing"))
    return { run, waiting: "paused", detail: "the platform is paused" };
  if (run.status !== "executing")
    run = await deps.prisma.payoutRun.update({ where: { id: run.id }, data: { status: "executing" } });
  for (const [i, state] of states.entries()) {
    if (!state || state.status === "Executed") continue;
    const txs = payoutExecuteIxs(deps, keys.executor.publicKey, batches[i] as PublicKey, state);
    try {
      await sendInOrder(deps, keys.executor, txs, async (n) => {
        if (n === 0) await failpoint("payouts.executed-first-chunk");
      });
    } catch (e) {
      // Paused between the check and a chunk: stop here; the next turn resumes from the program's cursor.
      if (e instanceof ChainRefused && e.errorName === "Paused") {
        await haltIfPaused(ctx, week, run, "executing");
        return { run, waiting: "paused", detail: "the platform was paused during execution" };
      }
      throw e;
    }
  }
  await failpoint("payouts.executed");
  return { run, waiting: null, detail: "" };
}

// ───────────────────────────── settle ─────────────────────────────

async function settleStep(ctx: CycleContext, week: IsoWeek, run: PayoutRun): Promise<PayoutRun> {
  const { deps } = ctx;
  if (run.status === "paid") return run;
  const unpaid = () =>
    deps.prisma.payout.count({ where: { runId: run.id, entryIndex: { not: null }, status: { not: "paid" } } });
  let open = await unpaid();
  if (open > 0) {
    // A signer may have executed the batch (from the app) before any cycle linked the payouts to
    // the batch's mirror row, which is what the indexer marks paid by: link them now and take
    // their payments from the PayoutPaid events it mirrored meanwhile.
    await linkProposals(deps, week, run);
    await paidFromMirror(deps, run);
    open = await unpaid();
  }
  if (open > 0) return run;
  const paid = await deps.prisma.payout.findMany({ where: { runId: run.id, status: "paid" } });
  const total = paid.reduce<Record<string, bigint>>((t, p) => {
    t[p.mint] = (t[p.mint] ?? 0n) + BigInt(p.amount.toFixed());
    return t;
  }, {});
  const updated = await deps.prisma.$transaction(async (tx) => {
    await audit(tx, actor(week), {
      action: "payouts.paid",
      resource: `payout_run:${week.label}`,
      after: {
        payouts: paid.map((p) => ({
          id: p.id,
          recipient: p.recipient,
          amount: p.amount.toFixed(),
          signature: p.signature,
        })),
      },
    });
    return tx.payoutRun.update({ where: { id: run.id }, data: { status: "paid", error: null } });
  });
  const key = `payouts.completed:${week.label}`;
  await ctx.announce({
    type: "payouts.completed",
    id: key,
    data: {
      week: week.label,
      payouts: paid.length,
      totals: Object.fromEntries(Object.entries(total).map(([m, v]) => [m, v.toString()])),
    },
  });
  const owners = await deps.prisma.company.findMany({
    where: { id: { in: paid.map((p) => p.companyId).filter((c): c is string => c !== null) }, ownerId: { not: null } },
    include: { owner: true },
  });
  for (const p of paid) {
    const owner = owners.find((o) => o.id === p.companyId)?.owner;
    if (owner)
      await notifyUsers(deps, [owner.wallet], {
        key: `payout.paid:${p.id}`,
        kind: "payout.paid",
        title: `Payout of ${week.label} received`,
        body: `${p.amount.toFixed()} base units paid to ${p.recipient}.`,
        data: { week: week.label, payout: p.id, signature: p.signature },
      });
  }
  await notifyUsers(deps, await voterWallets(deps), {
    key,
    kind: "payouts.completed",
    title: `Payouts of ${week.label} completed`,
    body: `${paid.length} payee(s) paid.`,
    data: { week: week.label },
  });
  return updated;
}

/** Links the run's proposed payouts to their batch's mirror row; returns how many are still unlinked. */
async function linkProposals(deps: ApiDeps, week: IsoWeek, run: PayoutRun): Promise<number> {
  await deps.pool.query(
    `UPDATE payouts p SET proposal = tp.address FROM treasury_proposals tp
      WHERE p.run_id = $1 AND p.proposal IS NULL AND p.entry_index IS NOT NULL
        AND tp.mint = p.mint AND tp.week = $2 AND tp.kind = 'payoutBatch' AND tp.multisig = $3`,
    [run.id, week.onChain, deps.platform.multisig.toBase58()],
  );
  return deps.prisma.payout.count({ where: { runId: run.id, entryIndex: { not: null }, proposal: null } });
}

/** Marks the run's linked payouts paid by the mirrored PayoutPaid of their batch entry. */
async function paidFromMirror(deps: ApiDeps, run: PayoutRun): Promise<void> {
  await deps.pool.query(
    `UPDATE payouts p SET status = 'paid', signature = e.signature, paid_slot = e.slot, updated_at = now()
       FROM chain_events e
      WHERE p.run_id = $1 AND p.status <> 'paid' AND p.proposal IS NOT NULL AND p.entry_index IS NOT NULL
        AND e.name = 'PayoutPaid' AND e.program = $2
        AND e.data->>'proposal' = p.proposal AND (e.data->>'entry_index')::int = p.entry_index`,
    [run.id, ECE_TREASURY_PROGRAM_ID.toBase58()],
  );
}

/** Members who vote on proposals: the ones told about batches and alerts. */
async function voterWallets(deps: ApiDeps): Promise<string[]> {
  const ms = await chainMultisig(deps);
  return (ms?.members ?? [])
    .filter((m) => (m.permissions & treasury.Permission.Vote) !== 0)
    .map((m) => m.key.toBase58());
}
