// The committed IDLs are the programs' contract: these tests check their
// discriminators and addresses, call every instruction of ece_pause and the
// main instructions of ece_token and ece_treasury through @coral-xyz/anchor's
// `Program` built from them, decode the accounts with `program.account.*` and
// the events with its EventParser, and check the IDs agree across the IDLs,
// the SDK, Anchor.toml and the Rust crate.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { BN, BorshCoder, EventParser, type Idl, Program } from "@coral-xyz/anchor";
import {
  ECE_PAUSE_PROGRAM_ID,
  ECE_TOKEN_PROGRAM_ID,
  ECE_TREASURY_PROGRAM_ID,
  ecePauseIdl,
  eceTokenIdl,
  eceTreasuryIdl,
  PAUSED_ERROR_CODE,
  PROGRAM_IDS,
  pause,
  SPL_TOKEN_PROGRAM_ID,
  token,
  treasury,
} from "@ece/sdk";
import { createMintToInstruction, unpackAccount } from "@solana/spl-token";
import { Keypair, type PublicKey, SystemProgram } from "@solana/web3.js";
import { LiteSvmProvider } from "../src/anchor-provider.js";
import { createMint, createTokenAccount, tokenBalance } from "../src/spl.js";
import { expectOk, Svm } from "../src/svm.js";

const root = new URL("../../", import.meta.url);
const disc = (s: string) => [...createHash("sha256").update(s).digest().subarray(0, 8)];

const PROGRAMS = [
  { name: "ece_pause", idl: ecePauseIdl, id: ECE_PAUSE_PROGRAM_ID, sdkKey: "ecePause", rust: "ECE_PAUSE_ID" },
  { name: "ece_token", idl: eceTokenIdl, id: ECE_TOKEN_PROGRAM_ID, sdkKey: "eceToken", rust: "ECE_TOKEN_ID" },
  {
    name: "ece_treasury",
    idl: eceTreasuryIdl,
    id: ECE_TREASURY_PROGRAM_ID,
    sdkKey: "eceTreasury",
    rust: "ECE_TREASURY_ID",
  },
] as const;

/** An Anchor provider over LiteSVM whose connection also serves account reads, so
 * `program.account.<name>.fetch` works against the chain. */
function providerFor(svm: Svm): LiteSvmProvider {
  const provider = new LiteSvmProvider(svm, svm.payer);
  Object.assign(provider.connection, {
    getAccountInfoAndContext: async (key: PublicKey) => ({ context: { slot: 0 }, value: svm.account(key) }),
  });
  return provider;
}

/** `program.methods[name]`, which must exist. */
function methodOf(program: Program, name: string) {
  const m = program.methods[name];
  assert.ok(m, `IDL instruction ${name}`);
  return m;
}

/** `program.account[name].fetch`, through the provider's connection. */
async function fetchAccount(program: Program, name: string, address: PublicKey): Promise<Record<string, unknown>> {
  const client = (program.account as Record<string, { fetch(a: PublicKey): Promise<unknown> } | undefined>)[name];
  assert.ok(client, `IDL account ${name}`);
  return (await client.fetch(address)) as Record<string, unknown>;
}

/** Event names the last transaction sent through `provider` emitted for `idl`'s program. */
function eventNames(provider: LiteSvmProvider, idl: Idl, programId: PublicKey): string[] {
  const parser = new EventParser(programId, new BorshCoder(idl));
  return [...parser.parseLogs(provider.lastLogs)].map((e) => e.name);
}

/** Runs `p`, which must fail; returns the error Anchor's rpc() threw. */
async function rejection(p: Promise<unknown>): Promise<{ code?: number; msg?: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err, "the call must fail");
  return err as { code?: number; msg?: string };
}

const keyEq = (a: unknown, b: PublicKey, what: string) =>
  assert.ok((a as PublicKey).equals(b), `${what}: ${String(a)} ≠ ${b.toBase58()}`);
