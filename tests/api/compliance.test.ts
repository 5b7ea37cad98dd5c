// Compliance: the engine's rules one by one (pure), then the API over a localnet whose
// transfers the indexer mirrors: scores with reasons, stored inputs that recompute to the
// same record hash, the review queue and audited reviewer decisions.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newKeypair } from "@ece/sdk/node";
import { createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Connection, type Keypair, PublicKey, Transaction } from "@solana/web3.js";
import {
  type ComplianceInputs,
  CURRENT_RULES,
  canonicalJson,
  evaluate,
  score,
} from "../../api/src/domains/compliance/engine/index.js";
import type { ApiClient } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { until } from "../src/localnet-client.js";

const USDC = (n: number) => ({ base: String(BigInt(Math.round(n * 1e6))), decimals: 6, mint: "USDC" });
const NOW = "2026-11-30T12:00:00.000Z";
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

/** A quiet, KYC-verified, old wallet: no rule fires. */
function base(over: Partial<ComplianceInputs> = {}): ComplianceInputs {
  return {
    subject: { type: "wallet", id: "W" },
    asOf: NOW,
    wallet: "W",
    amount: null,
    kyc: "verified",
    denyList: { version: "deny-list.test", listed: false, reason: null },
    walletFirstSeen: hoursAgo(24 * 365),
    history: [],
    priorFlags: { review: 0, block: 0 },
    batch: null,
    ...over,
  };
}
const rules = (i: ComplianceInputs) => evaluate(i, CURRENT_RULES).reasons.map((r) => r.rule);

