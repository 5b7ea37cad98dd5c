import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { decodeEvents, ECE_TREASURY_PROGRAM_ID, eceTreasuryIdl, pause, token, treasury } from "@ece/sdk";
import { Keypair, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { recordCu } from "../src/cu.js";
import { DEFAULT_POLICY, FIXED_CREATE_KEY, member, Platform } from "../src/platform.js";
import { expectError, expectOk, type TxResult } from "../src/svm.js";

const { Permission } = treasury;
const WEEK = 2947; // weeks since the Unix epoch

function events(r: TxResult, name?: string) {
  const all = decodeEvents(ECE_TREASURY_PROGRAM_ID, eceTreasuryIdl, r.logs);
  return name ? all.filter((e) => e.name === name) : all;
}

const keyStr = (k: unknown) => (k as PublicKey).toBase58();

/** Where a payout batch's entries start in the proposal account (`payout::ENTRIES`
 * in state/proposal.rs), and the size of one. */
const PAYOUT_ENTRIES_AT = 221;
const ENTRY_LEN = 40;
/** LiteSVM's fee per signature (lamports). */
const SIGNATURE_FEE = 5_000;

/**
 * The largest n ≥ 1 for which the transaction `build(n)`, paid by `payer`, fits
 * the wire limit and, with `whole`, succeeds in simulation with its logs whole:
 * past 10,000 bytes the runtime truncates them, and the events with them.
 */
function mostThatFit(
  p: Platform,
  build: (n: number) => TransactionInstruction[],
  payer: Keypair,
  whole = false,
): number {
  const fits = (n: number) => {
    const wire = p.svm.wire(build(n), [], payer);
    if (!wire || !whole) return wire !== null;
    const r = p.svm.simulate(wire);
    return r.ok && !r.logs.includes("Log truncated");
  };
  let n = 1;
  while (fits(n + 1)) n++;
  return n;
}

/** A payout batch for `n` fresh recipients, amounts 1_000 × (i + 1). */
function batch(p: Platform, n: number, week = WEEK) {
  const owners = Array.from({ length: n }, () => Keypair.generate().publicKey);
  const recipients = owners.map((o) => p.tokenAccount(o));
  const entries = recipients.map((recipient, i) => ({ recipient, amount: 1_000n * BigInt(i + 1) }));
  const totalAmount = entries.reduce((s, e) => s + e.amount, 0n);
  const action: treasury.ProposalAction = {
    kind: "payoutBatch",
    mint: p.usdc,
    week,
    totalAmount,
    entryCount: n,
    entries,
  };
  return { action, recipients, entries, totalAmount };
}

describe("ece_treasury", () => {
  describe("create_multisig and create_vault", () => {
    it("stores members, threshold, time lock and risk policy, and emits MultisigCreated", () => {
      const p = new Platform({ timeLockSeconds: 3600 });
      const m = p.multisigState();
      assert.equal(m.threshold, 2);
      assert.equal(m.timeLockSeconds, 3600);
      assert.deepEqual(m.riskPolicy, DEFAULT_POLICY);
      assert.deepEqual(
        m.members.map((x) => [x.key.toBase58(), x.permissions]),
        p.members.map((k) => [k.publicKey.toBase58(), Permission.All]),
      );
      assert.equal(m.transactionIndex, 0n);

      // A second multisig, to read its event.
      const createKey = Keypair.generate();
      const r = p.send(
        [
          treasury.createMultisigIx({
            creator: p.svm.payer.publicKey,
            createKey: createKey.publicKey,
            members: [{ key: member(p, 0).publicKey, permissions: Permission.All }],
            threshold: 1,
            timeLockSeconds: 0,
            riskPolicy: [],
          }),
        ],
        [createKey],
      );
      expectOk(r);
      const [e] = events(r, "MultisigCreated");
      assert.ok(e);
      assert.equal(keyStr(e.data.multisig), treasury.multisigPda(createKey.publicKey)[0].toBase58());
      assert.equal(e.data.threshold, 1);
    });

    it("creates a vault per mint owned by the multisig PDA", () => {
      const p = new Platform();
      const info = p.svm.account(p.vault());
      assert.ok(info);
      assert.equal(info.data.subarray(0, 32).toString("hex"), p.usdc.toBuffer().toString("hex"));
      assert.equal(info.data.subarray(32, 64).toString("hex"), p.multisig.toBuffer().toString("hex"));
      // Another mint gets its own vault, created on demand by anyone.
      const r = p.send([treasury.createVaultIx({ payer: p.svm.payer.publicKey, multisig: p.multisig, mint: p.ece })]);
      expectOk(r);
      assert.equal(events(r, "VaultCreated").length, 1);
      assert.ok(p.svm.account(p.vault(p.ece)));
    });
  });

  describe("transfer proposals", () => {
    it("propose → approve → execute moves tokens from the vault, with events and CU within budget", () => {
      const p = new Platform({ createKey: FIXED_CREATE_KEY });
      p.fundUsdc(p.vault(), 5_000_000n);
      const alice = Keypair.generate();
      const dest = p.tokenAccount(alice.publicKey);
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: alice.publicKey,
        amount: 1_250_000n,
      };
      const hash = createHash("sha256").update("compliance record 1").digest();
      const { r, proposal } = p.propose(member(p, 0), action, { riskScore: 12, complianceHash: hash });
      expectOk(r);
      recordCu("ece_treasury", "create_proposal (transfer)", r.computeUnits, 6_000);
      const [created] = events(r, "ProposalCreated");
      assert.ok(created);
      assert.equal(created.data.kind, 0);
      assert.equal(created.data.required, 2);

      const before = p.proposal(proposal);
      assert.equal(before.status, "Active");
      assert.equal(before.riskScore, 12);
      assert.deepEqual(Buffer.from(before.complianceHash), hash);

      const a1 = p.vote("approve", member(p, 0), proposal);
      expectOk(a1);
      recordCu("ece_treasury", "approve", a1.computeUnits, 2_000);
      assert.equal(p.proposal(proposal).status, "Active");
      const a2 = p.vote("approve", member(p, 1), proposal);
      expectOk(a2);
      recordCu("ece_treasury", "approve (reaching the threshold)", a2.computeUnits, 2_000);
      const [approved] = events(a2, "ProposalApproved");
      assert.ok(approved);
      assert.equal(approved.data.approvals, 2);
      assert.deepEqual(approved.data.status, { Approved: {} });
      assert.equal(p.proposal(proposal).status, "Approved");

      const x = p.execute(member(p, 2), proposal, p.executeAccounts(action, [dest]));
      expectOk(x);
      recordCu("ece_treasury", "execute (transfer)", x.computeUnits, 9_000);
      assert.equal(p.balance(dest), 1_250_000n);
      assert.equal(p.balance(p.vault()), 3_750_000n);
      const after = p.proposal(proposal);
      assert.equal(after.status, "Executed");
      assert.equal(after.paidAmount, 1_250_000n);
      assert.equal(events(x, "ProposalExecuted").length, 1);
    });

    it("a rejected proposal is rejected once approval becomes impossible", () => {
      const p = new Platform(); // 3 voters, threshold 2: two rejections make 2 approvals impossible
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 1n,
      };
      const { proposal } = p.propose(member(p, 0), action);
      const r1 = p.vote("reject", member(p, 0), proposal);
      expectOk(r1);
      recordCu("ece_treasury", "reject", r1.computeUnits, 2_000);
      assert.equal(p.proposal(proposal).status, "Active");
      const r2 = p.vote("reject", member(p, 1), proposal);
      expectOk(r2);
      assert.equal(p.proposal(proposal).status, "Rejected");
      const [e] = events(r2, "ProposalRejected");
      assert.ok(e);
      assert.equal(e.data.rejections, 2);
    });
  });

  describe("risk policy", () => {
    it("raises the approvals required with the risk score: <40 threshold, ≥40 +1, ≥70 every voter", () => {
      const p = new Platform({ permissions: [7, 7, 7, 7, 7], threshold: 2 });
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 1n,
      };
      for (const [score, required] of [
        [0, 2],
        [39, 2],
        [40, 3],
        [69, 3],
        [70, 5],
        [100, 5],
      ] as const) {
        const { r, proposal } = p.propose(member(p, 0), action, { riskScore: score });
        expectOk(r);
        assert.equal(p.proposal(proposal).required, required, `score ${score}`);
        assert.equal(treasury.requiredApprovals(p.multisigState(), score), required);
      }
    });

    it("a high-risk payout executes only after every voter approved", () => {
      const p = new Platform();
      p.fundUsdc(p.vault(), 10n);
      const dest = p.tokenAccount(p.svm.payer.publicKey);
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 10n,
      };
      const { proposal } = p.propose(member(p, 0), action, { riskScore: 85 });
      p.approveBy(proposal, 2);
      expectError(p.execute(member(p, 0), proposal, p.executeAccounts(action, [dest])), "ProposalNotApproved");
      expectOk(p.vote("approve", member(p, 2), proposal));
      expectOk(p.execute(member(p, 0), proposal, p.executeAccounts(action, [dest])));
      assert.equal(p.balance(dest), 10n);
    });
  });

  describe("time lock", () => {
    it("executes only once the time lock has passed since approval", () => {
      const p = new Platform({ timeLockSeconds: 86_400 });
      p.fundUsdc(p.vault(), 100n);
      const dest = p.tokenAccount(p.svm.payer.publicKey);
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 100n,
      };
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      expectError(p.execute(member(p, 0), proposal, p.executeAccounts(action, [dest])), "TimeLockNotElapsed");
      p.svm.advanceTime(86_399);
      expectError(p.execute(member(p, 0), proposal, p.executeAccounts(action, [dest])), "TimeLockNotElapsed");
      p.svm.advanceTime(1);
      expectOk(p.execute(member(p, 0), proposal, p.executeAccounts(action, [dest])));
    });
  });

  describe("payout batches", () => {
    it("full loop: fund vault → propose batch → approvals → time lock passes → execute in chunks → balances right", () => {
      const p = new Platform({ timeLockSeconds: 3_600 });
      const { action, recipients, entries, totalAmount } = batch(p, 12);
      p.fundUsdc(p.vault(), totalAmount + 7n);
      const { r, proposal } = p.propose(member(p, 0), action, { riskScore: 20 });
      expectOk(r);
      recordCu("ece_treasury", "create_proposal (payout batch, 12 entries)", r.computeUnits, null);
      assert.ok(proposal.equals(treasury.payoutPda(p.multisig, p.usdc, WEEK)[0]));
      p.approveBy(proposal, 2);
      p.svm.advanceTime(3_600);

      const first = p.execute(member(p, 1), proposal, p.executeAccounts(action, recipients.slice(0, 5)));
      expectOk(first);
      assert.equal(p.proposal(proposal).status, "Executing");
      assert.equal(p.proposal(proposal).executedEntries, 5);
      const paid = events(first, "PayoutPaid");
      assert.equal(paid.length, 5);
      assert.equal(paid[0]?.data.week, WEEK);
      assert.equal(keyStr(paid[0]?.data.recipient), recipients[0]?.toBase58());

      const rest = p.execute(member(p, 1), proposal, p.executeAccounts(action, recipients.slice(5)));
      expectOk(rest);
      const perEntry = Math.ceil(rest.computeUnits / 7);
      recordCu("ece_treasury", "execute (payout batch, per entry, chunk of 7)", perEntry, 6_000);
      const done = p.proposal(proposal);
      assert.equal(done.status, "Executed");
      assert.equal(done.paidAmount, totalAmount);
      for (const [i, e] of entries.entries()) assert.equal(p.balance(recipients[i] as PublicKey), e.amount);
      assert.equal(p.balance(p.vault()), 7n);
      expectError(
        p.execute(member(p, 1), proposal, p.executeAccounts(action, recipients.slice(0, 1))),
        "AlreadyExecuted",
      );
    });

    it("CU per payout entry stays within budget for a one-entry chunk too", () => {
      const p = new Platform();
      const { action, recipients, totalAmount } = batch(p, 16);
      p.fundUsdc(p.vault(), totalAmount);
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      const one = p.execute(member(p, 0), proposal, p.executeAccounts(action, recipients.slice(0, 1)));
      expectOk(one);
      recordCu("ece_treasury", "execute (payout batch, chunk of 1)", one.computeUnits, 6_000);
      const big = p.execute(member(p, 0), proposal, p.executeAccounts(action, recipients.slice(1)));
      expectOk(big);
      recordCu(
        "ece_treasury",
        "execute (payout batch, per entry, chunk of 15)",
        Math.ceil(big.computeUnits / 15),
        6_000,
      );
    });

    it("a batch too large for one transaction is created as a draft and filled by its creator", () => {
      const p = new Platform();
      const { action, recipients, entries, totalAmount } = batch(p, 30);
      p.fundUsdc(p.vault(), totalAmount);
      const draft = { ...action, entries: entries.slice(0, 10) } as treasury.ProposalAction;
      const { r, proposal } = p.propose(member(p, 0), draft);
      expectOk(r);
      assert.equal(p.proposal(proposal).status, "Draft");
      expectError(p.vote("approve", member(p, 1), proposal), "ProposalNotActive");
      const add = (from: number, to: number) =>
        p.send(
          [
            treasury.appendPayoutEntriesIx({
              creator: member(p, 0).publicKey,
              proposal,
              entries: entries.slice(from, to),
            }),
          ],
          [member(p, 0)],
        );
      const a = add(10, 20);
      expectOk(a);
      recordCu("ece_treasury", "append_payout_entries (10)", a.computeUnits, null);
      assert.equal(p.proposal(proposal).loadedEntries, 20);
      const b = add(20, 30);
      expectOk(b);
      assert.equal(events(b, "PayoutEntriesAdded")[0]?.data.loaded_entries, 30);
      const full = p.proposal(proposal);
      assert.equal(full.status, "Active");
      assert.equal(full.loadedAmount, totalAmount);
      assert.deepEqual(
        full.action.kind === "payoutBatch" ? full.action.entries.map((e) => e.amount) : [],
        entries.map((e) => e.amount),
      );
      p.approveBy(proposal, 2);
      for (let i = 0; i < 30; i += 15)
        expectOk(p.execute(member(p, 0), proposal, p.executeAccounts(action, recipients.slice(i, i + 15))));
      assert.equal(p.proposal(proposal).status, "Executed");
      assert.equal(p.balance(p.vault()), 0n);
    });

    it("a weekly batch of 1,000 entries: created and appended in transaction-sized chunks, the account growing by each append at its creator's cost, paid in chunks as large as a transaction allows", () => {
      const p = new Platform();
      // Each pays its own transactions, as when the API builds them for a wallet.
      const [creator, executor] = [member(p, 0), member(p, 1)];
      const { action, recipients, entries, totalAmount } = batch(p, 1_000);
      p.fundUsdc(p.vault(), totalAmount + 5n);
      const proposal = treasury.payoutPda(p.multisig, p.usdc, WEEK)[0];
      const nextIndex = p.multisigState().transactionIndex + 1n;
      const sizeFor = (loaded: number) => PAYOUT_ENTRIES_AT + ENTRY_LEN * loaded;
      const create = (n: number) => [
        treasury.createProposalIx({
          creator: creator.publicKey,
          multisig: p.multisig,
          action: { ...action, entries: entries.slice(0, n) },
          nextIndex,
        }),
      ];
      const append = (from: number, n: number) => [
        treasury.appendPayoutEntriesIx({
          creator: creator.publicKey,
          proposal,
          entries: entries.slice(from, from + n),
        }),
      ];
      const holds = (loaded: number) => {
        const info = p.svm.account(proposal);
        assert.ok(info);
        assert.equal(info.data.length, sizeFor(loaded), "the account holds the loaded entries only");
        assert.equal(info.lamports, p.svm.rentExempt(sizeFor(loaded)), "rent-exempt for its size, no more");
        const state = p.proposal(proposal);
        assert.equal(state.loadedEntries, loaded);
        assert.ok(state.action.kind === "payoutBatch");
        assert.equal(state.action.entryCount, 1_000);
        assert.deepEqual(
          state.action.entries.map((e) => [e.recipient.toBase58(), e.amount]),
          entries.slice(0, loaded).map((e) => [e.recipient.toBase58(), e.amount]),
        );
        return state;
      };

      const first = mostThatFit(p, create, creator);
      const created = p.svm.send(create(first), [], creator);
      expectOk(created);
      assert.equal(holds(first).status, "Draft");

      const perAppend = mostThatFit(p, (n) => append(first, n), creator);
      let loaded = first;
      while (loaded < entries.length) {
        const n = Math.min(perAppend, entries.length - loaded);
        const creatorBefore = p.svm.account(creator.publicKey)?.lamports ?? 0;
        const rentBefore = p.svm.account(proposal)?.lamports ?? 0;
        const r = p.svm.send(append(loaded, n), [], creator);
        expectOk(r);
        loaded += n;
        const grownBy = (p.svm.account(proposal)?.lamports ?? 0) - rentBefore;
        assert.equal(grownBy, p.svm.rentExempt(sizeFor(loaded)) - p.svm.rentExempt(sizeFor(loaded - n)));
        assert.equal(creatorBefore - (p.svm.account(creator.publicKey)?.lamports ?? 0), grownBy + SIGNATURE_FEE);
        assert.equal(events(r, "PayoutEntriesAdded")[0]?.data.loaded_entries, loaded);
        recordCu("ece_treasury", `append_payout_entries (${perAppend}, growing the account)`, r.computeUnits, 4_000);
        if (loaded < entries.length) assert.equal(holds(loaded).status, "Draft");
      }
      const full = holds(1_000);
      assert.equal(full.status, "Active");
      assert.equal(full.loadedAmount, totalAmount);
      // Far beyond the 10,240 bytes one instruction can allocate.
      assert.equal(sizeFor(1_000), 40_221);

      p.approveBy(proposal, 2);
      const execute = (chunk: PublicKey[]) => [
        treasury.executeIx({
          executor: executor.publicKey,
          multisig: p.multisig,
          proposal,
          remaining: p.executeAccounts(action, chunk),
        }),
      ];
      const perChunk = mostThatFit(p, (n) => execute(recipients.slice(0, n)), executor, true);
      const paid: Record<string, unknown>[] = [];
      for (let at = 0; at < recipients.length; at += perChunk) {
        const chunk = recipients.slice(at, at + perChunk);
        const r = p.svm.send(execute(chunk), [], executor);
        expectOk(r);
        // Within the default 200,000 CU of one instruction: no compute-budget instruction needed.
        recordCu("ece_treasury", `execute (payout batch, chunk of ${perChunk})`, r.computeUnits, 200_000);
        recordCu(
          "ece_treasury",
          `execute (payout batch, per entry, chunk of ${perChunk})`,
          Math.ceil(r.computeUnits / chunk.length),
          6_000,
        );
        assert.ok(!r.logs.includes("Log truncated"), "every event is in the logs");
        const chunkPaid = events(r, "PayoutPaid");
        assert.equal(chunkPaid.length, chunk.length);
        paid.push(...chunkPaid.map((e) => e.data));
        if (at === 0) {
          // The same chunk again: the cursor moved past it, so its first recipient is not the next entry.
          const vault = p.balance(p.vault());
          const before = p.svm.account(proposal)?.data.toString("hex");
          expectError(p.svm.send(execute(chunk), [], executor), "WrongRecipient");
          assert.equal(p.balance(p.vault()), vault);
          for (const [i, to] of chunk.entries()) assert.equal(p.balance(to), entries[i]?.amount);
          assert.equal(p.svm.account(proposal)?.data.toString("hex"), before);
        }
      }
      const done = p.proposal(proposal);
      assert.equal(done.status, "Executed");
      assert.equal(done.executedEntries, 1_000);
      assert.equal(done.paidAmount, totalAmount);
      for (const [i, e] of entries.entries()) assert.equal(p.balance(recipients[i] as PublicKey), e.amount);
      assert.equal(p.balance(p.vault()), 5n);
      assert.deepEqual(
        paid.map((d) => [d.entry_index, d.week, keyStr(d.recipient), keyStr(d.mint), String(d.amount)]),
        entries.map((e, i) => [i, WEEK, e.recipient.toBase58(), p.usdc.toBase58(), e.amount.toString()]),
      );
    });
  });

  describe("config proposals", () => {
    it("adds a member, changes threshold, time lock and policy, emits ConfigChanged, makes older proposals stale", () => {
      const p = new Platform({ createKey: FIXED_CREATE_KEY });
      const newcomer = Keypair.generate();
      const transfer: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 1n,
      };
      const older = p.propose(member(p, 0), transfer).proposal;
      const action: treasury.ProposalAction = {
        kind: "config",
        actions: [
          { kind: "addMember", member: { key: newcomer.publicKey, permissions: Permission.Vote } },
          { kind: "setThreshold", threshold: 3 },
          { kind: "setTimeLock", seconds: 60 },
          { kind: "setRiskPolicy", tiers: [{ minScore: 50, extraApprovals: 1 }] },
        ],
      };
      const { r, proposal } = p.propose(member(p, 1), action);
      expectOk(r);
      recordCu("ece_treasury", "create_proposal (config, 4 actions)", r.computeUnits, 6_000);
      p.approveBy(proposal, 2);
      const x = p.execute(member(p, 2), proposal, []);
      expectOk(x);
      recordCu("ece_treasury", "execute (config)", x.computeUnits, null);
      const m = p.multisigState();
      assert.equal(m.members.length, 4);
      assert.equal(m.threshold, 3);
      assert.equal(m.timeLockSeconds, 60);
      assert.deepEqual(m.riskPolicy, [{ minScore: 50, extraApprovals: 1 }]);
      assert.equal(m.staleTransactionIndex, 2n);
      const [changed] = events(x, "ConfigChanged");
      assert.ok(changed);
      assert.equal(changed.data.threshold, 3);

      expectError(p.vote("approve", member(p, 0), older), "ProposalStale");
      assert.ok(treasury.isStale(p.proposal(older), m));
      // New proposals use the new rules: 3 approvals, the newcomer votes.
      const fresh = p.propose(member(p, 0), transfer).proposal;
      assert.equal(p.proposal(fresh).required, 3);
      expectOk(p.vote("approve", newcomer, fresh));
    });

    it("removes a member, who can no longer vote", () => {
      const p = new Platform({ permissions: [7, 7, 7, 7] });
      const gone = member(p, 3);
      const { proposal } = p.propose(member(p, 0), {
        kind: "config",
        actions: [{ kind: "removeMember", key: gone.publicKey }],
      });
      p.approveBy(proposal, 2);
      expectOk(p.execute(member(p, 0), proposal, []));
      assert.equal(p.multisigState().members.length, 3);
      const next = p.propose(member(p, 0), {
        kind: "transfer",
        mint: p.usdc,
        to: gone.publicKey,
        amount: 1n,
      });
      expectError(p.vote("approve", gone, next.proposal), "NotMember");
    });
  });

  describe("pause and token proposals", () => {
    it("only Pause proposals move while paused, and one unpauses the platform", () => {
      const p = new Platform();
      p.pauseNow();
      const transfer: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 1n,
      };
      expectError(p.propose(member(p, 0), transfer).r, "Paused");
      const action: treasury.ProposalAction = { kind: "pause", action: { kind: "unpause" } };
      const { r, proposal } = p.propose(member(p, 0), action);
      expectOk(r);
      p.approveBy(proposal, 2);
      const x = p.execute(member(p, 0), proposal, p.executeAccounts(action));
      expectOk(x);
      recordCu("ece_treasury", "execute (pause: unpause via CPI)", x.computeUnits, null);
      assert.equal(p.paused(), false);
      expectOk(p.propose(member(p, 0), transfer).r);
    });

    it("replaces the guardians through a Pause proposal", () => {
      const p = new Platform();
      const guardians = [Keypair.generate().publicKey];
      const action: treasury.ProposalAction = { kind: "pause", action: { kind: "setGuardians", guardians } };
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      expectOk(p.execute(member(p, 0), proposal, p.executeAccounts(action)));
      const old = p.guardians[0] as Keypair;
      expectError(p.send([pause.pauseIx({ guardian: old.publicKey, reason: 1 })], [old]), "NotGuardian");
    });

    it("adds a minter through a Token proposal, who then mints ECE", () => {
      const p = new Platform();
      const minter = Keypair.generate();
      const action: treasury.ProposalAction = {
        kind: "token",
        action: { kind: "addMinter", minter: minter.publicKey },
      };
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      const x = p.execute(member(p, 0), proposal, p.executeAccounts(action));
      expectOk(x);
      recordCu("ece_treasury", "execute (token: add_minter via CPI)", x.computeUnits, null);
      assert.deepEqual(
        p.tokenConfig().minters.map((k) => k.toBase58()),
        [minter.publicKey.toBase58()],
      );
      const dest = p.tokenAccount(minter.publicKey, p.ece);
      expectOk(p.send([token.mintToIx({ minter: minter.publicKey, destination: dest, amount: 500n })], [minter]));
      assert.equal(p.balance(dest), 500n);

      const cap: treasury.ProposalAction = { kind: "token", action: { kind: "setCap", cap: 1_000n } };
      const c = p.propose(member(p, 0), cap).proposal;
      p.approveBy(c, 2);
      expectOk(p.execute(member(p, 0), c, p.executeAccounts(cap)));
      assert.equal(p.tokenConfig().cap, 1_000n);
    });
  });

  describe("cancel and close", () => {
    it("the creator withdraws an open proposal; rent goes back to the creator on close", () => {
      const p = new Platform();
      const creator = member(p, 0);
      const { proposal } = p.propose(creator, {
        kind: "transfer",
        mint: p.usdc,
        to: creator.publicKey,
        amount: 1n,
      });
      const c = p.vote("cancel", creator, proposal);
      expectOk(c);
      assert.equal(p.proposal(proposal).status, "Cancelled");
      const rent = p.svm.account(proposal)?.lamports ?? 0;
      const before = p.svm.account(creator.publicKey)?.lamports ?? 0;
      const r = p.send([
        treasury.closeProposalIx({ multisig: p.multisig, proposal, rentCollector: creator.publicKey }),
      ]);
      expectOk(r);
      assert.equal(p.svm.account(proposal), null);
      assert.equal((p.svm.account(creator.publicKey)?.lamports ?? 0) - before, rent);
    });

    it("a grown draft withdrawn by its creator closes with all its lamports, appended rent included, back to the creator", () => {
      const p = new Platform();
      const creator = member(p, 0);
      const { action, entries } = batch(p, 40);
      const { proposal } = p.propose(creator, { ...action, entries: entries.slice(0, 10) } as treasury.ProposalAction);
      const created = p.svm.account(proposal)?.lamports ?? 0;
      expectOk(
        p.send(
          [treasury.appendPayoutEntriesIx({ creator: creator.publicKey, proposal, entries: entries.slice(10, 30) })],
          [creator],
        ),
      );
      const grown = p.svm.account(proposal)?.lamports ?? 0;
      assert.equal(grown, p.svm.rentExempt(PAYOUT_ENTRIES_AT + ENTRY_LEN * 30));
      assert.ok(grown > created);
      expectOk(p.vote("cancel", creator, proposal));
      const before = p.svm.account(creator.publicKey)?.lamports ?? 0;
      expectOk(
        p.send([treasury.closeProposalIx({ multisig: p.multisig, proposal, rentCollector: creator.publicKey })]),
      );
      assert.equal(p.svm.account(proposal), null);
      assert.equal((p.svm.account(creator.publicKey)?.lamports ?? 0) - before, grown);
    });

    it("voters cancel an approved proposal by reaching its approval count", () => {
      const p = new Platform({ timeLockSeconds: 600 });
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: p.svm.payer.publicKey,
        amount: 1n,
      };
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      expectOk(p.vote("cancel", member(p, 1), proposal));
      assert.equal(p.proposal(proposal).status, "Approved");
      expectOk(p.vote("cancel", member(p, 2), proposal));
      assert.equal(p.proposal(proposal).status, "Cancelled");
      p.svm.advanceTime(600);
      expectError(
        p.execute(member(p, 0), proposal, p.executeAccounts(action, [p.tokenAccount(p.svm.payer.publicKey)])),
        "ProposalNotApproved",
      );
    });

    it("a rejected payout batch can be closed and its week proposed again", () => {
      const p = new Platform();
      const { action } = batch(p, 2);
      const first = p.propose(member(p, 0), action).proposal;
      expectOk(p.vote("reject", member(p, 0), first));
      expectOk(p.vote("reject", member(p, 1), first));
      expectOk(
        p.send([
          treasury.closeProposalIx({ multisig: p.multisig, proposal: first, rentCollector: member(p, 0).publicKey }),
        ]),
      );
      const again = p.propose(member(p, 0), action);
      expectOk(again.r);
      assert.ok(again.proposal.equals(first));
    });
  });
});
