// High-risk payees in a week: a deny-listed wallet is blocked and left out (and reported);
// a structuring pattern (three deposits just under the 10,000 threshold within 24 h) is
// escalated to review and paid with more approvals; an unverified payee above the KYC
// threshold is blocked until an admin overrides it in writing — and the on-chain approvals
// the batch needs rise with its score (risk policy: ≥ 40 one more, ≥ 70 every voter).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newKeypair } from "@ece/sdk/node";
import { createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { LAMPORTS_PER_SOL, SystemProgram } from "@solana/web3.js";
import { giveTokenIxs, sendIxs } from "../src/api-client.js";
import { untilMirrored } from "../src/indexer.js";
import { actAs, approveAs, type PayoutStack, runCli, sellWeek, startPayoutStack, weekBatch } from "../src/payouts.js";

const USDC = (n: number) => BigInt(n) * 1_000_000n;

describe("payouts: high-risk payees are blocked or escalated", function () {
  this.timeout(240_000);
  let stack: PayoutStack;
  const clean = newKeypair();
  const denied = newKeypair();
  const structurer = newKeypair();
  const big = newKeypair();
  const checkOf = async (wallet: string) => {
    const p = await stack.deps.prisma.payout.findFirstOrThrow({ where: { recipient: wallet } });
    const c = await stack.deps.prisma.complianceCheck.findFirstOrThrow({
      where: { subjectType: "payout", subjectId: p.id },
    });
    return { payout: p, check: c, rules: (c.reasons as Array<{ rule: string }>).map((r) => r.rule) };
  };

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "ece-deny-"));
    const list = join(dir, "deny-list.json");
    writeFileSync(
      list,
      JSON.stringify({
        version: "deny-list.test-1",
        entries: [{ wallet: denied.publicKey.toBase58(), reason: "sanctions match (test)" }],
      }),
    );
    stack = await startPayoutStack("payouts_risk", { COMPLIANCE_DENY_LIST: list });
    const conn = stack.localnet.connection();
    const bob = stack.localnet.wallet("bob");
    // The structuring pattern: three deposits of 9,500 USDC into the treasury vault within the day.
    await sendIxs(
      conn,
      [
        SystemProgram.transfer({
          fromPubkey: bob.publicKey,
          toPubkey: structurer.publicKey,
          lamports: LAMPORTS_PER_SOL,
        }),
        ...giveTokenIxs(bob.publicKey, structurer.publicKey, stack.usdc, USDC(28_500)),
      ],
      [bob],
    );
    const deposits: string[] = [];
    for (let i = 0; i < 3; i++) {
      deposits.push(
        await sendIxs(
          conn,
          [
            createTransferInstruction(
              getAssociatedTokenAddressSync(stack.usdc, structurer.publicKey),
              stack.deps.platform.vaults.usdc,
              structurer.publicKey,
              USDC(9_500),
            ),
          ],
          [structurer],
        ),
      );
    }
    await untilMirrored(stack.deps.pool, deposits);
    await sellWeek(stack, [
      { name: "Clean", payoutWallet: clean.publicKey, sales: [USDC(1_000)] },
      { name: "Denied", payoutWallet: denied.publicKey, sales: [USDC(1_000)] },
      { name: "Structurer", payoutWallet: structurer.publicKey, sales: [USDC(1_000)] },
      { name: "BigCo", payoutWallet: big.publicKey, sales: [USDC(700_000)] },
    ]);
  });
  after(async () => stack?.stop());

  it("scores each payee by the rules: approve, review, block", async () => {
    const r = await runCli(stack, { failpoint: "payouts.scored" });
    assert.deepEqual(r.out, { failpoint: "payouts.scored" }, r.stderr);

    const c = await checkOf(clean.publicKey.toBase58());
    assert.equal(c.check.decision, "approve", JSON.stringify(c.check.reasons));
    const d = await checkOf(denied.publicKey.toBase58());
    assert.equal(d.check.decision, "block");
    assert.equal(d.check.score, 100);
    assert.ok(d.rules.includes("deny_list"));
    assert.equal(d.payout.status, "blocked");
    const s = await checkOf(structurer.publicKey.toBase58());
    assert.ok(s.rules.includes("structuring"), JSON.stringify(s.check.reasons));
    assert.equal(s.check.decision, "review", `score ${s.check.score}`);
    assert.equal(s.payout.status, "review");
    const b = await checkOf(big.publicKey.toBase58());
    assert.ok(b.rules.includes("kyc.unverified_high_value"), JSON.stringify(b.check.reasons));
    assert.equal(b.check.decision, "block", `score ${b.check.score}`);
  });

  it("an admin overrides the blocked high-value payee with a written reason; the deny-listed one stays out", async () => {
    const b = await checkOf(big.publicKey.toBase58());
    const bare = await stack.client.post(
      `/api/v1/compliance/checks/${b.check.id}/decision`,
      { decision: "override", reason: "ok" },
      { token: stack.adminToken },
    );
    assert.equal(bare.status, 400, "a reason of 10+ characters is required");
    const ok = await stack.client.post(
      `/api/v1/compliance/checks/${b.check.id}/decision`,
      { decision: "override", reason: "KYC documents received by email; verification booked for Monday" },
      { token: stack.adminToken },
    );
    assert.equal(ok.status, 200, ok.text);

    const run = await runCli(stack);
    assert.equal(run.out.status, "proposed", JSON.stringify(run.out));
    const batch = await weekBatch(stack);
    assert.ok(batch && batch.action.kind === "payoutBatch");
    if (batch.action.kind !== "payoutBatch") return;
    const onChain = batch.action.entries.map((e) => e.recipient.toBase58());
    const payoutOf = async (w: { publicKey: { toBase58(): string } }) =>
      (await checkOf(w.publicKey.toBase58())).payout.recipientTokenAccount;
    assert.equal(onChain.length, 3);
    for (const w of [clean, structurer, big]) assert.ok(onChain.includes((await payoutOf(w)) as string));
    assert.ok(!onChain.includes((await payoutOf(denied)) as string), "the deny-listed payee is left out");
    assert.equal((await checkOf(denied.publicKey.toBase58())).payout.status, "blocked");
    // The batch carries its riskiest included payee's score: ≥ 70 → every voter must approve (3 of 3).
    const bigScore = (await checkOf(big.publicKey.toBase58())).check.score;
    assert.equal(batch.riskScore, bigScore);
    assert.equal(batch.required, 3);
    // Reported: the blocked payee is announced (webhook/SSE event) and audited.
    const audit = await stack.deps.prisma.auditLog.findFirstOrThrow({ where: { action: "payouts.score" } });
    const blocked = (audit.after as { blocked: Array<{ payout: string }> }).blocked.map((x) => x.payout);
    assert.deepEqual(
      blocked.sort(),
      [
        (await checkOf(big.publicKey.toBase58())).payout.id,
        (await checkOf(denied.publicKey.toBase58())).payout.id,
      ].sort(),
    );
  });

  it("two approvals are not enough for this batch; the third approves it; a signer executes it and the cycle settles", async () => {
    const proposal = (await stack.deps.prisma.treasuryProposal.findFirstOrThrow({ where: { kind: "payoutBatch" } }))
      .address;
    await approveAs(stack, stack.localnet.wallet("signer-1"), proposal);
    await approveAs(stack, stack.localnet.wallet("signer-2"), proposal);
    assert.equal((await weekBatch(stack))?.status, "Active");
    const waiting = await runCli(stack);
    assert.equal(waiting.out.waiting, "approvals");
    assert.match(String(waiting.out.detail), /2\/3/);
    await approveAs(stack, stack.localnet.wallet("signer-3"), proposal);

    // A signer executes (the app's Execute) before any cycle turn linked the payouts to the mirrored
    // batch — the race when the batch is executed right after it is mirrored: the indexer then has
    // nothing to mark paid, and the cycle settles the run from the PayoutPaid events it mirrored.
    const linked = await stack.deps.prisma.payout.updateMany({
      where: { week: stack.week, proposal: { not: null } },
      data: { proposal: null },
    });
    assert.ok(linked.count > 0, "the turns so far linked them");
    const executed = await actAs(stack, stack.localnet.wallet("signer-3"), proposal, "execute");
    assert.equal((await weekBatch(stack))?.status, "Executed");
    await untilMirrored(stack.deps.pool, executed);
    const entries = await stack.deps.prisma.payout.findMany({ where: { week: stack.week, entryIndex: { not: null } } });
    assert.ok(entries.every((p) => p.status !== "paid"));
    const paid = await runCli(stack, { wait: 60 });
    assert.equal(paid.out.status, "paid", JSON.stringify(paid.out));
    for (const p of await stack.deps.prisma.payout.findMany({
      where: { week: stack.week, entryIndex: { not: null } },
    })) {
      assert.equal(p.status, "paid");
      assert.equal(p.proposal, proposal);
      assert.ok(p.signature && executed.includes(p.signature), `${p.recipient} paid by the signer's execution`);
    }
  });
});
