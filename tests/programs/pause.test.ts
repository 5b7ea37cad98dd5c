import { strict as assert } from "node:assert";
import { decodeEvents, ECE_PAUSE_PROGRAM_ID, ecePauseIdl, pause } from "@ece/sdk";
import { Keypair, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { recordCu } from "../src/cu.js";
import { expectError, expectOk, PAUSE_PROBE_ID, Svm, seenErrors, type TxResult, withAccount } from "../src/svm.js";

const [PAUSE_STATE] = pause.pauseStatePda();

/** The one event the transaction emitted, which must be `name`. */
function onlyEvent(r: TxResult, name: string): Record<string, unknown> {
  const events = decodeEvents(ECE_PAUSE_PROGRAM_ID, ecePauseIdl, r.logs);
  assert.deepEqual(
    events.map((e) => e.name),
    [name],
  );
  return (events[0] as { data: Record<string, unknown> }).data;
}

/** A chain with ece_pause (initialised with 3 guardians) and the probe program. */
function setup(init = true) {
  const svm = new Svm([
    [ECE_PAUSE_PROGRAM_ID, "ece_pause.so"],
    [PAUSE_PROBE_ID, "pause_probe.so"],
  ]);
  const authority = Keypair.generate();
  const guardians = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
  const outsider = Keypair.generate();
  if (init) {
    const r = svm.send([
      pause.initializeIx({
        payer: svm.payer.publicKey,
        authority: authority.publicKey,
        guardians: guardians.map((g) => g.publicKey),
      }),
    ]);
    expectOk(r);
    recordCu("ece_pause", "initialize", r.computeUnits, null);
  }
  const state = () => {
    const acc = svm.account(PAUSE_STATE);
    assert.ok(acc, "pause state exists");
    return pause.decodePauseState(acc, ECE_PAUSE_PROGRAM_ID);
  };
  const doPause = (g: Keypair, reason = 1) => svm.send([pause.pauseIx({ guardian: g.publicKey, reason })], [g]);
  const doUnpause = (a: Keypair) => svm.send([pause.unpauseIx({ authority: a.publicKey })], [a]);
  return { svm, authority, guardians, outsider, state, doPause, doUnpause };
}

const keys = (n: number) => Array.from({ length: n }, () => Keypair.generate().publicKey);

/** The probe runs the shared pause check on `account` (1) or only parses (0). */
function probe(svm: Svm, account: PublicKey, op: 0 | 1): TxResult {
  return svm.send([
    new TransactionInstruction({
      programId: PAUSE_PROBE_ID,
      keys: [{ pubkey: account, isSigner: false, isWritable: false }],
      data: Buffer.from([op]),
    }),
  ]);
}

describe("ece_pause", () => {
  describe("initialize", () => {
    it("creates the pause PDA with its authority and guardians, unpaused", () => {
      const { state, authority, guardians } = setup();
      const s = state();
      assert.equal(s.paused, false);
      assert.ok(s.authority.equals(authority.publicKey));
      assert.deepEqual(
        s.guardians.map((g) => g.toBase58()),
        guardians.map((g) => g.publicKey.toBase58()),
      );
    });

    it("emits PauseInitialized", () => {
      const { svm } = setup(false);
      const authority = Keypair.generate().publicKey;
      const gs = keys(2);
      const r = svm.send([pause.initializeIx({ payer: svm.payer.publicKey, authority, guardians: gs })]);
      expectOk(r);
      const e = onlyEvent(r, "PauseInitialized");
      assert.ok((e.authority as PublicKey).equals(authority));
      assert.equal((e.guardians as PublicKey[]).length, 2);
    });

    it("refuses a second initialise (re-initialisation)", () => {
      const { svm } = setup();
      const r = svm.send([
        pause.initializeIx({ payer: svm.payer.publicKey, authority: svm.payer.publicKey, guardians: keys(1) }),
      ]);
      expectError(r, "AlreadyInitialized");
    });

    it("refuses an account that is not the PDA (wrong PDA)", () => {
      const { svm } = setup(false);
      const [wrong] = PublicKey.findProgramAddressSync([Buffer.from("paused")], ECE_PAUSE_PROGRAM_ID);
      const r = svm.send([
        pause.initializeIx({
          payer: svm.payer.publicKey,
          authority: svm.payer.publicKey,
          guardians: keys(1),
          pauseState: wrong,
        }),
      ]);
      expectError(r, "ConstraintSeeds");
    });

    it("refuses an invalid guardian list: none, more than 8, duplicates, the zero address", () => {
      const { svm } = setup(false);
      const g = Keypair.generate().publicKey;
      const cases: [PublicKey[], string][] = [
        [[], "NoGuardians"],
        [keys(9), "TooManyGuardians"],
        [[g, g], "DuplicateGuardian"],
        [[PublicKey.default], "InvalidGuardian"],
      ];
      for (const [guardians, err] of cases) {
        expectError(svm.send([pause.initializeIx({ payer: svm.payer.publicKey, authority: g, guardians })]), err);
      }
      expectOk(svm.send([pause.initializeIx({ payer: svm.payer.publicKey, authority: g, guardians: keys(8) })]));
    });

    it("refuses a payer that did not sign (missing signer)", () => {
      const { svm } = setup(false);
      const stranger = Keypair.generate();
      svm.airdrop(stranger.publicKey, 1);
      const ix = pause.initializeIx({ payer: stranger.publicKey, authority: stranger.publicKey, guardians: keys(1) });
      expectError(svm.send([withAccount(ix, 0, { isSigner: false })]), "AccountNotSigner");
    });

    it("refuses a fake system program", () => {
      const { svm } = setup(false);
      const ix = pause.initializeIx({ payer: svm.payer.publicKey, authority: svm.payer.publicKey, guardians: keys(1) });
      expectError(svm.send([withAccount(ix, 2, { pubkey: PAUSE_PROBE_ID })]), "InvalidProgramId");
    });

    it("still initialises when someone pre-funded the PDA (no denial of service)", () => {
      const { svm } = setup(false);
      svm.setAccount(PAUSE_STATE, { data: new Uint8Array(), owner: SystemProgram.programId, lamports: 5000 });
      expectOk(
        svm.send([
          pause.initializeIx({ payer: svm.payer.publicKey, authority: svm.payer.publicKey, guardians: keys(1) }),
        ]),
      );
      const acc = svm.account(PAUSE_STATE);
      assert.ok(acc?.owner.equals(ECE_PAUSE_PROGRAM_ID));
      assert.equal(acc?.data.length, 341);
    });
  });

  describe("pause", () => {
    it("a guardian pauses at once, with reason, actor and slot in state and event", () => {
      const { svm, guardians, state, doPause } = setup();
      const g = guardians[1] as Keypair;
      svm.warpToSlot(1234n);
      const r = doPause(g, 7);
      expectOk(r);
      recordCu("ece_pause", "pause", r.computeUnits, 1500);
      const s = state();
      assert.equal(s.paused, true);
      assert.equal(s.reason, 7);
      assert.ok(s.lastChangedBy.equals(g.publicKey));
      assert.equal(s.lastChangedSlot, 1234n);
      const e = onlyEvent(r, "Paused");
      assert.ok((e.by as PublicKey).equals(g.publicKey));
      assert.equal(e.reason, 7);
      assert.equal(String(e.slot), "1234");
    });

    it("refuses a non-guardian", () => {
      const { outsider, doPause, state } = setup();
      expectError(doPause(outsider), "NotGuardian");
      assert.equal(state().paused, false);
    });

    it("refuses the authority, who is not a guardian", () => {
      const { authority, doPause } = setup();
      expectError(doPause(authority), "NotGuardian");
    });

    it("refuses a guardian that did not sign", () => {
      const { svm, guardians } = setup();
      const g = guardians[0] as Keypair;
      expectError(svm.send([pause.pauseIx({ guardian: g.publicKey, reason: 1, signer: false })]), "AccountNotSigner");
    });

    it("refuses to pause twice", () => {
      const { guardians, doPause } = setup();
      expectOk(doPause(guardians[0] as Keypair));
      expectError(doPause(guardians[1] as Keypair), "AlreadyPaused");
    });

    it("refuses a forged pause account: right bytes at another address", () => {
      const { svm, guardians } = setup();
      const forged = Keypair.generate().publicKey;
      const real = svm.account(PAUSE_STATE);
      assert.ok(real);
      svm.setAccount(forged, { data: real.data, owner: ECE_PAUSE_PROGRAM_ID, lamports: real.lamports });
      const g = guardians[0] as Keypair;
      expectError(
        svm.send([pause.pauseIx({ guardian: g.publicKey, reason: 1, pauseState: forged })], [g]),
        "ConstraintSeeds",
      );
    });

    it("refuses a forged pause account: right bytes and address, wrong owner", () => {
      const { svm, guardians } = setup();
      const real = svm.account(PAUSE_STATE);
      assert.ok(real);
      svm.setAccount(PAUSE_STATE, { data: real.data, owner: PAUSE_PROBE_ID, lamports: real.lamports });
      const g = guardians[0] as Keypair;
      expectError(svm.send([pause.pauseIx({ guardian: g.publicKey, reason: 1 })], [g]), "AccountOwnedByWrongProgram");
    });

    it("refuses a pause state with the wrong discriminator", () => {
      const { svm, guardians } = setup();
      const real = svm.account(PAUSE_STATE);
      assert.ok(real);
      const data = Buffer.from(real.data);
      data[0] = (data[0] ?? 0) ^ 0xff;
      svm.setAccount(PAUSE_STATE, { data, owner: ECE_PAUSE_PROGRAM_ID, lamports: real.lamports });
      const g = guardians[0] as Keypair;
      expectError(svm.send([pause.pauseIx({ guardian: g.publicKey, reason: 1 })], [g]), "AccountDiscriminatorMismatch");
    });

    it("refuses a read-only pause state", () => {
      const { svm, guardians } = setup();
      const g = guardians[0] as Keypair;
      const ix = pause.pauseIx({ guardian: g.publicKey, reason: 1 });
      expectError(svm.send([withAccount(ix, 1, { isWritable: false })], [g]), "AccountNotMutable");
    });
  });

  describe("unpause", () => {
    it("the authority unpauses, with event", () => {
      const { authority, guardians, doPause, doUnpause, state } = setup();
      expectOk(doPause(guardians[0] as Keypair));
      const r = doUnpause(authority);
      expectOk(r);
      recordCu("ece_pause", "unpause", r.computeUnits, 1500);
      assert.equal(state().paused, false);
      assert.ok(state().lastChangedBy.equals(authority.publicKey));
      const e = onlyEvent(r, "Unpaused");
      assert.ok((e.by as PublicKey).equals(authority.publicKey));
    });

    it("refuses a guardian (guardians can only pause)", () => {
      const { guardians, doPause, doUnpause, state } = setup();
      expectOk(doPause(guardians[0] as Keypair));
      expectError(doUnpause(guardians[0] as Keypair), "NotAuthority");
      assert.equal(state().paused, true);
    });

    it("refuses a wrong authority", () => {
      const { outsider, guardians, doPause, doUnpause } = setup();
      expectOk(doPause(guardians[0] as Keypair));
      expectError(doUnpause(outsider), "NotAuthority");
    });

    it("refuses the authority without its signature", () => {
      const { svm, authority, guardians, doPause } = setup();
      expectOk(doPause(guardians[0] as Keypair));
      expectError(svm.send([pause.unpauseIx({ authority: authority.publicKey, signer: false })]), "AccountNotSigner");
    });

    it("refuses when not paused", () => {
      const { authority, doUnpause } = setup();
      expectError(doUnpause(authority), "NotPaused");
    });
  });

  describe("set_guardians", () => {
    it("the authority replaces the guardians: old ones can no longer pause, new ones can", () => {
      const { svm, authority, guardians, doPause, state } = setup();
      const fresh = Keypair.generate();
      const r = svm.send(
        [pause.setGuardiansIx({ authority: authority.publicKey, guardians: [fresh.publicKey] })],
        [authority],
      );
      expectOk(r);
      recordCu("ece_pause", "set_guardians", r.computeUnits, null);
      assert.deepEqual(
        state().guardians.map((g) => g.toBase58()),
        [fresh.publicKey.toBase58()],
      );
      const e = onlyEvent(r, "GuardiansChanged");
      assert.ok((e.by as PublicKey).equals(authority.publicKey));
      assert.deepEqual(
        (e.guardians as PublicKey[]).map((g) => g.toBase58()),
        [fresh.publicKey.toBase58()],
      );
      expectError(doPause(guardians[0] as Keypair), "NotGuardian");
      expectOk(doPause(fresh));
    });

    it("refuses a guardian, a stranger and a missing signature", () => {
      const { svm, authority, guardians, outsider } = setup();
      for (const who of [guardians[0] as Keypair, outsider]) {
        expectError(
          svm.send([pause.setGuardiansIx({ authority: who.publicKey, guardians: keys(1) })], [who]),
          "NotAuthority",
        );
      }
      expectError(
        svm.send([pause.setGuardiansIx({ authority: authority.publicKey, guardians: keys(1), signer: false })]),
        "AccountNotSigner",
      );
    });

    it("validates the new list like initialize", () => {
      const { svm, authority } = setup();
      const send = (guardians: PublicKey[]) =>
        svm.send([pause.setGuardiansIx({ authority: authority.publicKey, guardians })], [authority]);
      expectError(send([]), "NoGuardians");
      expectError(send(keys(9)), "TooManyGuardians");
    });
  });

  describe("instruction decoding", () => {
    const raw = (svm: Svm, data: Buffer, accounts = 2) =>
      svm.send([
        new TransactionInstruction({
          programId: ECE_PAUSE_PROGRAM_ID,
          keys: Array.from({ length: accounts }, () => ({ pubkey: PAUSE_STATE, isSigner: false, isWritable: true })),
          data,
        }),
      ]);

    it("refuses unknown, missing, short and over-long instruction data", () => {
      const { svm } = setup();
      const pauseDisc = Buffer.from(pause.pauseIx({ guardian: PAUSE_STATE, reason: 0 }).data.subarray(0, 8));
      expectError(raw(svm, Buffer.alloc(8, 9)), "InstructionFallbackNotFound");
      expectError(raw(svm, Buffer.alloc(3)), "InstructionMissing");
      expectError(raw(svm, Buffer.concat([pauseDisc, Buffer.from([1])])), "InstructionDidNotDeserialize");
      expectError(raw(svm, Buffer.concat([pauseDisc, Buffer.from([1, 0, 0])])), "InstructionDidNotDeserialize");
    });

    it("refuses too few accounts", () => {
      const { svm } = setup();
      const data = pause.pauseIx({ guardian: PAUSE_STATE, reason: 0 }).data;
      expectError(raw(svm, data, 1), "AccountNotEnoughKeys");
    });
  });

  describe("pause check helper (ece_shared::pause, via the probe program)", () => {
    it("passes while unpaused and refuses with Paused while paused", () => {
      const { svm, guardians, doPause } = setup();
      expectOk(probe(svm, PAUSE_STATE, 1));
      expectOk(doPause(guardians[0] as Keypair));
      const r = probe(svm, PAUSE_STATE, 1);
      assert.equal(r.ok, false);
      assert.equal(r.error?.name, "Paused");
      assert.equal(r.error?.code, 6100);
    });

    it("costs at most 200 CU", () => {
      const { svm } = setup();
      const base = probe(svm, PAUSE_STATE, 0);
      const checked = probe(svm, PAUSE_STATE, 1);
      expectOk(base);
      expectOk(checked);
      recordCu("ece_shared", "require_not_paused", checked.computeUnits - base.computeUnits, 200);
    });

    it("refuses a forged pause account: another address, a wrong owner, a wrong discriminator, none at all", () => {
      const { svm } = setup();
      const real = svm.account(PAUSE_STATE);
      assert.ok(real);
      const elsewhere = Keypair.generate().publicKey;
      svm.setAccount(elsewhere, { data: real.data, owner: ECE_PAUSE_PROGRAM_ID, lamports: real.lamports });
      expectError(probe(svm, elsewhere, 1), "ConstraintSeeds");

      svm.setAccount(PAUSE_STATE, { data: real.data, owner: PAUSE_PROBE_ID, lamports: real.lamports });
      expectError(probe(svm, PAUSE_STATE, 1), "AccountOwnedByWrongProgram");

      const bad = Buffer.from(real.data);
      bad[3] = (bad[3] ?? 0) ^ 1;
      svm.setAccount(PAUSE_STATE, { data: bad, owner: ECE_PAUSE_PROGRAM_ID, lamports: real.lamports });
      expectError(probe(svm, PAUSE_STATE, 1), "AccountDiscriminatorMismatch");

      const fresh = setup(false);
      expectError(probe(fresh.svm, PAUSE_STATE, 1), "AccountNotInitialized");
    });
  });

  after(() => {
    // Every error the IDL declares must be one the suite has seen the program return.
    const seen = seenErrors.get(ECE_PAUSE_PROGRAM_ID.toBase58()) ?? new Set<string>();
    const missing = (ecePauseIdl.errors ?? []).map((e) => e.name).filter((n) => !seen.has(n));
    assert.deepEqual(missing, [], `IDL errors never produced by a test: ${missing.join(", ")}`);
  });
});
