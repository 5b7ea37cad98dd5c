// The committed IDL is the program's contract: these tests call every
// instruction through @coral-xyz/anchor's `Program` built from it, decode the
// account with its BorshCoder and the events with its EventParser, and check
// the IDs agree across Anchor.toml, the Rust crate and the SDK.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { BorshCoder, EventParser, Program } from "@coral-xyz/anchor";
import { ECE_PAUSE_PROGRAM_ID, ecePauseIdl, PROGRAM_IDS, pause } from "@ece/sdk";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { LiteSvmProvider } from "../src/anchor-provider.js";
import { Svm } from "../src/svm.js";

const root = new URL("../../", import.meta.url);
const disc = (s: string) => [...createHash("sha256").update(s).digest().subarray(0, 8)];

describe("ece_pause IDL", () => {
  it("declares Anchor discriminators for every instruction, account and event", () => {
    for (const ix of ecePauseIdl.instructions) assert.deepEqual(ix.discriminator, disc(`global:${ix.name}`), ix.name);
    for (const a of ecePauseIdl.accounts ?? []) assert.deepEqual(a.discriminator, disc(`account:${a.name}`), a.name);
    for (const e of ecePauseIdl.events ?? []) assert.deepEqual(e.discriminator, disc(`event:${e.name}`), e.name);
  });

  it("has the same program IDs as Anchor.toml and programs/ece_shared/src/ids.rs", () => {
    const toml = readFileSync(new URL("Anchor.toml", root), "utf8");
    const rust = readFileSync(new URL("programs/ece_shared/src/ids.rs", root), "utf8");
    assert.equal(ecePauseIdl.address, ECE_PAUSE_PROGRAM_ID.toBase58());
    for (const [cluster, ids] of Object.entries(PROGRAM_IDS).filter(([c]) => c !== "mainnet")) {
      for (const [name, id] of [
        ["ece_pause", ids.ecePause],
        ["ece_token", ids.eceToken],
        ["ece_treasury", ids.eceTreasury],
      ] as const) {
        const section = toml.split(`[programs.${cluster}]`)[1]?.split("[")[0] ?? "";
        assert.match(section, new RegExp(`${name} = "${id.toBase58()}"`), `${cluster} ${name} in Anchor.toml`);
        assert.ok(rust.includes(`address!("${id.toBase58()}")`), `${name} in ids.rs`);
      }
    }
  });

  it("drives every instruction through anchor's Program against the program in LiteSVM", async () => {
    const svm = new Svm([[ECE_PAUSE_PROGRAM_ID, "ece_pause.so"]]);
    const provider = new LiteSvmProvider(svm, svm.payer);
    const program = new Program(ecePauseIdl, provider);
    const parser = new EventParser(program.programId, new BorshCoder(ecePauseIdl));
    const method = (name: string) => {
      const m = program.methods[name];
      assert.ok(m, `IDL instruction ${name}`);
      return m;
    };
    const eventsOf = () => [...parser.parseLogs(provider.lastLogs)];
    const authority = Keypair.generate();
    const guardian = Keypair.generate();
    const [pauseState] = pause.pauseStatePda();
    const fetchState = () => {
      const acc = svm.account(pauseState);
      assert.ok(acc);
      return program.coder.accounts.decode("pauseState", acc.data);
    };

    // pause_state and system_program are resolved by Anchor from the IDL (PDA seeds, fixed address).
    await method("initialize")(authority.publicKey, [guardian.publicKey])
      .accounts({ payer: svm.payer.publicKey })
      .rpc();
    assert.equal(eventsOf()[0]?.name, "PauseInitialized");
    let s = fetchState();
    assert.ok((s.authority as PublicKey).equals(authority.publicKey));
    assert.equal(s.guardianCount, 1);
    assert.equal(s.paused, false);

    await method("pause")(42).accounts({ guardian: guardian.publicKey }).signers([guardian]).rpc();
    assert.equal(eventsOf()[0]?.name, "Paused");
    assert.equal(eventsOf()[0]?.data.reason, 42);
    s = fetchState();
    assert.equal(s.paused, true);
    assert.equal(s.reason, 42);

    const next = Keypair.generate();
    await method("setGuardians")([guardian.publicKey, next.publicKey])
      .accounts({ authority: authority.publicKey })
      .signers([authority])
      .rpc();
    assert.equal(eventsOf()[0]?.name, "GuardiansChanged");
    assert.equal(fetchState().guardianCount, 2);

    await method("unpause")().accounts({ authority: authority.publicKey }).signers([authority]).rpc();
    assert.equal(eventsOf()[0]?.name, "Unpaused");
    assert.equal(fetchState().paused, false);

    // A program error surfaces through Anchor's own error translation (inside rpc()) with the IDL's name and message.
    const stranger = Keypair.generate();
    const err = await method("pause")(1)
      .accounts({ guardian: stranger.publicKey })
      .signers([stranger])
      .rpc()
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(err, "pause by a stranger must fail");
    assert.equal((err as { code?: number }).code, 6000);
    assert.equal((err as { msg?: string }).msg, "Signer is not a guardian");
  });
});
