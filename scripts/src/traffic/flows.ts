// The dependent kinds: each step is sent once the previous one is confirmed.
// Every random choice is made when the plan is built, so a seed reproduces the
// mix whatever the timing.
import { pause, treasury } from "@ece/sdk";
import type { Keypair, PublicKey } from "@solana/web3.js";
import { mintTx } from "./kinds.js";
import { type Ctx, type Plan, steps } from "./plan.js";
import { TOKENS, VAULT_TALLY } from "./platform.js";
import { execute, vote } from "./proposals.js";
import type { Tx } from "./sender.js";

/** A step after the creation, built once the proposal's address is known. */
type Then = (proposal: PublicKey) => Tx;

/** Creates a proposal, then sends `then` in turn; run() is true when all succeeded. */
function proposalPlan(
  c: Ctx,
  creator: Keypair,
  action: (index: bigint) => treasury.ProposalAction,
  then: Then[],
): Plan {
  return {
    size: 1 + then.length,
    run: async (send) => {
      const proposal = await c.proposals.create(send, creator, action);
      return (
        proposal !== null &&
        (await steps(
          send,
          then.map((step) => step(proposal)),
        ))
      );
    },
  };
}

const approvals = (c: Ctx): Then[] =>
  c.voters(c.p.threshold).map((member) => (proposal) => vote(c.p, "approve", member, proposal));

const sum = (entries: Array<{ amount: bigint }>) => entries.reduce((total, e) => total + e.amount, 0n);

/** A transfer from a vault to a user, approved and executed; or rejected; or
 * cancelled by its creator; or a payout batch filled, approved and paid in chunks. */
export function proposalFlow(c: Ctx): Plan {
  const { p, rng } = c;
  const t = rng.pick(TOKENS);
  const mint = p.mints[t];
  const creator = rng.pick(p.voters);
  const user = rng.pick(p.users);
  const amount = c.amount(1000);
  const transfer = () => ({ kind: "transfer", mint, to: user.key.publicKey, amount }) as const;
  const r = rng.next();
  if (r < 0.45) {
    const executor = rng.chance(0.8) ? p.executor : rng.pick(p.voters);
    return proposalPlan(c, creator, transfer, [
      ...approvals(c),
      (proposal) =>
        execute(p, executor, proposal, treasury.transferAccounts(p.multisig, mint, user.ata[t]), {
          [VAULT_TALLY[t]]: -amount,
        }),
    ]);
  }
  if (r < 0.6) {
    // Rejected once approval can no longer be reached.
    const rejecters = c.voters(p.voters.length - p.threshold + 1);
    return proposalPlan(
      c,
      creator,
      transfer,
      rejecters.map((member) => (proposal) => vote(p, "reject", member, proposal)),
    );
  }
  if (r < 0.75) return proposalPlan(c, creator, transfer, [(proposal) => vote(p, "cancel", creator, proposal)]);

  const entries = Array.from({ length: rng.int(3, 5) }, () => ({
    recipient: rng.pick(p.users).ata[t],
    amount: c.amount(1000),
  }));
  const rest = entries.slice(2);
  const appends = rest.length > 1 && rng.chance(0.5) ? [rest.slice(0, 1), rest.slice(1)] : [rest];
  const size = rng.int(2, 3);
  const chunks = Array.from({ length: Math.ceil(entries.length / size) }, (_, i) =>
    entries.slice(i * size, (i + 1) * size),
  );
  return proposalPlan(
    c,
    creator,
    // The proposal's index as its week: a week can be proposed once per mint.
    (index) => ({
      kind: "payoutBatch",
      mint,
      week: Number(index),
      totalAmount: sum(entries),
      entryCount: entries.length,
      entries: entries.slice(0, 2),
    }),
    [
      ...appends.map((batch) => (proposal: PublicKey) => ({
        label: `append ${batch.length} payout entries to ${proposal.toBase58()}`,
        payer: creator,
        ixs: [treasury.appendPayoutEntriesIx({ creator: creator.publicKey, proposal, entries: batch })],
      })),
      ...approvals(c),
      ...chunks.map((chunk) => {
        const nonce = c.nonce();
        return (proposal: PublicKey) => {
          const recipients = chunk.map((e) => e.recipient);
          const tx = execute(p, p.executor, proposal, treasury.payoutAccounts(p.multisig, mint, recipients), {
            [VAULT_TALLY[t]]: -sum(chunk),
          });
          // Two chunks may pay the same recipients: the same bytes but for this.
          return { ...tx, ixs: [nonce, ...tx.ixs] };
        };
      }),
    ],
  );
}

/** A guardian pauses, a mint fails with Paused, and the multisig unpauses. Runs
 * alone: anything else would fail while paused. */
export function pauseFlow(c: Ctx): Plan {
  const { p, rng } = c;
  const guardian = rng.pick(p.guardians);
  const pauseTx: Tx = {
    label: `${guardian.publicKey.toBase58()} pauses`,
    payer: guardian,
    ixs: [pause.pauseIx({ guardian: guardian.publicKey, reason: rng.int(1, 255) })],
  };
  const refused: Tx = { ...mintTx(c), failing: true };
  const unpause = proposalPlan(c, rng.pick(p.voters), () => ({ kind: "pause", action: { kind: "unpause" } }), [
    ...approvals(c),
    (proposal) => execute(p, p.executor, proposal, treasury.pauseAccounts()),
  ]);
  return {
    size: 2 + unpause.size,
    exclusive: true,
    run: async (send) => {
      if (!(await steps(send, [pauseTx]))) return false;
      await steps(send, [refused]);
      if (!(await unpause.run(send)))
        throw new Error("pauseFlow: the unpause proposal failed; the platform stays paused");
      return true;
    },
  };
}
