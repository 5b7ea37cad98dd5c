// The cycle killed with SIGKILL at each step in turn (failpoints freeze `payouts:run`
// where named; the test kills it there) and rerun: at the end every payee holds exactly
// its payout, each entry was paid by exactly one PayoutPaid, and nothing was proposed or
// scored twice. 40 payees: the batch takes a create and appends, execution several chunks.
import assert from "node:assert/strict";
import { newKeypair } from "@ece/sdk/node";
import type { Keypair } from "@solana/web3.js";
import {
  approveAs,
  type PayoutStack,
  runCli,
  sellWeek,
  startPayoutStack,
  tokenBalance,
  usdcOf,
  weekBatch,
} from "../src/payouts.js";

const PAYEES = 40;

describe("payouts: SIGKILL at every step, then rerun", function () {
  this.timeout(300_000);
  let stack: PayoutStack;
  const wallets: Keypair[] = Array.from({ length: PAYEES }, () => newKeypair());
  let vaultBefore: bigint;

  before(async () => {
    stack = await startPayoutStack("payouts_crash");
    await sellWeek(
      stack,
      wallets.map((w, i) => ({
        name: `Crash Co ${i}`,
        payoutWallet: w.publicKey,
        sales: [BigInt(100 + i) * 1_000_000n],
      })),
    );
    vaultBefore = await tokenBalance(stack, stack.deps.platform.vaults.usdc);
  });
  after(async () => stack?.stop());

  const run = () => stack.deps.prisma.payoutRun.findUnique({ where: { week: stack.week } });
  const killedAt = async (failpoint: string) => {
    const r = await runCli(stack, { failpoint });
    assert.deepEqual(r.out, { failpoint }, r.stderr);
    assert.equal(r.code, null, "killed by a signal");
  };

  it("killed after allocating: the run and its payouts exist once", async () => {
    await killedAt("payouts.allocated");
    assert.equal((await run())?.status, "pending");
    assert.equal(await stack.deps.prisma.payout.count({ where: { week: stack.week } }), PAYEES);
    assert.equal(await stack.deps.prisma.complianceCheck.count(), 0);
  });

  it("killed after scoring: one check per payout, none repeated by the rerun", async () => {
    await killedAt("payouts.scored");
    assert.equal((await run())?.status, "scored");
    assert.equal(await stack.deps.prisma.complianceCheck.count({ where: { subjectType: "payout" } }), PAYEES);
    await killedAt("payouts.accounts-ready");
    assert.equal(await stack.deps.prisma.complianceCheck.count({ where: { subjectType: "payout" } }), PAYEES);
    assert.equal(await weekBatch(stack), null, "nothing proposed yet");
  });

  it("killed after the proposal's first transaction: the draft is completed from its on-chain cursor", async () => {
    await killedAt("payouts.proposal-first-tx");
    const draft = await weekBatch(stack);
    assert.equal(draft?.status, "Draft");
    assert.ok(draft && draft.loadedEntries > 0 && draft.loadedEntries < PAYEES, `loaded ${draft?.loadedEntries}`);
    await killedAt("payouts.proposed");
    const full = await weekBatch(stack);
    assert.equal(full?.status, "Active");
    assert.equal(full?.loadedEntries, PAYEES);
    assert.equal((await run())?.status, "scored", "killed before the run recorded it");
    const done = await runCli(stack);
    assert.equal(done.out.status, "proposed", JSON.stringify(done.out));
    assert.equal(done.out.waiting, "approvals");
    assert.equal(await stack.deps.prisma.complianceCheck.count({ where: { subjectType: "batch" } }), 1);
    // The on-chain entries are the payouts, in their frozen order.
    const payouts = await stack.deps.prisma.payout.findMany({
      where: { week: stack.week },
      orderBy: { entryIndex: "asc" },
    });
    const chain = (await weekBatch(stack))?.action;
    assert.equal(chain?.kind, "payoutBatch");
    if (chain?.kind !== "payoutBatch") return;
    assert.deepEqual(
      chain.entries.map((e) => [e.recipient.toBase58(), e.amount.toString()]),
      payouts.map((p) => [p.recipientTokenAccount, p.amount.toFixed()]),
    );
  });

  it("killed after the first execute chunk and after the last: every payee paid exactly once", async () => {
    const proposal = (await stack.deps.prisma.treasuryProposal.findFirstOrThrow({ where: { kind: "payoutBatch" } }))
      .address;
    await approveAs(stack, stack.localnet.wallet("signer-1"), proposal);
    await approveAs(stack, stack.localnet.wallet("signer-2"), proposal);

    await killedAt("payouts.executed-first-chunk");
    const partly = await weekBatch(stack);
    assert.equal(partly?.status, "Executing");
    assert.ok(
      partly && partly.executedEntries > 0 && partly.executedEntries < PAYEES,
      `${partly?.executedEntries} paid`,
    );
    await killedAt("payouts.executed");
    assert.equal((await weekBatch(stack))?.status, "Executed");

    const last = await runCli(stack, { wait: 60 });
    assert.equal(last.out.status, "paid", JSON.stringify(last.out));

    const payouts = await stack.deps.prisma.payout.findMany({ where: { week: stack.week } });
    let total = 0n;
    for (const p of payouts) {
      const wallet = wallets.find((w) => w.publicKey.toBase58() === p.recipient);
      assert.ok(wallet, "a payee of the week");
      assert.equal(await usdcOf(stack, wallet.publicKey), BigInt(p.amount.toFixed()), `payee ${p.recipient}`);
      assert.equal(p.status, "paid");
      total += BigInt(p.amount.toFixed());
    }
    assert.equal(await tokenBalance(stack, stack.deps.platform.vaults.usdc), vaultBefore - total);
    const paid = await stack.deps.prisma.chainEvent.findMany({ where: { name: "PayoutPaid" } });
    assert.equal(paid.length, PAYEES, "one PayoutPaid per entry");
    assert.equal(new Set(paid.map((e) => (e.data as { entry_index: number }).entry_index)).size, PAYEES);
  });
});
