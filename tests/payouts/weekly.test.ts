// The weekly payout operation end to end, on a localnet with the indexer, API and its
// payout job: a week of marketplace sales → `payouts:run` (allocation, scoring, the
// week's PayoutBatch proposal) → two of three signers approve through the API → the
// job's executor pays → the mirror marks each payout paid → audit log, webhooks (HMAC
// checked by a local receiver) and in-app notifications.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { treasury } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import type { PublicKey } from "@solana/web3.js";
import { Queue } from "bullmq";
import { parseWeek } from "../../api/src/domains/payouts/week.js";
import { until } from "../src/localnet-client.js";
import {
  approveAs,
  type PayoutStack,
  runCli,
  sellWeek,
  startPayoutStack,
  tokenBalance,
  usdcOf,
} from "../src/payouts.js";
import { type Received, receiver, verified } from "../src/webhook-receiver.js";

const USDC = (n: number) => BigInt(n) * 1_000_000n;

describe("payouts: a week end to end", function () {
  this.timeout(240_000);
  let stack: PayoutStack;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let secret: string;
  const orbital = newKeypair(); // payout wallet of Orbital
  const harbor = newKeypair(); // payout wallet of Harbor
  const orbitalOwner = newKeypair();
  let proposal: PublicKey;

  before(async () => {
    stack = await startPayoutStack("payouts_weekly", { PAYOUT_WORKER: "1" });
    hooks = await receiver(() => 200);
    const sub = await stack.client.post(
      "/api/v1/webhooks",
      { url: hooks.url, eventTypes: ["*"] },
      { token: stack.adminToken },
    );
    assert.equal(sub.status, 201, sub.text);
    secret = sub.body.secret;
    await sellWeek(stack, [
      {
        name: "Orbital",
        payoutWallet: orbital.publicKey,
        sales: [USDC(1000), USDC(500)],
        ownerWallet: orbitalOwner.publicKey,
      },
      { name: "Harbor", payoutWallet: harbor.publicKey, sales: [USDC(250)] },
      { name: "Quarry", payoutWallet: null, sales: [USDC(100)] },
    ]);
    // Harbor's card won a battle that closed this week (as the battles domain records it).
    const cards = await stack.deps.prisma.card.findMany({ include: { company: true } });
    const harborCard = cards.find((c) => c.company.name === "Harbor");
    const other = cards.find((c) => c.company.name === "Quarry");
    assert.ok(harborCard && other);
    await stack.deps.prisma.battle.create({
      data: {
        title: "Harbor vs Quarry",
        cardAId: other.id,
        cardBId: harborCard.id,
        startsAt: new Date(Date.now() - 3_600_000),
        endsAt: new Date(),
        status: "closed",
        winner: "b",
        createdBy: stack.admin.publicKey.toBase58(),
        closedAt: new Date(),
      },
    });
    proposal = treasury.payoutPda(stack.deps.platform.multisig, stack.usdc, parseWeek(stack.week).onChain)[0];
  });
  after(async () => {
    await hooks?.close();
    await stack?.stop();
  });

  it("allocates the week's fees by the formula, scores each payee and proposes one batch on chain", async () => {
    const vaultBefore = await tokenBalance(stack, stack.deps.platform.vaults.usdc);
    const run = await runCli(stack);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.out.status, "proposed", JSON.stringify(run.out));
    assert.equal(run.out.waiting, "approvals");

    // Fees 2.5%: 25 + 12.5 + 6.25 + 2.5 = 46.25 USDC; 80% distributable = 37 USDC;
    // 10% bonus to Harbor (the week's only battle winner) = 3.7; 90% by volume (1500:250:100 of 1850):
    // Orbital 27, Harbor 4.5 + 3.7 = 8.2, Quarry 1.8 (no payout wallet: stays in the treasury).
    const r = await stack.client.get(`/api/v1/treasury/payout-runs/${stack.week}`, { token: stack.adminToken });
    assert.equal(r.status, 200, r.text);
    const byRecipient = Object.fromEntries(
      r.body.payouts.map((p: { recipient: string; amount: string }) => [p.recipient, p.amount]),
    );
    assert.deepEqual(byRecipient, {
      [orbital.publicKey.toBase58()]: "27000000",
      [harbor.publicKey.toBase58()]: "8200000",
    });
    const runRow = await stack.deps.prisma.payoutRun.findUniqueOrThrow({ where: { week: stack.week } });
    const formula = runRow.formula as { unpaid: Array<{ name: string; amount: string }> };
    assert.deepEqual(
      formula.unpaid.map((u) => [u.name, u.amount]),
      [["Quarry", "1800000"]],
    );
    const revenue = runRow.revenue as { mints: Array<{ mint: string; amount: string; sales: number }> };
    assert.deepEqual(
      revenue.mints.map((m) => [m.mint, m.amount, m.sales]),
      [[stack.usdc.toBase58(), "46250000", 4]],
    );

    // On chain: the week's batch at its PDA, with the batch's score and the hash of its compliance record.
    const chain = treasury.decodeProposal(
      (await stack.localnet.connection().getAccountInfo(proposal, "confirmed")) as NonNullable<
        Awaited<ReturnType<ReturnType<typeof stack.localnet.connection>["getAccountInfo"]>>
      >,
    );
    assert.equal(chain.status, "Active");
    assert.equal(chain.required, 2);
    const batchCheck = await stack.deps.prisma.complianceCheck.findFirstOrThrow({
      where: { subjectType: "batch", subjectId: `${stack.week}:${stack.usdc.toBase58()}` },
    });
    assert.equal(chain.riskScore, batchCheck.score);
    assert.equal(Buffer.from(chain.complianceHash).toString("hex"), batchCheck.recordHash);
    assert.ok(batchCheck.score < 40, `fresh payees, small amounts: approve (${batchCheck.score})`);
    // The auditor recomputes the batch's record and gets the same hash.
    const again = await stack.client.get(`/api/v1/compliance/checks/${batchCheck.id}/recompute`, {
      token: stack.adminToken,
    });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.equal, true);
    // Nothing moved yet.
    assert.equal(await tokenBalance(stack, stack.deps.platform.vaults.usdc), vaultBefore);
    // Signers are told in the app.
    const signer1 = stack.localnet.wallet("signer-1").publicKey.toBase58();
    const notes = await stack.deps.prisma.notification.findMany({ where: { user: { wallet: signer1 } } });
    assert.deepEqual(
      notes.map((n) => n.kind),
      ["payout.proposed"],
    );
  });

  it("a second run the same week proposes nothing new", async () => {
    const run = await runCli(stack);
    assert.equal(run.out.status, "proposed");
    assert.equal(await stack.deps.prisma.payout.count({ where: { week: stack.week } }), 2);
    assert.equal(await stack.deps.prisma.complianceCheck.count({ where: { subjectType: "batch" } }), 1);
    // While it waits for approvals, the proposal lists its payees for the signers (linked once mirrored).
    await until(
      "the batch's payees on its proposal",
      async () => {
        const r = await stack.client.get(`/api/v1/treasury/proposals/${proposal.toBase58()}`, {
          token: stack.adminToken,
        });
        return r.body.payouts?.length === 2;
      },
      30_000,
    );
    const detail = await stack.client.get(`/api/v1/treasury/proposals/${proposal.toBase58()}`, {
      token: stack.adminToken,
    });
    assert.deepEqual(
      detail.body.payouts.map((p: { recipient: string; status: string }) => [p.recipient, p.status]).sort(),
      [
        [orbital.publicKey.toBase58(), "proposed"],
        [harbor.publicKey.toBase58(), "proposed"],
      ].sort(),
    );
  });

  it("2 of 3 signers approve; the job's executor pays; the mirror, audit log, webhooks and notifications agree", async () => {
    const vaultBefore = await tokenBalance(stack, stack.deps.platform.vaults.usdc);
    await approveAs(stack, stack.localnet.wallet("signer-1"), proposal.toBase58());
    await approveAs(stack, stack.localnet.wallet("signer-3"), proposal.toBase58());
    // The API's payout job (ticking every 300 ms) executes and settles.
    await until(
      "the run paid",
      async () => (await stack.deps.prisma.payoutRun.findUnique({ where: { week: stack.week } }))?.status === "paid",
      60_000,
    );
    assert.equal(await usdcOf(stack, orbital.publicKey), 27_000_000n);
    assert.equal(await usdcOf(stack, harbor.publicKey), 8_200_000n);
    assert.equal(await tokenBalance(stack, stack.deps.platform.vaults.usdc), vaultBefore - 35_200_000n);

    // The mirror: each payout paid by an execute transaction that logged its PayoutPaid.
    const payouts = await stack.deps.prisma.payout.findMany({
      where: { week: stack.week },
      orderBy: { entryIndex: "asc" },
    });
    for (const p of payouts) {
      assert.equal(p.status, "paid");
      assert.equal(p.proposal, proposal.toBase58());
      const ev = await stack.deps.prisma.chainEvent.findMany({
        where: { signature: p.signature as string, name: "PayoutPaid" },
      });
      const mine = ev.filter((e) => (e.data as { entry_index: number }).entry_index === p.entryIndex);
      assert.equal(mine.length, 1, `one PayoutPaid for entry ${p.entryIndex}`);
      assert.equal(mine[0]?.amount?.toFixed(), p.amount.toFixed());
    }
    const row = await stack.deps.prisma.treasuryProposal.findUniqueOrThrow({ where: { address: proposal.toBase58() } });
    assert.equal(row.status, "Executed");
    assert.equal(row.paidAmount.toFixed(), "35200000");

    const actions = (
      await stack.deps.prisma.auditLog.findMany({
        where: { resource: `payout_run:${stack.week}` },
        orderBy: { id: "asc" },
      })
    ).map((a) => a.action);
    assert.deepEqual(actions, ["payouts.allocate", "payouts.score", "payouts.propose", "payouts.paid"]);

    // Webhooks: every delivery signed; the proposal, both PayoutPaid and the completion arrived.
    await until(
      "webhooks delivered",
      () => {
        const types = hooks.got.map((g) => String(g.headers["x-ece-event"]));
        return types.filter((t) => t === "PayoutPaid").length === 2 && types.includes("payouts.completed");
      },
      30_000,
    );
    assert.ok(
      hooks.got.every((g: Received) => verified(g, secret)),
      "every delivery carries a valid HMAC",
    );
    const types = hooks.got.map((g) => String(g.headers["x-ece-event"]));
    assert.equal(types.filter((t) => t === "payout.proposed").length, 1);
    assert.equal(types.filter((t) => t === "payouts.completed").length, 1);

    const ownerNotes = await stack.deps.prisma.notification.findMany({
      where: { user: { wallet: orbitalOwner.publicKey.toBase58() } },
    });
    assert.deepEqual(
      ownerNotes.map((n) => n.kind),
      ["payout.paid"],
    );
  });

  it("a rerun after payment changes nothing", async () => {
    const vault = await tokenBalance(stack, stack.deps.platform.vaults.usdc);
    const run = await runCli(stack);
    assert.equal(run.out.status, "paid");
    assert.equal(await tokenBalance(stack, stack.deps.platform.vaults.usdc), vault);
    assert.equal(await usdcOf(stack, orbital.publicKey), 27_000_000n);
  });

  it("companies' owners (or admins) register payout wallets; others are refused", async () => {
    const company = await stack.deps.prisma.company.findFirstOrThrow({ where: { name: "Orbital" } });
    const owner = (await stack.client.signIn(orbitalOwner)).token;
    const stranger = (await stack.client.signIn(newKeypair())).token;
    const path = `/api/v1/companies/${company.id}/payout-wallet`;
    const wallet = newKeypair().publicKey.toBase58();
    assert.equal((await stack.client.put(path, { wallet }, { token: stranger })).status, 403);
    assert.equal((await stack.client.put(path, { wallet })).status, 401);
    assert.equal((await stack.client.put(path, { wallet: "not-a-key" }, { token: owner })).status, 400);
    assert.equal(
      (await stack.client.put(`/api/v1/companies/${randomUUID()}/payout-wallet`, { wallet }, { token: owner })).status,
      404,
    );
    const set = await stack.client.put(path, { wallet }, { token: owner });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.payoutWallet, wallet);
    const back = await stack.client.put(path, { wallet: orbital.publicKey.toBase58() }, { token: stack.adminToken });
    assert.equal(back.status, 200);
    const audit = await stack.deps.prisma.auditLog.findMany({ where: { resource: `company:${company.id}` } });
    assert.equal(audit.length, 2);
    const listed = await stack.client.get("/api/v1/companies?limit=100");
    const row = listed.body.items.find((c: { id: string }) => c.id === company.id);
    assert.equal(row.payoutWallet, orbital.publicKey.toBase58());
  });

  it("admins queue a cycle of an ended week; the worker runs it; the weekly schedule is registered", async () => {
    const bob = (await stack.client.signIn(stack.localnet.wallet("bob"))).token;
    assert.equal((await stack.client.post("/api/v1/payouts/runs", { week: "2026-W40" })).status, 401);
    assert.equal((await stack.client.post("/api/v1/payouts/runs", { week: "2026-W40" }, { token: bob })).status, 403);
    const bad = await stack.client.post("/api/v1/payouts/runs", { week: "2026-W60" }, { token: stack.adminToken });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "BAD_WEEK");
    const open = await stack.client.post("/api/v1/payouts/runs", { week: stack.week }, { token: stack.adminToken });
    assert.equal(open.status, 400);
    assert.equal(open.body.error.code, "WEEK_OPEN");
    const queued = await stack.client.post("/api/v1/payouts/runs", { week: "2020-W40" }, { token: stack.adminToken });
    assert.equal(queued.status, 202, queued.text);
    const run = await until(
      "the queued run",
      () => stack.deps.prisma.payoutRun.findUnique({ where: { week: "2020-W40" } }),
      30_000,
    );
    assert.equal(run.status, "paid");
    assert.match(run.error ?? "", /nothing to pay/);

    const queue = new Queue("payouts", {
      connection: { url: stack.env.REDIS_URL },
      prefix: `${stack.env.REDIS_PREFIX}bull`,
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      const weekly = schedulers.find((j) => j.key === "weekly");
      assert.equal(weekly?.pattern, "0 0 * * 1");
      assert.equal(weekly?.tz, "UTC");
    } finally {
      await queue.close();
    }
  });

  it("signers read the payout notifications in the app", async () => {
    const token = (await stack.client.signIn(stack.localnet.wallet("signer-2"))).token;
    const r = await stack.client.get("/api/v1/users/me/notifications", { token });
    assert.equal(r.status, 200, r.text);
    const kinds = r.body.items.map((n: { kind: string }) => n.kind).sort();
    assert.deepEqual(kinds, ["payout.proposed", "payouts.completed"]);
  });
});