const big = (v: unknown) => BigInt(String(v));

/** A new SPL token account of `mint` owned by `owner`, created by the payer. */

describe("IDLs", () => {
  for (const { name, idl } of PROGRAMS) {
    it(`${name}: Anchor discriminators for every instruction, account and event`, () => {
      assert.ok(idl.instructions.length > 0);
      for (const ix of idl.instructions) assert.deepEqual(ix.discriminator, disc(`global:${ix.name}`), ix.name);
      for (const a of idl.accounts ?? []) assert.deepEqual(a.discriminator, disc(`account:${a.name}`), a.name);
      for (const e of idl.events ?? []) assert.deepEqual(e.discriminator, disc(`event:${e.name}`), e.name);
      // Every account and event has its type declared.
      const types = new Set((idl.types ?? []).map((t) => t.name));
      for (const n of [...(idl.accounts ?? []), ...(idl.events ?? [])].map((x) => x.name)) assert.ok(types.has(n), n);
    });
  }

  it("has the same program IDs in the IDLs, the SDK, Anchor.toml and programs/ece_shared/src/ids.rs", () => {
    const toml = readFileSync(new URL("Anchor.toml", root), "utf8");
    const rust = readFileSync(new URL("programs/ece_shared/src/ids.rs", root), "utf8");
    for (const { name, idl, id, sdkKey, rust: constant } of PROGRAMS) {
      assert.equal(idl.address, id.toBase58(), `${name}: IDL address`);
      assert.equal(idl.metadata.name, name);
      // One set of IDs for every cluster (ids.rs has no per-cluster IDs).
      for (const [cluster, ids] of Object.entries(PROGRAM_IDS)) {
        const clusterId = ids[sdkKey].toBase58();
        assert.ok(
          rust.includes(`${constant}: Address = address!("${clusterId}")`),
          `${cluster} ${name} is ${constant} in ids.rs`,
        );
        if (cluster === "mainnet") continue; // Anchor.toml lists localnet and devnet
        const section = toml.split(`[programs.${cluster}]`)[1]?.split("[")[0] ?? "";
        assert.match(section, new RegExp(`^${name} = "${clusterId}"$`, "m"), `${cluster} ${name} in Anchor.toml`);
      }
    }
  });

  it("fixes the shared accounts at the SDK's addresses (PDAs, programs) and the Paused error at 6100", () => {
    const expected: Record<string, PublicKey> = {
      pause_state: pause.pauseStatePda()[0],
      token_program: SPL_TOKEN_PROGRAM_ID,
      system_program: SystemProgram.programId,
    };
    const tokenFixed: Record<string, PublicKey> = { config: token.tokenConfigPda()[0], mint: token.eceMintPda()[0] };
    let checked = 0;
    for (const { name, idl } of PROGRAMS) {
      for (const ix of idl.instructions) {
        for (const acc of ix.accounts) {
          if (!("address" in acc) || acc.address === undefined) continue;
          const want = expected[acc.name] ?? (name === "ece_token" ? tokenFixed[acc.name] : undefined);
          assert.ok(want, `${name}.${ix.name}.${acc.name} has an address the test knows`);
          assert.equal(acc.address, want.toBase58(), `${name}.${ix.name}.${acc.name}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 20);
    for (const idl of [eceTokenIdl, eceTreasuryIdl]) {
      assert.equal(idl.errors?.find((e) => e.name === "Paused")?.code, PAUSED_ERROR_CODE, idl.metadata.name);
    }
  });

  it("ece_pause: every instruction through anchor's Program", async () => {
    const svm = new Svm([[ECE_PAUSE_PROGRAM_ID, "ece_pause.so"]]);
    const provider = providerFor(svm);
    const program = new Program(ecePauseIdl, provider);
    const method = (name: string) => methodOf(program, name);
    const events = () => eventNames(provider, ecePauseIdl, ECE_PAUSE_PROGRAM_ID);
    const authority = Keypair.generate();
    const guardian = Keypair.generate();
    const [pauseState] = pause.pauseStatePda();
    const fetchState = () => fetchAccount(program, "pauseState", pauseState);

    // pause_state and system_program are resolved by Anchor from the IDL (PDA seeds, fixed address).
    await method("initialize")(authority.publicKey, [guardian.publicKey])
      .accounts({ payer: svm.payer.publicKey })
      .rpc();
    assert.deepEqual(events(), ["PauseInitialized"]);
    let s = await fetchState();
    keyEq(s.authority, authority.publicKey, "authority");
    assert.equal(s.guardianCount, 1);
    assert.equal(s.paused, false);
    const acc = svm.account(pauseState);
    assert.ok(acc);
    const sdk = pause.decodePauseState(acc, ECE_PAUSE_PROGRAM_ID);
    keyEq(s.authority, sdk.authority, "authority (SDK)");
    assert.equal(s.paused, sdk.paused);

    await method("pause")(42).accounts({ guardian: guardian.publicKey }).signers([guardian]).rpc();
    assert.deepEqual(events(), ["Paused"]);
    s = await fetchState();
    assert.equal(s.paused, true);
    assert.equal(s.reason, 42);
    keyEq(s.lastChangedBy, guardian.publicKey, "last changed by");

    const next = Keypair.generate();
    await method("setGuardians")([guardian.publicKey, next.publicKey])
      .accounts({ authority: authority.publicKey })
      .signers([authority])
      .rpc();
    assert.deepEqual(events(), ["GuardiansChanged"]);
    assert.equal((await fetchState()).guardianCount, 2);

    await method("unpause")().accounts({ authority: authority.publicKey }).signers([authority]).rpc();
    assert.deepEqual(events(), ["Unpaused"]);
    assert.equal((await fetchState()).paused, false);

    // A program error surfaces through Anchor's own error translation (inside rpc()) with the IDL's name and message.
    const stranger = Keypair.generate();
    const err = await rejection(
      method("pause")(1).accounts({ guardian: stranger.publicKey }).signers([stranger]).rpc(),
    );
    assert.equal(err.code, 6000);
    assert.equal(err.msg, "Signer is not a guardian");
  });

  it("ece_token: initialize, add_minter, mint_to, set_cap, remove_minter, set_admin, burn through anchor's Program", async () => {
    const svm = new Svm([
      [ECE_PAUSE_PROGRAM_ID, "ece_pause.so"],
      [ECE_TOKEN_PROGRAM_ID, "ece_token.so"],
    ]);
    const payer = svm.payer.publicKey;
    expectOk(svm.send([pause.initializeIx({ payer, authority: payer, guardians: [Keypair.generate().publicKey] })]));
    const provider = providerFor(svm);
    const program = new Program(eceTokenIdl, provider);
    const method = (name: string) => methodOf(program, name);
    const events = () => eventNames(provider, eceTokenIdl, ECE_TOKEN_PROGRAM_ID);
    const [config] = token.tokenConfigPda();
    const [mint] = token.eceMintPda();
    const admin = Keypair.generate();
    const minter = Keypair.generate();
    const holder = Keypair.generate();

    /** The config through the IDL (anchor) and through the SDK decoder, which must agree. */
    const fetchConfig = async () => {
      const c = await fetchAccount(program, "tokenConfig", config);
      const info = svm.account(config);
      assert.ok(info);
      const sdk = token.decodeTokenConfig(info);
      keyEq(c.admin, sdk.admin, "admin");
      keyEq(c.mint, sdk.mint, "mint");
      assert.equal(big(c.cap), sdk.cap);
      assert.equal(big(c.totalMinted), sdk.totalMinted);
      assert.equal(big(c.totalBurned), sdk.totalBurned);
      assert.equal(c.decimals, sdk.decimals);
      assert.equal(c.minterCount, sdk.minters.length);
      const minters = c.minters as PublicKey[];
      assert.equal(minters.length, 8);
      assert.deepEqual(
        minters.slice(0, sdk.minters.length).map((k) => k.toBase58()),
        sdk.minters.map((k) => k.toBase58()),
      );
      return c;
    };

    // config, mint, token_program and system_program are fixed addresses in the IDL.
    await method("initialize")(6, new BN(1_000_000), admin.publicKey).accounts({ payer }).rpc();
    assert.deepEqual(events(), ["TokenInitialized"]);
    let c = await fetchConfig();
    keyEq(c.admin, admin.publicKey, "admin");
    keyEq(c.mint, mint, "mint");
    assert.equal(big(c.cap), 1_000_000n);
    assert.equal(c.decimals, 6);
    assert.equal(c.minterCount, 0);

    await method("addMinter")(minter.publicKey).accounts({ admin: admin.publicKey }).signers([admin]).rpc();
    assert.deepEqual(events(), ["MinterAdded"]);
    c = await fetchConfig();
    assert.equal(c.minterCount, 1);
    keyEq((c.minters as PublicKey[])[0], minter.publicKey, "minter");

    const account = createTokenAccount(svm, mint, holder.publicKey);
    await method("mintTo")(new BN(700))
      .accounts({ minter: minter.publicKey, destination: account })
      .signers([minter])
      .rpc();
    assert.deepEqual(events(), ["Minted"]);
    assert.equal(tokenBalance(svm, account), 700n);
    assert.equal(big((await fetchConfig()).totalMinted), 700n);

    await method("setCap")(new BN(800)).accounts({ admin: admin.publicKey }).signers([admin]).rpc();
    assert.deepEqual(events(), ["CapChanged"]);
    assert.equal(big((await fetchConfig()).cap), 800n);

    // Errors are translated by Anchor from the IDL: over the cap, then a non-minter.
    let err = await rejection(
      method("mintTo")(new BN(101))
        .accounts({ minter: minter.publicKey, destination: account })
        .signers([minter])
        .rpc(),
    );
    assert.equal(err.code, eceTokenIdl.errors?.find((e) => e.name === "CapExceeded")?.code);

    await method("removeMinter")(minter.publicKey).accounts({ admin: admin.publicKey }).signers([admin]).rpc();
    assert.deepEqual(events(), ["MinterRemoved"]);
    assert.equal((await fetchConfig()).minterCount, 0);
    err = await rejection(
      method("mintTo")(new BN(1)).accounts({ minter: minter.publicKey, destination: account }).signers([minter]).rpc(),
    );
    const notMinter = eceTokenIdl.errors?.find((e) => e.name === "NotMinter");
    assert.equal(err.code, notMinter?.code);
    assert.equal(err.msg, notMinter?.msg);

    const nextAdmin = Keypair.generate();
    await method("setAdmin")(nextAdmin.publicKey).accounts({ admin: admin.publicKey }).signers([admin]).rpc();
    assert.deepEqual(events(), ["AdminChanged"]);
    keyEq((await fetchConfig()).admin, nextAdmin.publicKey, "new admin");

    await method("burn")(new BN(300))
      .accounts({ holder: holder.publicKey, tokenAccount: account })
      .signers([holder])
      .rpc();
    assert.deepEqual(events(), ["Burned"]);
    assert.equal(tokenBalance(svm, account), 400n);
    c = await fetchConfig();
    assert.equal(big(c.totalBurned), 300n);
    assert.equal(big(c.totalMinted), 700n);
  });

  it("ece_treasury: every instruction through anchor's Program", async () => {
    const svm = new Svm([
      [ECE_PAUSE_PROGRAM_ID, "ece_pause.so"],
      [ECE_TOKEN_PROGRAM_ID, "ece_token.so"],
      [ECE_TREASURY_PROGRAM_ID, "ece_treasury.so"],
    ]);
    const payer = svm.payer.publicKey;
    expectOk(svm.send([pause.initializeIx({ payer, authority: payer, guardians: [Keypair.generate().publicKey] })]));
    // A USDC-like mint whose authority is the payer.
    const usdc = createMint(svm);
    const provider = providerFor(svm);
    const program = new Program(eceTreasuryIdl, provider);
    const method = (name: string) => methodOf(program, name);
    const events = () => eventNames(provider, eceTreasuryIdl, ECE_TREASURY_PROGRAM_ID);
    const members = [Keypair.generate(), Keypair.generate(), Keypair.generate()];
    for (const m of members) svm.airdrop(m.publicKey, 10);
    const [m0, m1, m2] = members as [Keypair, Keypair, Keypair];
    const createKey = Keypair.generate();
    const [multisig] = treasury.multisigPda(createKey.publicKey);
    const { All } = treasury.Permission;

    const fetchMultisig = async () => {
      const m = await fetchAccount(program, "multisig", multisig);
      const info = svm.account(multisig);
      assert.ok(info);
      const sdk = treasury.decodeMultisig(info);
      keyEq(m.createKey, sdk.createKey, "create key");
      assert.equal(m.bump, sdk.bump);
      assert.equal(m.threshold, sdk.threshold);
      assert.equal(m.timeLockSeconds, sdk.timeLockSeconds);
      assert.equal(big(m.transactionIndex), sdk.transactionIndex);
      assert.equal(big(m.staleTransactionIndex), sdk.staleTransactionIndex);
      const ms = (m.members as { key: PublicKey; permissions: number }[]).slice(0, m.memberCount as number);
      assert.deepEqual(
        ms.map((x) => [x.key.toBase58(), x.permissions]),
        sdk.members.map((x) => [x.key.toBase58(), x.permissions]),
      );
      const tiers = (m.riskTiers as { minScore: number; extraApprovals: number }[]).slice(0, m.riskTierCount as number);
      assert.deepEqual(tiers, sdk.riskPolicy);
      return m;
    };
    const fetchProposal = async (address: PublicKey) => {
      const p = await fetchAccount(program, "proposal", address);
      const info = svm.account(address);
      assert.ok(info);
      const sdk = treasury.decodeProposal(info);
      keyEq(p.multisig, sdk.multisig, "multisig");
      keyEq(p.creator, sdk.creator, "creator");
      assert.equal(big(p.index), sdk.index);
      // Anchor's camelCase enum: { active: {} } for the SDK's "Active".
      const [status] = Object.keys(p.status as object);
      assert.equal(status, sdk.status.charAt(0).toLowerCase() + sdk.status.slice(1));
      for (const k of ["riskScore", "required", "voters", "approvals", "rejections", "cancellations"] as const)
        assert.equal(p[k], sdk[k], k);
      for (const k of ["approvedMask", "rejectedMask", "cancelledMask"] as const) assert.equal(p[k], sdk[k], k);
      for (const k of ["createdAt", "approvedAt", "executedAt", "loadedAmount", "paidAmount"] as const)
        assert.equal(big(p[k]), sdk[k], k);
      assert.deepEqual(p.complianceHash, [...sdk.complianceHash]);
      const decoded = p.action as {
        transfer?: { mint: PublicKey; to: PublicKey; amount: BN };
        payoutBatch?: {
          mint: PublicKey;
          week: number;
          totalAmount: BN;
          entries: { recipient: PublicKey; amount: BN }[];
        };
      };
      if (sdk.action.kind === "transfer") {
        const action = decoded.transfer;
        assert.ok(action, "a Transfer action");
        keyEq(action.mint, sdk.action.mint, "action mint");
        keyEq(action.to, sdk.action.to, "action to");
        assert.equal(big(action.amount), sdk.action.amount);
      } else {
        assert.equal(sdk.action.kind, "payoutBatch");
        const action = decoded.payoutBatch;
        assert.ok(action && sdk.action.kind === "payoutBatch", "a PayoutBatch action");
        assert.equal(action.week, sdk.action.week);
        assert.equal(big(action.totalAmount), sdk.action.totalAmount);
        assert.deepEqual(
          action.entries.map((e) => [e.recipient.toBase58(), big(e.amount)]),
          sdk.action.entries.map((e) => [e.recipient.toBase58(), e.amount]),
        );
      }
      return { p, status };
    };

    // create_multisig: the multisig PDA is resolved by Anchor from its seeds ["multisig", create_key].
    await method("createMultisig")(
      members.map((m) => ({ key: m.publicKey, permissions: All })),
      2,
      0,
      [{ minScore: 40, extraApprovals: 1 }],
    )
      .accounts({ creator: payer, createKey: createKey.publicKey })
      .signers([createKey])
      .rpc();
    assert.deepEqual(events(), ["MultisigCreated"]);
    let ms = await fetchMultisig();
    assert.equal(ms.threshold, 2);
    assert.equal(ms.memberCount, 3);
    assert.equal(big(ms.transactionIndex), 0n);

    // create_vault: the vault PDA ["vault", multisig, mint] too.
    await method("createVault")().accounts({ payer, multisig, mint: usdc }).rpc();
    assert.deepEqual(events(), ["VaultCreated"]);
    const [vault] = treasury.vaultPda(multisig, usdc);
    const vaultInfo = svm.account(vault);
    assert.ok(vaultInfo);
    const v = unpackAccount(vault, vaultInfo, SPL_TOKEN_PROGRAM_ID);
    assert.ok(v.owner.equals(multisig) && v.mint.equals(usdc));
    expectOk(svm.send([createMintToInstruction(usdc, vault, payer, 1_000n)]));

    const recipient = Keypair.generate().publicKey;
    const destination = createTokenAccount(svm, usdc, recipient);
    const hash = Array.from({ length: 32 }, (_, i) => i);
    /** A Transfer proposal by `creator`, at the multisig's next index. */
    const propose = async (creator: Keypair, amount: number) => {
      const index = big((await fetchMultisig()).transactionIndex) + 1n;
      const [proposal] = treasury.proposalPda(multisig, index);
      await method("createProposal")({ transfer: { mint: usdc, to: recipient, amount: new BN(amount) } }, 10, hash)
        .accounts({ creator: creator.publicKey, multisig, proposal })
        .signers([creator])
        .rpc();
      assert.deepEqual(events(), ["ProposalCreated"]);
      return proposal;
    };
    const vote = (kind: "approve" | "reject" | "cancel", member: Keypair, proposal: PublicKey) =>
      method(kind)().accounts({ member: member.publicKey, multisig, proposal }).signers([member]).rpc();

    // Proposal 1: created, approved by two members (a second vote by the same member is refused), executed.
    const first = await propose(m0, 250);
    let { p, status } = await fetchProposal(first);
    assert.equal(status, "active");
    assert.equal(p.required, 2);
    assert.equal(p.riskScore, 10);
    assert.deepEqual(p.complianceHash, hash);
    ms = await fetchMultisig();
    assert.equal(big(ms.transactionIndex), 1n);

    await vote("approve", m0, first);
    assert.deepEqual(events(), ["ProposalApproved"]);
    const again = await rejection(vote("approve", m0, first));
    assert.equal(again.code, eceTreasuryIdl.errors?.find((e) => e.name === "AlreadyVoted")?.code);
    await vote("approve", m1, first);
    ({ p, status } = await fetchProposal(first));
    assert.equal(status, "approved");
    assert.equal(p.approvals, 2);

    await method("execute")()
      .accounts({ executor: m0.publicKey, multisig, proposal: first })
      .remainingAccounts(treasury.transferAccounts(multisig, usdc, destination))
      .signers([m0])
      .rpc();
    assert.deepEqual(events(), ["ProposalExecuted"]);
    assert.equal(tokenBalance(svm, destination), 250n);
    assert.equal(tokenBalance(svm, vault), 750n);
    ({ p, status } = await fetchProposal(first));
    assert.equal(status, "executed");
    assert.equal(big(p.paidAmount), 250n);

    // Proposal 2: rejected by two of three voters (approval became impossible).
    const second = await propose(m1, 100);
    await vote("reject", m1, second);
    assert.deepEqual(events(), ["ProposalRejected"]);
    assert.equal((await fetchProposal(second)).status, "active");
    await vote("reject", m2, second);
    ({ p, status } = await fetchProposal(second));
    assert.equal(status, "rejected");
    assert.equal(p.rejections, 2);

    // Proposal 3: withdrawn by its creator while open.
    const third = await propose(m2, 100);
    await vote("cancel", m2, third);
    assert.deepEqual(events(), ["ProposalCancelled"]);
    assert.equal((await fetchProposal(third)).status, "cancelled");

    // Proposal 4: a payout batch created as a draft, filled with append_payout_entries, paid.
    const week = 2947;
    const [payout] = treasury.payoutPda(multisig, usdc, week);
    const entry = (amount: number) => ({ recipient: destination, amount: new BN(amount) });
    await method("createProposal")(
      { payoutBatch: { mint: usdc, week, totalAmount: new BN(150), entryCount: 2, entries: [entry(100)] } },
      5,
      hash,
    )
      .accounts({ creator: m0.publicKey, multisig, proposal: payout })
      .signers([m0])
      .rpc();
    const loaded = (p: Record<string, unknown>) =>
      (p.action as { payoutBatch: { entries: unknown[] } }).payoutBatch.entries.length;
    const draft = await fetchProposal(payout);
    assert.equal(draft.status, "draft");
    assert.equal(loaded(draft.p), 1, "a draft holds the entries loaded so far");
    // The System program account is resolved from the IDL's fixed address.
    await method("appendPayoutEntries")([entry(50)])
      .accounts({ creator: m0.publicKey, proposal: payout })
      .signers([m0])
      .rpc();
    assert.deepEqual(events(), ["PayoutEntriesAdded"]);
    const filled = await fetchProposal(payout);
    assert.equal(filled.status, "active");
    assert.equal(loaded(filled.p), 2);
    await vote("approve", m0, payout);
    await vote("approve", m1, payout);
    await method("execute")()
      .accounts({ executor: m0.publicKey, multisig, proposal: payout })
      .remainingAccounts(treasury.payoutAccounts(multisig, usdc, [destination, destination]))
      .signers([m0])
      .rpc();
    assert.deepEqual(events(), ["PayoutPaid", "PayoutPaid", "ProposalExecuted"]);
    assert.equal(tokenBalance(svm, destination), 400n);
    assert.equal((await fetchProposal(payout)).status, "executed");

    // close_proposal: the rent of each finished proposal goes back to its creator.
    for (const [proposal, creator] of [
      [first, m0],
      [second, m1],
      [third, m2],
    ] as const) {
      const rent = svm.account(proposal)?.lamports ?? 0;
      assert.ok(rent > 0);
      const before = svm.account(creator.publicKey)?.lamports ?? 0;
      await method("closeProposal")().accounts({ multisig, proposal, rentCollector: creator.publicKey }).rpc();
      assert.deepEqual(events(), ["ProposalClosed"]);
      assert.equal(svm.account(proposal), null, "proposal closed");
      assert.equal(svm.account(creator.publicKey)?.lamports, before + rent);
    }
    assert.equal(tokenBalance(svm, vault), 600n);
    assert.equal(big((await fetchMultisig()).transactionIndex), 4n);
  });
});