describe("compliance engine (pure)", () => {
  it("scores a quiet verified wallet 0 (approve) and is deterministic, key order included", () => {
    const r = score(base(), CURRENT_RULES);
    assert.equal(r.score, 0);
    assert.equal(r.decision, "approve");
    assert.deepEqual(r.reasons, []);
    assert.equal(r.ruleSetVersion, "rules.v1");
    const shuffled = JSON.parse(canonicalJson(base())) as ComplianceInputs; // keys sorted differently
    assert.deepEqual(score(shuffled, CURRENT_RULES), r);
    assert.equal(score(base(), CURRENT_RULES).recordHash, r.recordHash);
    assert.notEqual(score(base({ kyc: "pending" }), CURRENT_RULES).recordHash, r.recordHash);
  });

  it("blocks a deny-listed wallet (≥ 70) and names the list version", () => {
    const r = score(base({ denyList: { version: "deny-list.test", listed: true, reason: "OFAC SDN" } }), CURRENT_RULES);
    assert.equal(r.decision, "block");
    assert.ok(r.score >= 70);
    assert.equal(r.reasons[0]?.rule, "deny_list");
    assert.match(r.reasons[0]?.detail ?? "", /deny-list\.test: OFAC SDN/);
  });

  it("amount thresholds; high value needs verified KYC; rejected KYC always counts", () => {
    assert.deepEqual(rules(base({ amount: USDC(9_999.5) })), []);
    assert.deepEqual(rules(base({ amount: USDC(12_345) })), ["amount.high"]);
    // The subject's own amount counts toward its 24 h volume too.
    assert.deepEqual(rules(base({ amount: USDC(150_001) })), ["amount.very_high", "velocity.volume_24h"]);
    const unverified = evaluate(base({ amount: USDC(12_345), kyc: "pending" }), CURRENT_RULES);
    assert.deepEqual(
      unverified.reasons.map((r) => r.rule),
      ["amount.high", "kyc.unverified_high_value"],
    );
    assert.equal(unverified.decision, "review");
    assert.deepEqual(rules(base({ amount: USDC(100), kyc: "none" })), ["kyc.unverified"]);
    assert.deepEqual(rules(base({ kyc: "rejected" })), ["kyc.rejected"]);
  });

  it("velocity: count and volume over 24 h and 7 d", () => {
    const tx = (h: number, n: number) => ({ ref: `t${h}`, at: hoursAgo(h), amount: USDC(n) });
    const many24 = Array.from({ length: 21 }, (_, i) => tx(i / 2 + 0.1, 1));
    assert.deepEqual(rules(base({ history: many24 })), ["velocity.count_24h"]);
    assert.deepEqual(rules(base({ history: [tx(1, 30_000), tx(2, 25_000)] })), ["velocity.volume_24h"]);
    const many7d = Array.from({ length: 101 }, (_, i) => tx(30 + i, 1));
    assert.deepEqual(rules(base({ history: many7d })), ["velocity.count_7d"]);
    assert.deepEqual(rules(base({ history: [tx(30, 120_000), tx(60, 90_000)] })), ["velocity.volume_7d"]);
    // Older than 7 days, or after asOf: not counted.
    assert.deepEqual(rules(base({ history: [tx(24 * 8, 300_000), tx(-1, 300_000)] })), []);
  });

  it("structuring: three amounts just under the threshold within 24 h, the subject's own included", () => {
    const h = [
      { ref: "a", at: hoursAgo(3), amount: USDC(9_500) },
      { ref: "b", at: hoursAgo(2), amount: USDC(9_800) },
    ];
    assert.deepEqual(rules(base({ history: h })), []);
    assert.deepEqual(rules(base({ history: h, amount: USDC(9_990) })), ["structuring"]);
    // Spread over more than the window: not structuring.
    const spread = [h[0], { ref: "b", at: hoursAgo(30), amount: USDC(9_800) }] as ComplianceInputs["history"];
    assert.deepEqual(rules(base({ history: spread, amount: USDC(9_990) })), []);
  });

  it("wallet age, prior flags, batch concentration, round amounts", () => {
    assert.deepEqual(rules(base({ walletFirstSeen: hoursAgo(2) })), ["wallet_age.new"]);
    assert.deepEqual(rules(base({ walletFirstSeen: hoursAgo(72) })), ["wallet_age.young"]);
    assert.deepEqual(rules(base({ walletFirstSeen: null })), ["wallet_age.unseen"]);
    const flags = evaluate(base({ priorFlags: { review: 1, block: 1 } }), CURRENT_RULES);
    assert.deepEqual(flags.reasons, [
      { rule: "prior_flags", points: 35, detail: "1 earlier check(s) under review, 1 blocked" },
    ]);
    const batch = { entries: 4, total: USDC(1_000), recipientAmount: USDC(600) };
    assert.deepEqual(rules(base({ batch, amount: USDC(600) })), ["concentration"]);
    assert.deepEqual(rules(base({ batch: { ...batch, recipientAmount: USDC(300) }, amount: USDC(300) })), []);
    assert.deepEqual(rules(base({ amount: USDC(5_000) })), ["round_amount"]);
  });

  it("decides at the configured thresholds and caps the score at 100", () => {
    const at = (n: number) => {
      const r = { ...CURRENT_RULES, priorFlags: { reviewPoints: 1, blockPoints: 0, maxPoints: 1000 } };
      return evaluate(base({ priorFlags: { review: n, block: 0 } }), r);
    };
    assert.equal(at(39).decision, "approve");
    assert.equal(at(40).decision, "review");
    assert.equal(at(69).decision, "review");
    assert.equal(at(70).decision, "block");
    assert.equal(at(250).score, 100);
  });
});

