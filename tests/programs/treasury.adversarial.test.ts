// Named attacks and mistakes against the treasury (and the token and pause
// controls it drives). Each must fail with the named error and change nothing.
import { strict as assert } from "node:assert";
import { ECE_TREASURY_PROGRAM_ID, eceTreasuryIdl, pause, token, treasury } from "@ece/sdk";
import { Keypair, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { member, Platform, type PlatformOptions } from "../src/platform.js";
import { expectError, expectOk, seenErrors, type TxResult, withAccount } from "../src/svm.js";

const { Permission } = treasury;
const U64_MAX = 2n ** 64n - 1n;

/** A funded platform with an open transfer proposal to a fresh recipient. */
function withTransfer(options: PlatformOptions = {}, amount = 1_000n) {
  const p = new Platform(options);
  p.fundUsdc(p.vault(), 10_000n);
  const to = Keypair.generate();
  const dest = p.tokenAccount(to.publicKey);
  const action: treasury.ProposalAction = { kind: "transfer", mint: p.usdc, to: to.publicKey, amount };
  const { r, proposal } = p.propose(member(p, 0), action);
  expectOk(r);
  const exec = (by = member(p, 0), accounts = p.executeAccounts(action, [dest])) => p.execute(by, proposal, accounts);
  return { p, action, proposal, dest, to, exec };
}

/** A platform with an approved two-entry payout batch and its recipients. */
function withPayout(fund = true) {
  const p = new Platform();
  const recipients = [p.tokenAccount(Keypair.generate().publicKey), p.tokenAccount(Keypair.generate().publicKey)];
  const action: treasury.ProposalAction = {
    kind: "payoutBatch",
    mint: p.usdc,
    week: 100,
    totalAmount: 300n,
    entryCount: 2,
    entries: [
      { recipient: recipients[0] as PublicKey, amount: 100n },
      { recipient: recipients[1] as PublicKey, amount: 200n },
    ],
  };
  if (fund) p.fundUsdc(p.vault(), 300n);
  const { r, proposal } = p.propose(member(p, 0), action);
  expectOk(r);
  p.approveBy(proposal, 2);
  return { p, action, proposal, recipients };
}

function createMultisig(
  p: Platform,
  members: treasury.Member[],
  threshold: number,
  extra: Partial<{ timeLockSeconds: number; riskPolicy: treasury.RiskTier[] }> = {},
): TxResult {
  const createKey = Keypair.generate();
  return p.send(
    [
      treasury.createMultisigIx({
        creator: p.svm.payer.publicKey,
        createKey: createKey.publicKey,
        members,
        threshold,
        timeLockSeconds: extra.timeLockSeconds ?? 0,
        riskPolicy: extra.riskPolicy ?? [],
      }),
    ],
    [createKey],
  );
}

const all = (n: number) => Array.from({ length: n }, () => ({ key: Keypair.generate().publicKey, permissions: 7 }));

/** Executes nothing new: vault and proposal (data and lamports) unchanged by a failed attempt. */
function unchanged(p: Platform, proposal: PublicKey, attempt: () => TxResult, error: string) {
  const vault = p.balance(p.vault());
  const before = p.svm.account(proposal);
  expectError(attempt(), error);
  assert.equal(p.balance(p.vault()), vault, "vault balance unchanged");
  const after = p.svm.account(proposal);
  assert.equal(after?.data.toString("hex"), before?.data.toString("hex"), "proposal unchanged");
  assert.equal(after?.lamports, before?.lamports, "proposal lamports unchanged");
}

/** A draft payout batch of 4 entries (1 loaded) by member 0, and an append of the next 2. */
function withDraft() {
  const p = new Platform();
  const r = p.tokenAccount(Keypair.generate().publicKey);
  const entries = Array.from({ length: 4 }, () => ({ recipient: r, amount: 5n }));
  const { r: created, proposal } = p.propose(member(p, 0), {
    kind: "payoutBatch",
    mint: p.usdc,
    week: 4,
    totalAmount: 20n,
    entryCount: 4,
    entries: entries.slice(0, 1),
  });
  expectOk(created);
  const append = (creator = member(p, 0)) =>
    treasury.appendPayoutEntriesIx({ creator: creator.publicKey, proposal, entries: entries.slice(1, 3) });
  return { p, proposal, append };
}

describe("ece_treasury adversarial", () => {
  describe("votes", () => {
    it("a non-member cannot approve (NotMember)", () => {
      const { p, proposal } = withTransfer();
      const outsider = Keypair.generate();
      unchanged(p, proposal, () => p.vote("approve", outsider, proposal), "NotMember");
    });

    it("a member without the vote permission cannot approve (MissingPermission)", () => {
      const { p, proposal } = withTransfer({ permissions: [7, 7, Permission.Propose | Permission.Execute] });
      unchanged(p, proposal, () => p.vote("approve", member(p, 2), proposal), "MissingPermission");
    });

    it("a member without the propose permission cannot propose (MissingPermission)", () => {
      const p = new Platform({ permissions: [7, 7, Permission.Vote] });
      const { r } = p.propose(member(p, 2), { kind: "transfer", mint: p.usdc, to: p.ece, amount: 1n });
      expectError(r, "MissingPermission");
    });

    it("a member without the execute permission cannot execute (MissingPermission)", () => {
      const { p, proposal, exec } = withTransfer({ permissions: [7, 7, Permission.Vote] });
      p.approveBy(proposal, 2);
      unchanged(p, proposal, () => exec(member(p, 2)), "MissingPermission");
    });

    it("a member cannot vote twice (AlreadyVoted)", () => {
      const { p, proposal } = withTransfer({ permissions: [7, 7, 7, 7], threshold: 3 });
      expectOk(p.vote("approve", member(p, 0), proposal));
      unchanged(p, proposal, () => p.vote("approve", member(p, 0), proposal), "AlreadyVoted");
    });

    it("a member cannot reject after approving (AlreadyVoted)", () => {
      const { p, proposal } = withTransfer({ threshold: 3 });
      expectOk(p.vote("approve", member(p, 0), proposal));
      unchanged(p, proposal, () => p.vote("reject", member(p, 0), proposal), "AlreadyVoted");
    });

    it("a vote needs the member's signature (AccountNotSigner)", () => {
      const { p, proposal } = withTransfer();
      const ix = treasury.approveIx({ member: member(p, 0).publicKey, multisig: p.multisig, proposal, signer: false });
      unchanged(p, proposal, () => p.send([ix]), "AccountNotSigner");
    });

    it("votes on a proposal of another multisig are refused (WrongMultisig)", () => {
      const { p, proposal } = withTransfer();
      // A second multisig where member 0 is the only member.
      const createKey = Keypair.generate();
      expectOk(
        p.send(
          [
            treasury.createMultisigIx({
              creator: p.svm.payer.publicKey,
              createKey: createKey.publicKey,
              members: [{ key: member(p, 0).publicKey, permissions: 7 }],
              threshold: 1,
              timeLockSeconds: 0,
              riskPolicy: [],
            }),
          ],
          [createKey],
        ),
      );
      const other = treasury.multisigPda(createKey.publicKey)[0];
      const ix = treasury.approveIx({ member: member(p, 0).publicKey, multisig: other, proposal });
      unchanged(p, proposal, () => p.send([ix], [member(p, 0)]), "WrongMultisig");
    });

    it("a multisig account passed as the proposal is refused (AccountDiscriminatorMismatch)", () => {
      const { p } = withTransfer();
      const ix = treasury.approveIx({ member: member(p, 0).publicKey, multisig: p.multisig, proposal: p.multisig });
      expectError(p.send([ix], [member(p, 0)]), "AccountDiscriminatorMismatch");
    });

    it("nobody but the creator withdraws an open proposal (CannotCancel)", () => {
      const { p, proposal } = withTransfer();
      unchanged(p, proposal, () => p.vote("cancel", member(p, 1), proposal), "CannotCancel");
    });

    it("a draft payout batch cannot be voted on (ProposalNotActive)", () => {
      const p = new Platform();
      const r = p.tokenAccount(Keypair.generate().publicKey);
      const { proposal } = p.propose(member(p, 0), {
        kind: "payoutBatch",
        mint: p.usdc,
        week: 1,
        totalAmount: 10n,
        entryCount: 2,
        entries: [{ recipient: r, amount: 5n }],
      });
      unchanged(p, proposal, () => p.vote("reject", member(p, 1), proposal), "ProposalNotActive");
    });
  });

  describe("execution", () => {
    it("cannot execute below the threshold (ProposalNotApproved)", () => {
      const { p, proposal, exec } = withTransfer();
      expectOk(p.vote("approve", member(p, 0), proposal));
      unchanged(p, proposal, () => exec(), "ProposalNotApproved");
    });

    it("cannot execute before the time lock (TimeLockNotElapsed)", () => {
      const { p, proposal, exec } = withTransfer({ timeLockSeconds: 60 });
      p.approveBy(proposal, 2);
      p.svm.advanceTime(59);
      unchanged(p, proposal, () => exec(), "TimeLockNotElapsed");
    });

    it("cannot execute twice (AlreadyExecuted)", () => {
      const { p, proposal, exec } = withTransfer();
      p.approveBy(proposal, 2);
      expectOk(exec());
      unchanged(p, proposal, () => exec(), "AlreadyExecuted");
    });

    it("an approved proposal made stale by a config change cannot execute (ProposalStale)", () => {
      const { p, proposal, exec } = withTransfer();
      p.approveBy(proposal, 2);
      const config = p.propose(member(p, 0), { kind: "config", actions: [{ kind: "setTimeLock", seconds: 5 }] });
      p.approveBy(config.proposal, 2);
      expectOk(p.execute(member(p, 0), config.proposal, []));
      unchanged(p, proposal, () => exec(), "ProposalStale");
    });

    it("an open proposal made stale cannot be approved (ProposalStale)", () => {
      const { p, proposal } = withTransfer();
      const config = p.propose(member(p, 0), { kind: "config", actions: [{ kind: "setThreshold", threshold: 3 }] });
      p.approveBy(config.proposal, 2);
      expectOk(p.execute(member(p, 0), config.proposal, []));
      unchanged(p, proposal, () => p.vote("approve", member(p, 0), proposal), "ProposalStale");
    });

    it("a forged vault at the right seeds under another program is refused (AccountOwnedByWrongProgram)", () => {
      const { p, proposal, exec, dest } = withTransfer();
      p.approveBy(proposal, 2);
      const fakeProgram = Keypair.generate().publicKey;
      const [forged] = treasury.vaultPda(p.multisig, p.usdc, fakeProgram);
      const real = p.svm.account(p.vault());
      assert.ok(real);
      p.svm.setAccount(forged, { data: real.data, owner: fakeProgram, lamports: real.lamports });
      const accounts = treasury.transferAccounts(p.multisig, p.usdc, dest);
      accounts[0] = { pubkey: forged, isSigner: false, isWritable: true };
      unchanged(p, proposal, () => exec(member(p, 0), accounts), "AccountOwnedByWrongProgram");
    });

    it("a token account the multisig does not own cannot stand in for the vault (InvalidVault)", () => {
      const { p, proposal, exec, dest } = withTransfer();
      p.approveBy(proposal, 2);
      const attacker = Keypair.generate();
      const fake = p.tokenAccount(attacker.publicKey);
      p.fundUsdc(fake, 5_000n);
      const accounts = treasury.transferAccounts(p.multisig, p.usdc, dest);
      accounts[0] = { pubkey: fake, isSigner: false, isWritable: true };
      unchanged(p, proposal, () => exec(member(p, 0), accounts), "InvalidVault");
    });

    it("a destination owned by someone else than the proposal's recipient is refused (DestinationOwnerMismatch)", () => {
      const { p, proposal, exec } = withTransfer();
      p.approveBy(proposal, 2);
      const thief = p.tokenAccount(Keypair.generate().publicKey);
      unchanged(
        p,
        proposal,
        () => exec(member(p, 0), treasury.transferAccounts(p.multisig, p.usdc, thief)),
        "DestinationOwnerMismatch",
      );
    });

    it("a destination of another mint is refused (WrongMint)", () => {
      const { p, proposal, exec, to } = withTransfer();
      p.approveBy(proposal, 2);
      const eceAccount = p.tokenAccount(to.publicKey, p.ece);
      unchanged(
        p,
        proposal,
        () => exec(member(p, 0), treasury.transferAccounts(p.multisig, p.usdc, eceAccount)),
        "WrongMint",
      );
    });

    it("the vault of another mint is refused (WrongMint)", () => {
      const { p, proposal, exec, dest } = withTransfer();
      p.approveBy(proposal, 2);
      expectOk(p.send([treasury.createVaultIx({ payer: p.svm.payer.publicKey, multisig: p.multisig, mint: p.ece })]));
      const accounts = treasury.transferAccounts(p.multisig, p.ece, dest);
      unchanged(p, proposal, () => exec(member(p, 0), accounts), "WrongMint");
    });

    it("a transfer larger than the vault holds is refused (InsufficientVaultBalance)", () => {
      const { p, proposal, exec } = withTransfer({}, 50_000n);
      p.approveBy(proposal, 2);
      unchanged(p, proposal, () => exec(), "InsufficientVaultBalance");
    });

    it("a fake token program never receives the multisig's signature (InvalidProgramId)", () => {
      const { p, proposal, exec, dest } = withTransfer();
      p.approveBy(proposal, 2);
      const accounts = treasury.transferAccounts(p.multisig, p.usdc, dest);
      accounts[2] = { pubkey: Keypair.generate().publicKey, isSigner: false, isWritable: false };
      unchanged(p, proposal, () => exec(member(p, 0), accounts), "InvalidProgramId");
    });

    it("a pause account that is not the ece_pause PDA is refused (ConstraintSeeds)", () => {
      const { p, proposal } = withTransfer();
      const ix = treasury.approveIx({
        member: member(p, 0).publicKey,
        multisig: p.multisig,
        proposal,
        pauseState: Keypair.generate().publicKey,
      });
      unchanged(p, proposal, () => p.send([ix], [member(p, 0)]), "ConstraintSeeds");
    });
  });

  describe("payout batches", () => {
    it("a substituted recipient account is refused (WrongRecipient)", () => {
      const { p, action, proposal } = withPayout();
      const thief = p.tokenAccount(Keypair.generate().publicKey);
      unchanged(
        p,
        proposal,
        () => p.execute(member(p, 0), proposal, p.executeAccounts(action, [thief])),
        "WrongRecipient",
      );
    });

    it("recipients out of order are refused (WrongRecipient)", () => {
      const { p, action, proposal, recipients } = withPayout();
      unchanged(
        p,
        proposal,
        () => p.execute(member(p, 0), proposal, p.executeAccounts(action, [...recipients].reverse())),
        "WrongRecipient",
      );
    });

    it("more recipients than entries left is refused (ChunkTooLarge)", () => {
      const { p, action, proposal, recipients } = withPayout();
      const extra = p.tokenAccount(Keypair.generate().publicKey);
      unchanged(
        p,
        proposal,
        () => p.execute(member(p, 0), proposal, p.executeAccounts(action, [...recipients, extra])),
        "ChunkTooLarge",
      );
    });

    it("a chunk without recipients is refused (NothingToExecute)", () => {
      const { p, action, proposal } = withPayout();
      unchanged(
        p,
        proposal,
        () => p.execute(member(p, 0), proposal, p.executeAccounts(action, [])),
        "NothingToExecute",
      );
    });

    it("an underfunded vault pays nobody (InsufficientVaultBalance)", () => {
      const { p, action, proposal, recipients } = withPayout(false);
      p.fundUsdc(p.vault(), 150n); // enough for the first entry only
      unchanged(
        p,
        proposal,
        () => p.execute(member(p, 0), proposal, p.executeAccounts(action, recipients)),
        "InsufficientVaultBalance",
      );
      assert.equal(p.balance(recipients[0] as PublicKey), 0n, "the first payment rolled back too");
    });

    it("a second batch for the same week and mint cannot exist (AlreadyInitialized)", () => {
      const { p, action } = withPayout();
      expectError(p.propose(member(p, 1), action).r, "AlreadyInitialized");
    });

    it("entries that overflow u64 are refused (ArithmeticOverflow)", () => {
      const p = new Platform();
      const r = p.tokenAccount(Keypair.generate().publicKey);
      const { r: tx } = p.propose(member(p, 0), {
        kind: "payoutBatch",
        mint: p.usdc,
        week: 3,
        totalAmount: U64_MAX,
        entryCount: 2,
        entries: [
          { recipient: r, amount: U64_MAX },
          { recipient: r, amount: 1n },
        ],
      });
      expectError(tx, "ArithmeticOverflow");
    });

    it("entries that do not add up to the total are refused (EntriesMismatch)", () => {
      const p = new Platform();
      const r = p.tokenAccount(Keypair.generate().publicKey);
      const { r: tx } = p.propose(member(p, 0), {
        kind: "payoutBatch",
        mint: p.usdc,
        week: 3,
        totalAmount: 100n,
        entryCount: 1,
        entries: [{ recipient: r, amount: 99n }],
      });
      expectError(tx, "EntriesMismatch");
    });

    it(`a batch above ${treasury.MAX_PAYOUT_ENTRIES} entries is refused (TooManyEntries)`, () => {
      const p = new Platform();
      const { r } = p.propose(member(p, 0), {
        kind: "payoutBatch",
        mint: p.usdc,
        week: 3,
        totalAmount: 100n,
        entryCount: treasury.MAX_PAYOUT_ENTRIES + 1,
        entries: [],
      });
      expectError(r, "TooManyEntries");
      expectOk(
        p.propose(member(p, 0), {
          kind: "payoutBatch",
          mint: p.usdc,
          week: 3,
          totalAmount: 100n,
          entryCount: treasury.MAX_PAYOUT_ENTRIES,
          entries: [],
        }).r,
      );
    });

    it("only the creator fills a draft (NotCreator)", () => {
      const { p, proposal, append } = withDraft();
      unchanged(p, proposal, () => p.send([append(member(p, 1))], [member(p, 1)]), "NotCreator");
    });

    it("a draft cannot be filled while paused (Paused)", () => {
      const { p, proposal, append } = withDraft();
      p.pauseNow();
      unchanged(p, proposal, () => p.send([append()], [member(p, 0)]), "Paused");
    });

    it("a creator who cannot pay the rent of the added entries fills nothing (InsufficientRentFunds)", () => {
      const { p, proposal, append } = withDraft();
      const creator = member(p, 0);
      // One lamport short of the rent of two more entries (80 bytes; rent is linear in size).
      const lamports = p.svm.rentExempt(80) - p.svm.rentExempt(0) - 1;
      p.svm.setAccount(creator.publicKey, { data: new Uint8Array(), owner: SystemProgram.programId, lamports });
      unchanged(p, proposal, () => p.send([append()], [creator]), "InsufficientRentFunds");
      assert.equal(p.svm.account(creator.publicKey)?.lamports, lamports, "the creator paid nothing");
    });

    it("the rent of an append is paid only by a writable creator, through the System program (AccountNotMutable, InvalidProgramId)", () => {
      const { p, proposal, append } = withDraft();
      const readOnly = withAccount(append(), 0, { isWritable: false });
      unchanged(p, proposal, () => p.send([readOnly], [member(p, 0)]), "AccountNotMutable");
      const fake = withAccount(append(), 2, { pubkey: Keypair.generate().publicKey });
      unchanged(p, proposal, () => p.send([fake], [member(p, 0)]), "InvalidProgramId");
    });

    it("a complete batch takes no more entries (NotDraft)", () => {
      const { p, proposal, recipients } = withPayout();
      const ix = treasury.appendPayoutEntriesIx({
        creator: member(p, 0).publicKey,
        proposal,
        entries: [{ recipient: recipients[0] as PublicKey, amount: 1n }],
      });
      unchanged(p, proposal, () => p.send([ix], [member(p, 0)]), "NotDraft");
    });

    it("a zero amount is refused (ZeroAmount)", () => {
      const p = new Platform();
      expectError(p.propose(member(p, 0), { kind: "transfer", mint: p.usdc, to: p.ece, amount: 0n }).r, "ZeroAmount");
    });
  });

  describe("rent and closing", () => {
    it("rent cannot be diverted to anyone but the creator (RentCollectorMismatch)", () => {
      const { p, proposal } = withTransfer();
      expectOk(p.vote("cancel", member(p, 0), proposal));
      const thief = Keypair.generate().publicKey;
      const ix = treasury.closeProposalIx({ multisig: p.multisig, proposal, rentCollector: thief });
      unchanged(p, proposal, () => p.send([ix]), "RentCollectorMismatch");
    });

    it("an open proposal cannot be closed (CannotClose)", () => {
      const { p, proposal } = withTransfer();
      const ix = treasury.closeProposalIx({ multisig: p.multisig, proposal, rentCollector: member(p, 0).publicKey });
      unchanged(p, proposal, () => p.send([ix]), "CannotClose");
    });

    it("an executed payout batch is never closed, so its week cannot be paid again (CannotClose)", () => {
      const { p, action, proposal, recipients } = withPayout();
      expectOk(p.execute(member(p, 0), proposal, p.executeAccounts(action, recipients)));
      const ix = treasury.closeProposalIx({ multisig: p.multisig, proposal, rentCollector: member(p, 0).publicKey });
      unchanged(p, proposal, () => p.send([ix]), "CannotClose");
    });
  });

  describe("multisig rules", () => {
    it("re-initialising a multisig is refused (AlreadyInitialized)", () => {
      const p = new Platform();
      const ix = treasury.createMultisigIx({
        creator: p.svm.payer.publicKey,
        createKey: p.createKey.publicKey,
        members: all(2),
        threshold: 1,
        timeLockSeconds: 0,
        riskPolicy: [],
      });
      const before = p.svm.account(p.multisig)?.data.toString("hex");
      expectError(p.send([ix], [p.createKey]), "AlreadyInitialized");
      assert.equal(p.svm.account(p.multisig)?.data.toString("hex"), before);
    });

    it("a signer set with duplicates is refused (DuplicateMember)", () => {
      const p = new Platform();
      const [a] = all(1);
      assert.ok(a);
      expectError(createMultisig(p, [a, a], 1), "DuplicateMember");
    });

    it("threshold 0 is refused (InvalidThreshold)", () => {
      expectError(createMultisig(new Platform(), all(3), 0), "InvalidThreshold");
    });

    it("a threshold above the number of voters is refused (InvalidThreshold)", () => {
      const p = new Platform();
      const members = [...all(2), { key: Keypair.generate().publicKey, permissions: Permission.Execute }];
      expectError(createMultisig(p, members, 3), "InvalidThreshold");
    });

    it("more than 10 members is refused (TooManyMembers)", () => {
      expectError(createMultisig(new Platform(), all(11), 2), "TooManyMembers");
    });

    it("a member set without an executor is refused (MissingRole)", () => {
      const members = all(2).map((m) => ({ ...m, permissions: Permission.Propose | Permission.Vote }));
      expectError(createMultisig(new Platform(), members, 1), "MissingRole");
    });

    it("unknown permission bits are refused (InvalidPermissions)", () => {
      const members = all(2).map((m) => ({ ...m, permissions: 8 | 7 }));
      expectError(createMultisig(new Platform(), members, 1), "InvalidPermissions");
    });

    it("the default address cannot be a member (InvalidMember)", () => {
      expectError(
        createMultisig(new Platform(), [...all(1), { key: PublicKey.default, permissions: 7 }], 1),
        "InvalidMember",
      );
    });

    it("a time lock above 90 days is refused (TimeLockTooLong)", () => {
      expectError(createMultisig(new Platform(), all(2), 1, { timeLockSeconds: 90 * 86_400 + 1 }), "TimeLockTooLong");
    });

    it("a risk policy with decreasing scores is refused (InvalidRiskPolicy)", () => {
      const riskPolicy = [
        { minScore: 70, extraApprovals: 1 },
        { minScore: 40, extraApprovals: 2 },
      ];
      expectError(createMultisig(new Platform(), all(3), 1, { riskPolicy }), "InvalidRiskPolicy");
    });

    it("a risk score above 100 is refused (InvalidRiskScore)", () => {
      const p = new Platform();
      const { r } = p.propose(
        member(p, 0),
        { kind: "transfer", mint: p.usdc, to: p.ece, amount: 1n },
        { riskScore: 101 },
      );
      expectError(r, "InvalidRiskScore");
    });

    it("removing a non-member is refused when proposed (MemberNotFound)", () => {
      const p = new Platform();
      const { r } = p.propose(member(p, 0), {
        kind: "config",
        actions: [{ kind: "removeMember", key: Keypair.generate().publicKey }],
      });
      expectError(r, "MemberNotFound");
    });

    it("removing members below the threshold is refused when proposed (InvalidThreshold)", () => {
      const p = new Platform({ threshold: 3 });
      const { r } = p.propose(member(p, 0), {
        kind: "config",
        actions: [{ kind: "removeMember", key: member(p, 2).publicKey }],
      });
      expectError(r, "InvalidThreshold");
    });

    it("a config proposal without actions is refused (InvalidConfigActions)", () => {
      const p = new Platform();
      expectError(p.propose(member(p, 0), { kind: "config", actions: [] }).r, "InvalidConfigActions");
    });

    it("a proposal at an address other than its PDA is refused (ConstraintSeeds)", () => {
      const p = new Platform();
      const action: treasury.ProposalAction = { kind: "transfer", mint: p.usdc, to: p.ece, amount: 1n };
      const ix = treasury.createProposalIx({
        creator: member(p, 0).publicKey,
        multisig: p.multisig,
        action,
        nextIndex: 7n, // skips the counter
      });
      expectError(p.send([ix], [member(p, 0)]), "ConstraintSeeds");
    });

    it("an empty guardian list is refused when proposed (InvalidAction)", () => {
      const p = new Platform();
      const { r } = p.propose(member(p, 0), { kind: "pause", action: { kind: "setGuardians", guardians: [] } });
      expectError(r, "InvalidAction");
    });
  });

  describe("pause", () => {
    it("a transfer cannot be proposed, voted or executed while paused (Paused)", () => {
      const { p, proposal, exec } = withTransfer();
      expectOk(p.vote("approve", member(p, 0), proposal));
      p.pauseNow();
      unchanged(p, proposal, () => p.vote("approve", member(p, 1), proposal), "Paused");
      unchanged(p, proposal, () => exec(), "Paused");
      expectError(p.propose(member(p, 0), { kind: "transfer", mint: p.usdc, to: p.ece, amount: 1n }).r, "Paused");
    });

    it("a payout chunk cannot execute while paused (Paused)", () => {
      const { p, action, proposal, recipients } = withPayout();
      p.pauseNow();
      unchanged(p, proposal, () => p.execute(member(p, 0), proposal, p.executeAccounts(action, recipients)), "Paused");
    });

    it("a guardian cannot unpause (NotAuthority)", () => {
      const p = new Platform();
      p.pauseNow();
      const g = p.guardians[1] as Keypair;
      expectError(p.send([pause.unpauseIx({ authority: g.publicKey })], [g]), "NotAuthority");
      assert.equal(p.paused(), true);
    });

    it("an unpause proposal needs the real ece_pause program (InvalidProgramId)", () => {
      const p = new Platform();
      p.pauseNow();
      const action: treasury.ProposalAction = { kind: "pause", action: { kind: "unpause" } };
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      const fake = [{ pubkey: Keypair.generate().publicKey, isSigner: false, isWritable: false }];
      unchanged(p, proposal, () => p.execute(member(p, 0), proposal, fake), "InvalidProgramId");
      assert.equal(p.paused(), true);
    });
  });

  describe("token", () => {
    /** A platform whose treasury listed `minter` and capped supply at `cap`. */
    function withMinter(cap: bigint) {
      const p = new Platform({ cap });
      const minter = Keypair.generate();
      const action: treasury.ProposalAction = {
        kind: "token",
        action: { kind: "addMinter", minter: minter.publicKey },
      };
      const { proposal } = p.propose(member(p, 0), action);
      p.approveBy(proposal, 2);
      expectOk(p.execute(member(p, 0), proposal, p.executeAccounts(action)));
      const dest = p.tokenAccount(minter.publicKey, p.ece);
      const mint = (amount: bigint): TxResult =>
        p.send([token.mintToIx({ minter: minter.publicKey, destination: dest, amount })], [minter]);
      return { p, minter, dest, mint };
    }

    it("minting above the cap is refused (CapExceeded)", () => {
      const { p, mint, dest } = withMinter(1_000n);
      expectOk(mint(1_000n));
      expectError(mint(1n), "CapExceeded");
      assert.equal(p.balance(dest), 1_000n);
      assert.ok(p.supply() <= p.tokenConfig().cap);
    });

    it("minting while paused is refused (Paused)", () => {
      const { p, mint, dest } = withMinter(1_000n);
      p.pauseNow();
      expectError(mint(1n), "Paused");
      assert.equal(p.balance(dest), 0n);
    });

    it("only the multisig administers the token: a member signing directly is not the admin (NotAdmin)", () => {
      const p = new Platform();
      const m = member(p, 0);
      expectError(p.send([token.addMinterIx({ admin: m.publicKey, minter: m.publicKey })], [m]), "NotAdmin");
    });

    it("re-initialising the token is refused (AlreadyInitialized)", () => {
      const p = new Platform();
      const attacker = Keypair.generate();
      const ix = token.initializeIx({
        payer: p.svm.payer.publicKey,
        decimals: 0,
        maxSupply: U64_MAX,
        admin: attacker.publicKey,
      });
      expectError(p.send([ix]), "AlreadyInitialized");
      assert.ok(p.tokenConfig().admin.equals(p.multisig));
    });
  });

  describe("malformed instructions", () => {
    it("an unknown proposal action is refused (InvalidAction)", () => {
      const p = new Platform();
      const ix = treasury.createProposalIx({
        creator: member(p, 0).publicKey,
        multisig: p.multisig,
        action: { kind: "transfer", mint: p.usdc, to: p.ece, amount: 1n },
        nextIndex: 1n,
      });
      ix.data[8] = 9; // the action's enum tag
      expectError(p.send([ix], [member(p, 0)]), "InvalidAction");
    });

    it("truncated instruction data is refused (InstructionDidNotDeserialize)", () => {
      const p = new Platform();
      const ix = treasury.createProposalIx({
        creator: member(p, 0).publicKey,
        multisig: p.multisig,
        action: { kind: "transfer", mint: p.usdc, to: p.ece, amount: 1n },
        nextIndex: 1n,
      });
      const cut: TransactionInstruction = withAccount(ix, 0, {});
      cut.data = ix.data.subarray(0, ix.data.length - 5);
      expectError(p.send([cut], [member(p, 0)]), "InstructionDidNotDeserialize");
    });

    it("an account that is not a token account cannot be the vault (AccountOwnedByWrongProgram)", () => {
      const { p, proposal, exec, dest } = withTransfer();
      p.approveBy(proposal, 2);
      const accounts = treasury.transferAccounts(p.multisig, p.usdc, dest);
      accounts[0] = { pubkey: p.svm.payer.publicKey, isSigner: false, isWritable: true };
      unchanged(p, proposal, () => exec(member(p, 0), accounts), "AccountOwnedByWrongProgram");
    });

    it("a read-only proposal account is refused (AccountNotMutable)", () => {
      const { p, proposal } = withTransfer();
      const ix = withAccount(
        treasury.approveIx({ member: member(p, 0).publicKey, multisig: p.multisig, proposal }),
        2,
        {
          isWritable: false,
        },
      );
      unchanged(p, proposal, () => p.send([ix], [member(p, 0)]), "AccountNotMutable");
    });
  });

  after(function () {
    // Every error the treasury declares has a named case above (or in the happy
    // paths for those that only guard against misuse of the happy path).
    const seen = seenErrors.get(ECE_TREASURY_PROGRAM_ID.toBase58()) ?? new Set<string>();
    const missing = (eceTreasuryIdl.errors ?? []).map((e) => e.name).filter((n) => !seen.has(n));
    assert.deepEqual(missing, [], `treasury errors without a test: ${missing.join(", ")}`);
    const cases = this.test?.parent?.suites.reduce((n, s) => n + s.tests.length, 0) ?? 0;
    assert.ok(cases >= 40, `at least 40 named cases, have ${cases}`);
  });
});
