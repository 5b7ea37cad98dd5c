// The treasury domain against a localnet with the indexer running: signers build,
// sign and send proposals, votes and executions; the mirror follows; refusals.
import assert from "node:assert/strict";
import { decodeIdlInstruction, ECE_TREASURY_PROGRAM_ID, eceTreasuryIdl, pause, treasury } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import { createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Connection, type Keypair, PACKET_DATA_SIZE, PublicKey, Transaction } from "@solana/web3.js";
import { type ApiClient, sendIxs, signBuilt } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { until } from "../src/localnet-client.js";

interface Built {
  transaction: string;
  blockhash: string;
  lastValidBlockHeight: number;
  signers: string[];
}

describe("api: treasury", function () {
  this.timeout(180_000);
  let stack: ApiStack;
  let api: ApiClient;
  let conn: Connection;
  let usdc: PublicKey;
  let usdcVault: PublicKey;
  const token: Record<string, string> = {};
  const w = (name: string) => stack.localnet.wallet(name);

  /** Signs each built transaction with `kp` and sends them in order, each confirmed before the next. */
  async function sendAll(built: Built[], kp: Keypair): Promise<string[]> {
    const sigs: string[] = [];
    for (const b of built) {
      assert.deepEqual(b.signers, [kp.publicKey.toBase58()]);
      const tx = Transaction.from(Buffer.from(b.transaction, "base64"));
      assert.equal(tx.feePayer?.toBase58(), kp.publicKey.toBase58());
      const sig = await conn.sendRawTransaction(signBuilt(b.transaction, [kp]));
      const r = await conn.confirmTransaction(
        { signature: sig, blockhash: b.blockhash, lastValidBlockHeight: b.lastValidBlockHeight },
        "confirmed",
      );
      assert.equal(r.value.err, null, `${sig} failed: ${JSON.stringify(r.value.err)}`);
      sigs.push(sig);
    }
    return sigs;
  }

  const mirrored = (sigs: string[]) =>
    until(
      "the mirror",
      async () =>
        (await stack.deps.prisma.chainTransaction.count({ where: { signature: { in: sigs } } })) === sigs.length,
      30_000,
    );

  async function vaultBalance(): Promise<bigint> {
    return BigInt((await conn.getTokenAccountBalance(usdcVault, "confirmed")).value.amount);
  }

  before(async () => {
    stack = await startApiStack("api_treasury");
    api = stack.client;
    conn = stack.localnet.connection();
    usdc = new PublicKey(stack.manifest.usdcMint);
    usdcVault = new PublicKey(stack.manifest.vaults.usdc);
    // The mirror knows the members before anyone signs in (roles come from it).
    const members = stack.manifest.multisig.members.length;
    await until(
      "the multisig mirrored",
      async () => (await stack.deps.prisma.treasuryMember.count()) >= members,
      30_000,
    );
    for (const name of ["signer-1", "signer-2", "signer-3", "executor", "proposer", "alice"])
      token[name] = (await api.signIn(w(name))).token;
    // Revenue in the USDC vault: 50 USDC from alice.
    const alice = w("alice");
    const fund = createTransferInstruction(
      getAssociatedTokenAddressSync(usdc, alice.publicKey),
      usdcVault,
      alice.publicKey,
      50_000_000n,
    );
    await sendIxs(conn, [fund], [alice]);
  });
  after(async () => stack?.stop());

  it("serves the multisig from the chain with its members' permissions, in sync with the mirror", async () => {
    const r = await api.get("/api/v1/treasury/multisig", { token: token.alice });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.address, stack.manifest.multisig.address);
    assert.equal(r.body.threshold, stack.manifest.multisig.threshold);
    assert.equal(r.body.source, "chain");
    assert.equal(r.body.mirrorInSync, true, JSON.stringify(r.body.mirrorDifferences));
    const byKey = new Map(r.body.members.map((m: { key: string }) => [m.key, m]));
    assert.deepEqual((byKey.get(w("signer-1").publicKey.toBase58()) as { permissionNames: string[] }).permissionNames, [
      "propose",
      "vote",
      "execute",
    ]);
    assert.deepEqual((byKey.get(w("executor").publicKey.toBase58()) as { permissionNames: string[] }).permissionNames, [
      "execute",
    ]);
    assert.deepEqual((byKey.get(w("proposer").publicKey.toBase58()) as { permissionNames: string[] }).permissionNames, [
      "propose",
    ]);
    // Neither the executor nor the proposer votes.
    assert.equal(r.body.voters, 3);
    assert.deepEqual(r.body.riskPolicy, stack.manifest.multisig.riskPolicy);
    assert.equal((await api.get("/api/v1/treasury/multisig")).status, 401);
  });

  it("a transfer: proposed, approved by two signers, executed; the mirror shows it executed and the vault lower", async () => {
    const bob = w("bob").publicKey;
    const before = await vaultBalance();
    const body = {
      action: { kind: "transfer", mint: "USDC", to: bob.toBase58(), amount: "1250000" },
      riskScore: 10,
      complianceHash: "ab".repeat(32),
    };
    // Not a member: alice holds no signer role; a member lacking the permission: the executor.
    const refused = await api.post("/api/v1/treasury/proposals", body, { token: token.alice });
    assert.equal(refused.status, 403, refused.text);
    const noPerm = await api.post("/api/v1/treasury/proposals", body, { token: token.executor });
    assert.equal(noPerm.status, 403, noPerm.text);
    assert.equal(noPerm.body.error.code, "MISSING_PERMISSION");

    const created = await api.post("/api/v1/treasury/proposals", body, { token: token["signer-1"] });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.transactions.length, 1);
    const address = created.body.proposal as string;
    await sendAll(created.body.transactions, w("signer-1"));

    // Executing before approval, then approving (signer-2, then signer-2 again, then signer-1).
    const early = await api.post(`/api/v1/treasury/proposals/${address}/execute`, undefined, { token: token.executor });
    assert.equal(early.status, 409, early.text);
    assert.equal(early.body.error.code, "PROPOSAL_NOT_APPROVED");
    const a2 = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, { token: token["signer-2"] });
    assert.equal(a2.status, 200, a2.text);
    const approveSigs = await sendAll(a2.body.transactions, w("signer-2"));
    const twice = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, {
      token: token["signer-2"],
    });
    assert.equal(twice.status, 409, twice.text);
    assert.equal(twice.body.error.code, "ALREADY_VOTED");
    const notCreator = await api.post(`/api/v1/treasury/proposals/${address}/cancel`, undefined, {
      token: token["signer-2"],
    });
    assert.equal(notCreator.status, 409);
    assert.equal(notCreator.body.error.code, "CANNOT_CANCEL");
    const a1 = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, { token: token["signer-1"] });
    assert.equal(a1.status, 200, a1.text);
    approveSigs.push(...(await sendAll(a1.body.transactions, w("signer-1"))));
    // Approved now: a third approval is refused early (the proposal is no longer Active).
    const late = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, {
      token: token["signer-3"],
    });
    assert.equal(late.status, 409);
    assert.equal(late.body.error.code, "PROPOSAL_NOT_ACTIVE");

    const exec = await api.post(`/api/v1/treasury/proposals/${address}/execute`, undefined, { token: token.executor });
    assert.equal(exec.status, 200, exec.text);
    const execSigs = await sendAll(exec.body.transactions, w("executor"));
    await mirrored([...approveSigs, ...execSigs]);

    const detail = await api.get(`/api/v1/treasury/proposals/${address}`, { token: token.alice });
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body.status, "Executed");
    assert.equal(detail.body.kind, "transfer");
    assert.equal(detail.body.required, 2);
    assert.equal(detail.body.approvals, 2);
    assert.equal(detail.body.paidAmount, "1250000");
    assert.equal(detail.body.mirrorInSync, true);
    assert.equal(detail.body.chain.complianceHash, "ab".repeat(32));
    assert.deepEqual(detail.body.chain.action, {
      kind: "transfer",
      mint: usdc.toBase58(),
      to: bob.toBase58(),
      amount: "1250000",
    });
    assert.deepEqual(
      detail.body.votes.map((v: { member: string; vote: string }) => [v.member, v.vote]).sort(),
      [
        [w("signer-1").publicKey.toBase58(), "approve"],
        [w("signer-2").publicKey.toBase58(), "approve"],
      ].sort(),
    );
    const row = await stack.deps.prisma.treasuryProposal.findUniqueOrThrow({ where: { address } });
    assert.equal(row.status, "Executed");

    assert.equal(await vaultBalance(), before - 1_250_000n);
    const vaults = await until(
      "the vault mirrored",
      async () => {
        const v = await api.get("/api/v1/treasury/vaults", { token: token.alice });
        const usdcRow = v.body.items.find((x: { currency: string }) => x.currency === "USDC");
        return usdcRow?.mirrorInSync ? usdcRow : null;
      },
      30_000,
    );
    assert.equal(vaults.balance, (before - 1_250_000n).toString());
    assert.equal(vaults.address, usdcVault.toBase58());

    // Executed: no more votes or executions.
    const again = await api.post(`/api/v1/treasury/proposals/${address}/execute`, undefined, { token: token.executor });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "ALREADY_EXECUTED");
    const reject = await api.post(`/api/v1/treasury/proposals/${address}/reject`, undefined, {
      token: token["signer-3"],
    });
    assert.equal(reject.status, 409);

    const audits = await stack.deps.prisma.auditLog.findMany({ where: { resource: `proposal:${address}` } });
    assert.deepEqual(
      audits.map((a) => a.action).sort(),
      ["treasury.build.approve", "treasury.build.approve", "treasury.build.execute", "treasury.build.propose"].sort(),
    );
  });

  it("a payout batch of 30 entries from the proposer: a draft filled in order, approved by signers, paid in chunks", async () => {
    const owners = ["alice", "bob", "carol", "guardian-1", "guardian-2"].map((n) => w(n).publicKey);
    const recipients = owners.map((o) => getAssociatedTokenAddressSync(usdc, o));
    const entries = Array.from({ length: 30 }, (_, i) => ({
      recipient: (recipients[i % recipients.length] as PublicKey).toBase58(),
      amount: String(1000 * (i + 1)),
    }));
    const total = entries.reduce((s, e) => s + BigInt(e.amount), 0n);
    const before = await vaultBalance();
    const week = 2950;
    const created = await api.post(
      "/api/v1/treasury/proposals",
      { action: { kind: "payoutBatch", mint: usdc.toBase58(), week, entries }, riskScore: 0 },
      { token: token.proposer },
    );
    assert.equal(created.status, 200, created.text);
    assert.ok(created.body.transactions.length >= 2, "a draft and at least one append");
    const address = created.body.proposal as string;
    await sendAll(created.body.transactions, w("proposer"));
    // The same week and mint again: the chain holds it already.
    const dup = await api.post(
      "/api/v1/treasury/proposals",
      { action: { kind: "payoutBatch", mint: "USDC", week, entries: entries.slice(0, 1) } },
      { token: token["signer-2"] },
    );
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, "PROPOSAL_EXISTS");
    // The proposer holds no vote and cannot execute: its own batch needs the signers and an executor.
    const proposerVote = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, {
      token: token.proposer,
    });
    assert.equal(proposerVote.status, 403, proposerVote.text);
    assert.equal(proposerVote.body.error.code, "MISSING_PERMISSION");
    for (const s of ["signer-1", "signer-3"]) {
      const a = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, { token: token[s] });
      assert.equal(a.status, 200, a.text);
      await sendAll(a.body.transactions, w(s));
    }
    const proposerExec = await api.post(`/api/v1/treasury/proposals/${address}/execute`, undefined, {
      token: token.proposer,
    });
    assert.equal(proposerExec.status, 403, proposerExec.text);
    assert.equal(proposerExec.body.error.code, "MISSING_PERMISSION");
    const exec = await api.post(`/api/v1/treasury/proposals/${address}/execute`, undefined, {
      token: token["signer-2"],
    });
    assert.equal(exec.status, 200, exec.text);
    assert.ok(exec.body.transactions.length >= 2, "paid in more than one chunk");
    const sigs = await sendAll(exec.body.transactions, w("signer-2"));
    await mirrored(sigs);
    assert.equal(await vaultBalance(), before - total);
    const detail = await until(
      "the batch mirrored as executed",
      async () => {
        const d = await api.get(`/api/v1/treasury/proposals/${address}`, { token: token.alice });
        return d.body.mirrorInSync && d.body.status === "Executed" ? d.body : null;
      },
      30_000,
    );
    assert.equal(detail.kind, "payoutBatch");
    assert.equal(detail.week, week);
    assert.equal(detail.entryCount, 30);
    assert.equal(detail.executedEntries, 30);
    assert.equal(detail.paidAmount, total.toString());
    assert.equal(detail.chain.action.entries.length, 30);

    const list = await api.get(`/api/v1/treasury/proposals?kind=payoutBatch&week=${week}`, { token: token.alice });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((p: { address: string }) => p.address),
      [address],
    );
  });

  it("lists proposals newest first with filters and a cursor that covers each once", async () => {
    // One more, left Active, and one cancelled by its creator.
    const mk = async () => {
      const c = await api.post(
        "/api/v1/treasury/proposals",
        { action: { kind: "transfer", mint: "ECE", to: w("carol").publicKey.toBase58(), amount: "5" } },
        { token: token["signer-3"] },
      );
      assert.equal(c.status, 200, c.text);
      await sendAll(c.body.transactions, w("signer-3"));
      return c.body.proposal as string;
    };
    const active = await mk();
    const cancelled = await mk();
    const cancel = await api.post(`/api/v1/treasury/proposals/${cancelled}/cancel`, undefined, {
      token: token["signer-3"],
    });
    assert.equal(cancel.status, 200, cancel.text);
    const sigs = await sendAll(cancel.body.transactions, w("signer-3"));
    await mirrored(sigs);
    await until(
      "proposals mirrored",
      async () =>
        (await stack.deps.prisma.treasuryProposal.count({ where: { address: { in: [active, cancelled] } } })) === 2,
      30_000,
    );
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const r = await api.get(`/api/v1/treasury/proposals?limit=1${q}`, { token: token.alice });
      assert.equal(r.status, 200, r.text);
      all.push(...r.body.items.map((p: { address: string }) => p.address));
      cursor = r.body.nextCursor;
    } while (cursor);
    const rows = await stack.deps.prisma.treasuryProposal.findMany({ orderBy: { index: "desc" } });
    assert.deepEqual(
      all,
      rows.map((r) => r.address),
    );
    assert.ok(all.includes(active) && all.includes(cancelled));
    const act = await api.get("/api/v1/treasury/proposals?status=Active", { token: token.alice });
    assert.ok(act.body.items.every((p: { status: string }) => p.status === "Active"));
    assert.ok(act.body.items.some((p: { address: string }) => p.address === active));
    const canc = await api.get("/api/v1/treasury/proposals?status=Cancelled", { token: token.alice });
    assert.deepEqual(
      canc.body.items.map((p: { address: string }) => p.address),
      [cancelled],
    );
    assert.equal((await api.get("/api/v1/treasury/proposals?status=Nope", { token: token.alice })).status, 400);
    assert.equal((await api.get("/api/v1/treasury/proposals?cursor=garbage", { token: token.alice })).status, 400);
    const missing = newKeypair().publicKey.toBase58();
    assert.equal((await api.get(`/api/v1/treasury/proposals/${missing}`, { token: token.alice })).status, 404);
    assert.equal(
      (await api.post(`/api/v1/treasury/proposals/${missing}/approve`, undefined, { token: token["signer-1"] })).status,
      404,
    );
  });

  it("refuses malformed proposals", async () => {
    const to = w("bob").publicKey.toBase58();
    const bad = [
      { action: { kind: "transfer", mint: "USDC", to, amount: "1" }, riskScore: 101 },
      { action: { kind: "transfer", mint: "USDC", to, amount: "1" }, complianceHash: "zz" },
      { action: { kind: "transfer", mint: "DOGE", to, amount: "1" } },
      { action: { kind: "transfer", mint: "USDC", to, amount: "0" } },
      { action: { kind: "transfer", mint: "USDC", to, amount: "1", extra: 1 } },
      { action: { kind: "payoutBatch", mint: "USDC", week: 1, entries: [] } },
      { action: { kind: "config" } },
    ];
    for (const b of bad) {
      const r = await api.post("/api/v1/treasury/proposals", b, { token: token["signer-1"] });
      assert.equal(r.status, 400, `${JSON.stringify(b)} → ${r.status} ${r.text}`);
    }
  });

  it(`builds a payout batch of ${treasury.MAX_PAYOUT_ENTRIES} entries as a create and appends that each fit a transaction, and refuses one more`, async () => {
    const recipient = getAssociatedTokenAddressSync(usdc, w("alice").publicKey).toBase58();
    const body = (n: number) => ({
      action: {
        kind: "payoutBatch",
        mint: "USDC",
        week: 7_000,
        entries: Array.from({ length: n }, () => ({ recipient, amount: "1" })),
      },
    });
    const r = await api.post("/api/v1/treasury/proposals", body(treasury.MAX_PAYOUT_ENTRIES), {
      token: token["signer-1"],
    });
    assert.equal(r.status, 200, r.text);
    const names: string[] = [];
    let entries = 0;
    for (const b of r.body.transactions as Built[]) {
      assert.ok(Buffer.from(b.transaction, "base64").length <= PACKET_DATA_SIZE);
      for (const ix of Transaction.from(Buffer.from(b.transaction, "base64")).instructions) {
        if (!ix.programId.equals(ECE_TREASURY_PROGRAM_ID)) continue;
        const decoded = decodeIdlInstruction(eceTreasuryIdl, ix.data);
        assert.ok(decoded);
        names.push(decoded.name);
        const args =
          decoded.name === "create_proposal" ? Object.values(decoded.args.action as object)[0] : decoded.args;
        entries += (args as { entries: unknown[] }).entries.length;
      }
    }
    assert.equal(names[0], "create_proposal");
    assert.ok(names.slice(1).every((n) => n === "append_payout_entries"));
    assert.equal(entries, treasury.MAX_PAYOUT_ENTRIES);
    const over = await api.post("/api/v1/treasury/proposals", body(treasury.MAX_PAYOUT_ENTRIES + 1), {
      token: token["signer-1"],
    });
    assert.equal(over.status, 400, over.text);
  });

  it("serves the pause state from the chain, in sync with the mirror, to anyone", async () => {
    const r = await api.get("/api/v1/treasury/pause");
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.address, stack.manifest.pause.state);
    assert.equal(r.body.paused, false);
    assert.equal(r.body.source, "chain");
    assert.equal(r.body.mirrorInSync, true);
    assert.deepEqual([...r.body.guardians].sort(), stack.manifest.pause.guardians.map((g) => g.key).sort());
  });

  it("lists payout runs and one run's payouts", async () => {
    const empty = await api.get("/api/v1/treasury/payout-runs", { token: token.alice });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.items, []);
    for (const week of ["2026-W47", "2026-W48"]) {
      const run = await stack.deps.prisma.payoutRun.create({ data: { week, status: "paid", riskScore: 12 } });
      await stack.deps.prisma.payout.create({
        data: { runId: run.id, week, recipient: w("alice").publicKey.toBase58(), mint: usdc.toBase58(), amount: "77" },
      });
    }
    const first = await api.get("/api/v1/treasury/payout-runs?limit=1", { token: token.alice });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(
      first.body.items.map((r: { week: string }) => r.week),
      ["2026-W48"],
    );
    const second = await api.get(`/api/v1/treasury/payout-runs?limit=1&cursor=${first.body.nextCursor}`, {
      token: token.alice,
    });
    assert.deepEqual(
      second.body.items.map((r: { week: string }) => r.week),
      ["2026-W47"],
    );
    assert.equal(second.body.nextCursor, null);
    const one = await api.get("/api/v1/treasury/payout-runs/2026-W48", { token: token.alice });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.payoutCount, 1);
    assert.equal(one.body.payouts[0].amount, "77");
    assert.equal((await api.get("/api/v1/treasury/payout-runs/2026-W01", { token: token.alice })).status, 404);
  });

  it("a guardian pauses; signers unpause through an API-built Pause proposal (the one proposal taken while paused)", async () => {
    const guardian = w("guardian-1");
    await sendIxs(conn, [pause.pauseIx({ guardian: guardian.publicKey, reason: 3 })], [guardian]);
    assert.equal((await api.get("/api/v1/treasury/pause")).body.paused, true);
    // A transfer cannot even be proposed while paused; the unpause can.
    const created = await api.post(
      "/api/v1/treasury/proposals",
      { action: { kind: "unpause" } },
      { token: token["signer-1"] },
    );
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.transactions.length, 1);
    await sendAll(created.body.transactions, w("signer-1"));
    const address = created.body.proposal;
    for (const name of ["signer-1", "signer-2"]) {
      const vote = await api.post(`/api/v1/treasury/proposals/${address}/approve`, undefined, { token: token[name] });
      assert.equal(vote.status, 200, vote.text);
      await sendAll(vote.body.transactions, w(name));
    }
    const exec = await api.post(`/api/v1/treasury/proposals/${address}/execute`, undefined, { token: token.executor });
    assert.equal(exec.status, 200, exec.text);
    await sendAll(exec.body.transactions, w("executor"));
    assert.equal((await api.get("/api/v1/treasury/pause")).body.paused, false);
    const bad = await api.post(
      "/api/v1/treasury/proposals",
      { action: { kind: "unpause", extra: 1 } },
      { token: token["signer-1"] },
    );
    assert.equal(bad.status, 400);
  });
});
