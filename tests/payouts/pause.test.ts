// The platform paused mid-cycle: the cycle stops before proposing, and again before
// executing an approved batch, alerting the signers (audit entry, event, in-app) and paying
// nothing; once the multisig unpauses, the next run completes.
import assert from "node:assert/strict";
import { newKeypair } from "@ece/sdk/node";
import {
  approveAs,
  type PayoutStack,
  pauseNow,
  runCli,
  sellWeek,
  startPayoutStack,
  tokenBalance,
  unpauseByMultisig,
  usdcOf,
  weekBatch,
} from "../src/payouts.js";

describe("payouts: paused mid-cycle", function () {
  this.timeout(240_000);
  let stack: PayoutStack;
  const a = newKeypair();
  const b = newKeypair();

  before(async () => {
    stack = await startPayoutStack("payouts_pause");
    await sellWeek(stack, [
      { name: "Alpha", payoutWallet: a.publicKey, sales: [300_000_000n] },
      { name: "Beta", payoutWallet: b.publicKey, sales: [200_000_000n] },
    ]);
  });
  after(async () => stack?.stop());

  const alerts = () => stack.deps.prisma.auditLog.count({ where: { action: "payouts.halted" } });

  it("stops before proposing while paused and alerts once; proposes after the unpause", async () => {
    await pauseNow(stack);
    const first = await runCli(stack);
    assert.equal(first.out.waiting, "paused", JSON.stringify(first.out));
    assert.equal(first.out.status, "scored");
    assert.equal(await weekBatch(stack), null, "nothing proposed while paused");
    const again = await runCli(stack);
    assert.equal(again.out.waiting, "paused");
    assert.equal(await alerts(), 1, "one alert per pause, not per attempt");
    const signer = stack.localnet.wallet("signer-2").publicKey.toBase58();
    const notes = await stack.deps.prisma.notification.findMany({ where: { user: { wallet: signer } } });
    assert.deepEqual(
      notes.map((n) => n.kind),
      ["payouts.halted"],
    );

    await unpauseByMultisig(stack);
    const resumed = await runCli(stack);
    assert.equal(resumed.out.status, "proposed", JSON.stringify(resumed.out));
    assert.equal((await weekBatch(stack))?.status, "Active");
    const run = await stack.deps.prisma.payoutRun.findUniqueOrThrow({ where: { week: stack.week } });
    assert.equal(run.error, null, "the halt is cleared");
  });

  it("approved, then paused: nothing executes; unpaused: it completes", async () => {
    const proposal = (await stack.deps.prisma.treasuryProposal.findFirstOrThrow({ where: { kind: "payoutBatch" } }))
      .address;
    await approveAs(stack, stack.localnet.wallet("signer-1"), proposal);
    await approveAs(stack, stack.localnet.wallet("signer-3"), proposal);
    await pauseNow(stack);
    const vault = await tokenBalance(stack, stack.deps.platform.vaults.usdc);
    const halted = await runCli(stack);
    assert.equal(halted.out.waiting, "paused", JSON.stringify(halted.out));
    assert.equal((await weekBatch(stack))?.executedEntries, 0);
    assert.equal(await tokenBalance(stack, stack.deps.platform.vaults.usdc), vault, "nothing paid while paused");
    assert.equal(await usdcOf(stack, a.publicKey), 0n);
    assert.equal(await alerts(), 2, "a new pause, a new alert");

    await unpauseByMultisig(stack);
    const done = await runCli(stack, { wait: 60 });
    assert.equal(done.out.status, "paid", JSON.stringify(done.out));
    const payouts = await stack.deps.prisma.payout.findMany({ where: { week: stack.week } });
    for (const p of payouts) {
      const w = [a, b].find((k) => k.publicKey.toBase58() === p.recipient);
      assert.ok(w);
      assert.equal(await usdcOf(stack, w.publicKey), BigInt(p.amount.toFixed()));
    }
  });
});