describe("api: compliance", function () {
  this.timeout(180_000);
  let stack: ApiStack;
  let api: ApiClient;
  let dir: string;
  const admin = newKeypair();
  const auditor = newKeypair();
  const denied = newKeypair();
  let alice: Keypair;
  let bob: Keypair;
  const tokens: Record<string, string> = {};
  let connection: Connection;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "ece-deny-"));
    const denyList = join(dir, "deny-list.json");
    writeFileSync(
      denyList,
      JSON.stringify({
        version: "deny-list.test-1",
        entries: [{ wallet: denied.publicKey.toBase58(), reason: "sanctions list test entry" }],
      }),
    );
    stack = await startApiStack("api_compliance", {
      env: { ADMIN_WALLETS: admin.publicKey.toBase58(), COMPLIANCE_DENY_LIST: denyList },
    });
    api = stack.client;
    connection = stack.localnet.connection();
    alice = stack.localnet.wallet("alice");
    bob = stack.localnet.wallet("bob");
    await stack.deps.prisma.user.create({ data: { wallet: auditor.publicKey.toBase58(), roles: ["user", "auditor"] } });
    for (const [name, kp] of [
      ["admin", admin],
      ["auditor", auditor],
      ["alice", alice],
      ["bob", bob],
    ] as const)
      tokens[name] = (await api.signIn(kp)).token;
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack?.stop();
  });

  /** USDC from `from` into the treasury's USDC vault (followed by the indexer); waits until mirrored. */
  async function payVault(from: Keypair, usdc: number): Promise<string> {
    const mint = new PublicKey(stack.manifest.usdcMint);
    const ata = getAssociatedTokenAddressSync(mint, from.publicKey);
    const tx = new Transaction().add(
      createTransferInstruction(
        ata,
        new PublicKey(stack.manifest.vaults.usdc),
        from.publicKey,
        BigInt(Math.round(usdc * 1e6)),
      ),
    );
    // No WebSocket confirmation: the mirror having it implies it was confirmed.
    const sig = await connection.sendTransaction(tx, [from]);
    await until(
      `${sig} mirrored`,
      async () => (await stack.deps.prisma.chainTransaction.findUnique({ where: { signature: sig } })) !== null,
      20_000,
    );
    return sig;
  }

  const reasonsOf = (body: { reasons: Array<{ rule: string }> }) => body.reasons.map((r) => r.rule);

  let aliceCheck: string;
  let deniedCheck: string;

  it("flags a structuring pattern of mirrored transfers just under the threshold (review), with stored inputs", async () => {
    for (const n of [9_500, 9_700, 9_900]) await payVault(alice, n);
    const r = await api.get(`/api/v1/compliance/score/wallet/${alice.publicKey.toBase58()}`, {
      token: tokens.auditor,
    });
    assert.equal(r.status, 200, r.text);
    assert.ok(reasonsOf(r.body).includes("structuring"), r.text);
    assert.equal(r.body.decision, "review");
    assert.ok(r.body.score >= 40 && r.body.score < 70);
    assert.equal(r.body.ruleSetVersion, "rules.v1");
    assert.equal(r.body.inputs.history.length, 3);
    assert.equal(r.body.inputs.kyc, "none");
    assert.equal(r.body.inputs.denyList.version, "deny-list.test-1");
    aliceCheck = r.body.id;
    const row = await stack.deps.prisma.complianceCheck.findUniqueOrThrow({ where: { id: aliceCheck } });
    assert.equal(row.recordHash, r.body.recordHash);
    assert.equal(row.score, r.body.score);
  });

  it("scores a transaction as of its block: unverified KYC above the threshold and 24 h volume", async () => {
    await payVault(bob, 30_000);
    const sig = await payVault(bob, 25_000);
    const r = await api.get(`/api/v1/compliance/score/transaction/${sig}`, { token: tokens.auditor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.wallet, bob.publicKey.toBase58());
    assert.equal(r.body.inputs.amount.base, "25000000000");
    assert.deepEqual(reasonsOf(r.body).slice(0, 3), [
      "amount.high",
      "kyc.unverified_high_value",
      "velocity.volume_24h",
    ]);
    assert.equal(r.body.decision, "block");
    // With verified KYC the same transaction needs no KYC points and only reaches review.
    await stack.deps.prisma.user.update({
      where: { wallet: bob.publicKey.toBase58() },
      data: { kycStatus: "verified", kycVerifiedAt: new Date() },
    });
    const again = await api.get(`/api/v1/compliance/score/transaction/${sig}`, { token: tokens.auditor });
    assert.equal(again.status, 200);
    assert.ok(!reasonsOf(again.body).some((x: string) => x.startsWith("kyc.")), again.text);
    assert.ok(again.body.score < r.body.score);
    const missing = await api.get(`/api/v1/compliance/score/transaction/${"1".repeat(64)}`, {
      token: tokens.auditor,
    });
    assert.equal(missing.status, 404);
  });

  it("blocks a deny-listed wallet", async () => {
    const r = await api.get(`/api/v1/compliance/score/wallet/${denied.publicKey.toBase58()}`, {
      token: tokens.auditor,
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.decision, "block");
    assert.ok(r.body.score >= 70);
    assert.equal(r.body.reasons[0].rule, "deny_list");
    deniedCheck = r.body.id;
  });

  it("recomputes a stored check from its inputs to the same record, and notices tampered inputs", async () => {
    const r = await api.get(`/api/v1/compliance/checks/${aliceCheck}/recompute`, { token: tokens.auditor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.equal, true);
    assert.equal(r.body.recomputed.recordHash, r.body.check.recordHash);
    assert.equal(r.body.recomputed.score, r.body.check.score);
    // Someone edits the stored inputs: the recomputation no longer matches the stored hash.
    await stack.deps.pool.query(
      `UPDATE compliance_checks SET inputs = jsonb_set(inputs, '{kyc}', '"verified"') WHERE id = $1`,
      [deniedCheck],
    );
    const tampered = await api.get(`/api/v1/compliance/checks/${deniedCheck}/recompute`, { token: tokens.auditor });
    assert.equal(tampered.status, 200);
    assert.equal(tampered.body.equal, false);
    await stack.deps.pool.query(
      `UPDATE compliance_checks SET inputs = jsonb_set(inputs, '{kyc}', '"unknown"') WHERE id = $1`,
      [deniedCheck],
    );
    const restored = await api.get(`/api/v1/compliance/checks/${deniedCheck}/recompute`, { token: tokens.auditor });
    assert.equal(restored.body.equal, true);
  });

  it("lets a user score and read only their own wallet", async () => {
    const own = await api.get(`/api/v1/compliance/score/wallet/${alice.publicKey.toBase58()}`, {
      token: tokens.alice,
    });
    assert.equal(own.status, 200, own.text);
    // Her earlier check of the same subject is not a prior flag (rescoring is stable).
    assert.ok(!reasonsOf(own.body).includes("prior_flags"), own.text);
    assert.equal(
      own.body.score,
      (await stack.deps.prisma.complianceCheck.findUniqueOrThrow({ where: { id: aliceCheck } })).score,
    );
    const readOwn = await api.get(`/api/v1/compliance/checks/${aliceCheck}`, { token: tokens.alice });
    assert.equal(readOwn.status, 200);
    assert.equal(
      (await api.get(`/api/v1/compliance/score/wallet/${bob.publicKey.toBase58()}`, { token: tokens.alice })).status,
      403,
    );
    assert.equal((await api.get(`/api/v1/compliance/checks/${deniedCheck}`, { token: tokens.alice })).status, 403);
    assert.equal(
      (await api.get(`/api/v1/compliance/score/transaction/${"1".repeat(64)}`, { token: tokens.alice })).status,
      403,
    );
    assert.equal((await api.get(`/api/v1/compliance/score/wallet/${alice.publicKey.toBase58()}`)).status, 401);
    assert.equal((await api.get("/api/v1/compliance/checks/not-a-uuid", { token: tokens.auditor })).status, 400);
    assert.equal(
      (
        await api.get(`/api/v1/compliance/checks/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}`, {
          token: tokens.auditor,
        })
      ).status,
      404,
    );
  });

  it("scores a payout with its batch: concentration on one recipient", async () => {
    const run = await stack.deps.prisma.payoutRun.create({ data: { week: "2026-W48" } });
    const usdc = stack.manifest.usdcMint;
    const mk = (recipient: string, amount: bigint) =>
      stack.deps.prisma.payout.create({
        data: { runId: run.id, week: run.week, recipient, mint: usdc, amount: amount.toString() },
      });
    const big = await mk(alice.publicKey.toBase58(), 8_000_000_000n);
    await mk(newKeypair().publicKey.toBase58(), 1_000_000_000n);
    await mk(newKeypair().publicKey.toBase58(), 1_000_000_000n);
    const r = await api.get(`/api/v1/compliance/score/payout/${big.id}`, { token: tokens.auditor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.subjectType, "payout");
    assert.ok(reasonsOf(r.body).includes("concentration"), r.text);
    // Alice's wallet checks under review are prior flags on this payee.
    assert.ok(reasonsOf(r.body).includes("prior_flags"), r.text);
    assert.equal(r.body.inputs.priorFlags.review, 2);
    assert.deepEqual(r.body.inputs.batch.entries, 3);
    const none = await api.get("/api/v1/compliance/score/payout/00000000-0000-4000-8000-000000000000", {
      token: tokens.auditor,
    });
    assert.equal(none.status, 404);
  });

  it("serves the review queue, oldest first, with cursor pages; not to plain users", async () => {
    const first = await api.get("/api/v1/compliance/review-queue?limit=1", { token: tokens.auditor });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.items[0].id, aliceCheck);
    assert.ok(first.body.nextCursor);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const p = await api.get(`/api/v1/compliance/review-queue?limit=2${q}`, { token: tokens.auditor });
      assert.equal(p.status, 200);
      for (const c of p.body.items) {
        assert.ok(c.decision === "review" || c.decision === "block");
        assert.equal(c.reviewedAt, null);
        all.push(c.id);
      }
      cursor = p.body.nextCursor;
    } while (cursor);
    assert.ok(all.includes(deniedCheck));
    assert.equal(new Set(all).size, all.length);
    assert.equal((await api.get("/api/v1/compliance/review-queue", { token: tokens.alice })).status, 403);
    assert.equal(
      (await api.get("/api/v1/compliance/review-queue?cursor=garbage", { token: tokens.auditor })).status,
      400,
    );
  });

  it("takes an admin's decision once, with a written reason, audited with before and after", async () => {
    const path = `/api/v1/compliance/checks/${aliceCheck}/decision`;
    const good = { decision: "approve", reason: "structuring explained: three invoices from one supplier" };
    assert.equal((await api.post(path, good, { token: tokens.auditor })).status, 403);
    assert.equal((await api.post(path, good, { token: tokens.alice })).status, 403);
    assert.equal((await api.post(path, { decision: "approve" }, { token: tokens.admin })).status, 400);
    assert.equal((await api.post(path, { decision: "approve", reason: "ok" }, { token: tokens.admin })).status, 400);
    assert.equal(
      (await api.post(path, { decision: "approve", reason: "          x" }, { token: tokens.admin })).status,
      400,
    );
    assert.equal((await api.post(path, { ...good, decision: "maybe" }, { token: tokens.admin })).status, 400);
    const override = await api.post(path, { ...good, decision: "override" }, { token: tokens.admin });
    assert.equal(override.status, 400, "override is for blocked checks");
    const r = await api.post(path, good, { token: tokens.admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.decision, "approve");
    assert.equal(r.body.engineDecision, "review");
    assert.equal(r.body.reviewer, admin.publicKey.toBase58());
    assert.equal(r.body.reviewReason, good.reason);
    const twice = await api.post(path, { ...good, decision: "block" }, { token: tokens.admin });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, "ALREADY_DECIDED");
    const entries = await stack.deps.prisma.auditLog.findMany({
      where: { action: "compliance.decide", resource: `compliance_check:${aliceCheck}` },
    });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.actor, admin.publicKey.toBase58());
    assert.deepEqual(entries[0]?.before, { decision: "review", score: r.body.score });
    assert.equal((entries[0]?.after as { decision?: string } | undefined)?.decision, "approve");
    // Recompute still matches: the record hash covers the engine's decision, not the reviewer's.
    const re = await api.get(`/api/v1/compliance/checks/${aliceCheck}/recompute`, { token: tokens.auditor });
    assert.equal(re.body.equal, true);
    // A block can be overridden with a reason.
    const ov = await api.post(
      `/api/v1/compliance/checks/${deniedCheck}/decision`,
      { decision: "override", reason: "false positive: name collision with the listed entity, documented" },
      { token: tokens.admin },
    );
    assert.equal(ov.status, 200, ov.text);
    assert.equal(ov.body.decision, "override");
    const queue = await api.get("/api/v1/compliance/review-queue?limit=200", { token: tokens.auditor });
    const ids = queue.body.items.map((c: { id: string }) => c.id);
    assert.ok(!ids.includes(aliceCheck) && !ids.includes(deniedCheck));
    const missing = await api.post("/api/v1/compliance/checks/00000000-0000-4000-8000-000000000000/decision", good, {
      token: tokens.admin,
    });
    assert.equal(missing.status, 404);
  });
});
