// HTTP conformance: the ECE programs on the localnet, driven through the SDK's
// instruction builders over web3.js and through @coral-xyz/anchor's Program (IDLs in
// programs/idl) over a real AnchorProvider — then read back with getAccountInfo,
// getProgramAccounts, anchor's account fetchers and transaction metadata (logs,
// events, CPIs as inner instructions, token balances).
import assert from "node:assert/strict";
import { AnchorError, AnchorProvider, BorshCoder, EventParser, type Idl, Program, Wallet } from "@coral-xyz/anchor";
import {
  ECE_PAUSE_PROGRAM_ID,
  ECE_TOKEN_PROGRAM_ID,
  ECE_TREASURY_PROGRAM_ID,
  ecePauseIdl,
  eceTokenIdl,
  eceTreasuryIdl,
  pause,
  SPL_TOKEN_PROGRAM_ID,
  token,
  treasury,
} from "@ece/sdk";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import {
  type Connection,
  Keypair,
  type PublicKey,
  sendAndConfirmTransaction,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";
import { base58, failure, rpc, type TransactionJson } from "../src/localnet-client.js";

const discriminator = (idl: Idl, account: string): Uint8Array => {
  const found = idl.accounts?.find((a) => a.name === account);
  assert.ok(found, `${account} in the IDL`);
  return Uint8Array.from(found.discriminator);
};

describe("conformance: the ECE programs through the SDK and anchor", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  let deployer: Keypair;
  let authority: Keypair;
  let guardians: Keypair[];
  let members: Keypair[];
  let multisig: PublicKey;
  const [pauseState] = pause.pauseStatePda();

  const provider = (kp: Keypair) =>
    new AnchorProvider(connection, new Wallet(kp), { commitment: "confirmed", preflightCommitment: "confirmed" });
  const send = (ixs: TransactionInstruction[], signers: Keypair[]) =>
    sendAndConfirmTransaction(connection, new Transaction().add(...ixs), signers, { commitment: "confirmed" });
  const getTx = (signature: string) =>
    rpc<TransactionJson>(node.rpcUrl, "getTransaction", [
      signature,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
  /** Names of the events `idl`'s program emitted in a transaction, from its logs over RPC. */
  const events = async (signature: string, idl: Idl, programId: PublicKey) => {
    const tx = await getTx(signature);
    return [...new EventParser(programId, new BorshCoder(idl)).parseLogs(tx.meta.logMessages)].map((e) => e.name);
  };
  const readPause = async () => {
    const info = await connection.getAccountInfo(pauseState, "confirmed");
    assert.ok(info, "pause state exists");
    return pause.decodePauseState(info, ECE_PAUSE_PROGRAM_ID);
  };

  before(async () => {
    node = await spawnLocalnet();
    connection = node.connection("confirmed");
    deployer = node.wallet("deployer");
    authority = node.wallet("alice");
    guardians = [node.wallet("guardian-1"), node.wallet("guardian-2")];
    members = [node.wallet("signer-1"), node.wallet("signer-2"), node.wallet("signer-3")];
  });
  after(async () => {
    await node.stop();
  });

  it("ece_pause through the SDK: initialize with two guardians, read back with getAccountInfo", async () => {
    assert.equal(await connection.getAccountInfo(pauseState), null, "not initialized at genesis");
    const sig = await send(
      [
        pause.initializeIx({
          payer: deployer.publicKey,
          authority: authority.publicKey,
          guardians: guardians.map((g) => g.publicKey),
        }),
      ],
      [deployer],
    );
    const state = await readPause();
    assert.ok(state.authority.equals(authority.publicKey));
    assert.deepEqual(
      state.guardians.map((g) => g.toBase58()),
      guardians.map((g) => g.publicKey.toBase58()),
    );
    assert.equal(state.paused, false);
    const info = await connection.getAccountInfo(pauseState);
    assert.ok(info?.owner.equals(ECE_PAUSE_PROGRAM_ID));
    assert.equal(info?.lamports, await connection.getMinimumBalanceForRentExemption(info?.data.length ?? 0));
    assert.deepEqual(await events(sig, ecePauseIdl, ECE_PAUSE_PROGRAM_ID), ["PauseInitialized"]);
    // Creating the PDA is a CPI into the system program.
    const tx = await getTx(sig);
    const keys = tx.transaction.message.accountKeys;
    const inner = tx.meta.innerInstructions[0]?.instructions ?? [];
    assert.ok(inner.some((ix) => keys[ix.programIdIndex] === "11111111111111111111111111111111"));
  });

  it("ece_pause through anchor's Program over AnchorProvider: pause, a refused pause, unpause", async () => {
    const [g1] = guardians as [Keypair];
    const asGuardian = new Program(ecePauseIdl, provider(g1));
    const pauseMethod = asGuardian.methods.pause;
    assert.ok(pauseMethod);
    const sig = await pauseMethod(42).accounts({ guardian: g1.publicKey }).rpc();
    assert.deepEqual(await events(sig, ecePauseIdl, ECE_PAUSE_PROGRAM_ID), ["Paused"]);
    const fetched = (await (
      asGuardian.account as unknown as Record<string, { fetch(a: PublicKey): Promise<Record<string, unknown>> }>
    ).pauseState?.fetch(pauseState)) as { paused: boolean; reason: number; lastChangedBy: PublicKey };
    assert.equal(fetched.paused, true);
    assert.equal(fetched.reason, 42);
    assert.ok(fetched.lastChangedBy.equals(g1.publicKey));
    const sdk = await readPause();
    assert.equal(sdk.paused, true);
    assert.equal(sdk.lastChangedSlot, BigInt((await getTx(sig)).slot));

    // A stranger is refused at preflight with the IDL's error code. (Anchor 0.32 cannot
    // translate it: web3.js repeats "custom program error" in the message, with the
    // logs, which its ProgramError.parse does not expect — the same against a validator.)
    const stranger = Keypair.generate();
    await connection.confirmTransaction(
      {
        signature: await connection.requestAirdrop(stranger.publicKey, 1e9),
        ...(await connection.getLatestBlockhash()),
      },
      "confirmed",
    );
    const asStranger = new Program(ecePauseIdl, provider(stranger));
    const refused = await asStranger.methods
      .pause?.(1)
      .accounts({ guardian: stranger.publicKey })
      .rpc()
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(refused, "refused");
    const expected = ecePauseIdl.errors?.find((e) => e.msg === "Signer is not a guardian");
    assert.ok(expected);
    const code =
      refused instanceof AnchorError
        ? refused.error.errorCode.number
        : Number.parseInt(/custom program error: 0x([0-9a-f]+)/.exec(String(refused))?.[1] ?? "", 16);
    assert.equal(code, expected.code, String(refused));
    assert.ok((refused as { logs?: string[] }).logs?.some((l) => l.includes(ECE_PAUSE_PROGRAM_ID.toBase58())));

    const asAuthority = new Program(ecePauseIdl, provider(authority));
    const unpaused = await asAuthority.methods.unpause?.().accounts({ authority: authority.publicKey }).rpc();
    assert.ok(unpaused);
    assert.deepEqual(await events(unpaused, ecePauseIdl, ECE_PAUSE_PROGRAM_ID), ["Unpaused"]);
    assert.equal((await readPause()).paused, false);
  });

  it("ece_treasury through anchor: create_multisig; found by getProgramAccounts with a discriminator filter", async () => {
    const createKey = Keypair.generate();
    [multisig] = treasury.multisigPda(createKey.publicKey);
    const program = new Program(eceTreasuryIdl, provider(deployer));
    const sig = await program.methods
      .createMultisig?.(
        members.map((m) => ({ key: m.publicKey, permissions: treasury.Permission.All })),
        2,
        0,
        [],
      )
      .accounts({ creator: deployer.publicKey, createKey: createKey.publicKey })
      .signers([createKey])
      .rpc();
    assert.ok(sig);
    assert.deepEqual(await events(sig, eceTreasuryIdl, ECE_TREASURY_PROGRAM_ID), ["MultisigCreated"]);

    const info = await connection.getAccountInfo(multisig);
    assert.ok(info);
    const decoded = treasury.decodeMultisig(info);
    assert.equal(decoded.threshold, 2);
    assert.deepEqual(
      decoded.members.map((m) => m.key.toBase58()),
      members.map((m) => m.publicKey.toBase58()),
    );
    const fetched = (await (
      program.account as unknown as Record<string, { fetch(a: PublicKey): Promise<Record<string, unknown>> }>
    ).multisig?.fetch(multisig)) as { threshold: number; memberCount: number; createKey: PublicKey };
    assert.equal(fetched.threshold, 2);
    assert.equal(fetched.memberCount, 3);
    assert.ok(fetched.createKey.equals(createKey.publicKey));

    const multisigs = await connection.getProgramAccounts(ECE_TREASURY_PROGRAM_ID, {
      filters: [{ memcmp: { offset: 0, bytes: base58(discriminator(eceTreasuryIdl, "Multisig")) } }],
    });
    assert.deepEqual(
      multisigs.map((m) => m.pubkey.toBase58()),
      [multisig.toBase58()],
    );
    assert.equal(multisigs[0]?.account.data.length, info.data.length);
    const bySize = await connection.getProgramAccounts(ECE_TREASURY_PROGRAM_ID, {
      filters: [{ dataSize: info.data.length }],
      dataSlice: { offset: 0, length: 8 },
    });
    assert.deepEqual([...(bySize[0]?.account.data ?? [])], [...discriminator(eceTreasuryIdl, "Multisig")]);
  });

  it("ece_token through the SDK: initialize with the multisig as admin — the mint PDA made by CPIs", async () => {
    const sig = await send(
      [token.initializeIx({ payer: deployer.publicKey, decimals: 6, maxSupply: 10n ** 15n, admin: multisig })],
      [deployer],
    );
    const [config] = token.tokenConfigPda();
    const [mint] = token.eceMintPda();
    const info = await connection.getAccountInfo(config);
    assert.ok(info);
    const decoded = token.decodeTokenConfig(info);
    assert.ok(decoded.admin.equals(multisig));
    assert.equal(decoded.cap, 10n ** 15n);
    const parsedMint = await connection.getParsedAccountInfo(mint);
    const mintData = parsedMint.value?.data as { program: string; parsed: { info: { mintAuthority: string } } };
    assert.equal(mintData.program, "spl-token");
    assert.ok(mintData.parsed.info.mintAuthority, "the mint has a program-owned authority");
    const tx = await getTx(sig);
    const keys = tx.transaction.message.accountKeys;
    const cpis = tx.meta.innerInstructions[0]?.instructions.map((ix) => keys[ix.programIdIndex]) ?? [];
    assert.ok(cpis.includes(SPL_TOKEN_PROGRAM_ID.toBase58()), `SPL Token CPI among ${cpis}`);
    assert.deepEqual(await events(sig, eceTokenIdl, ECE_TOKEN_PROGRAM_ID), ["TokenInitialized"]);
  });

  it("a treasury proposal (add a minter) approved and executed: the CPI into ece_token; then an ECE mint", async () => {
    const executor = node.wallet("executor");
    const [m1, m2] = members as [Keypair, Keypair];
    const action: treasury.ProposalAction = {
      kind: "token",
      action: { kind: "addMinter", minter: executor.publicKey },
    };
    const proposal = treasury.newProposalAddress(multisig, action, 1n);
    await send([treasury.createProposalIx({ creator: m1.publicKey, multisig, action, nextIndex: 1n })], [m1]);
    // Votes through anchor's Program, each member its own provider.
    for (const m of [m1, m2]) {
      const program = new Program(eceTreasuryIdl, provider(m));
      await program.methods.approve?.().accounts({ member: m.publicKey, multisig, proposal }).rpc();
    }
    const proposalInfo = await connection.getAccountInfo(proposal);
    assert.ok(proposalInfo);
    assert.equal(treasury.decodeProposal(proposalInfo).status, "Approved");
    const proposals = await connection.getProgramAccounts(ECE_TREASURY_PROGRAM_ID, {
      filters: [{ memcmp: { offset: 0, bytes: base58(discriminator(eceTreasuryIdl, "Proposal")) } }],
    });
    assert.deepEqual(
      proposals.map((p) => p.pubkey.toBase58()),
      [proposal.toBase58()],
    );

    const executed = await send(
      [treasury.executeIx({ executor: m1.publicKey, multisig, proposal, remaining: treasury.tokenAccounts() })],
      [m1],
    );
    const tx = await getTx(executed);
    const keys = tx.transaction.message.accountKeys;
    const inner = tx.meta.innerInstructions.find((g) => g.index === 0)?.instructions ?? [];
    const cpi = inner.find((ix) => keys[ix.programIdIndex] === ECE_TOKEN_PROGRAM_ID.toBase58());
    assert.ok(cpi, "the treasury invoked ece_token");
    assert.equal(cpi.stackHeight, 2);
    assert.ok(tx.meta.logMessages.includes(`Program ${ECE_TOKEN_PROGRAM_ID.toBase58()} invoke [2]`));
    assert.ok(tx.meta.computeUnitsConsumed > 0);
    const config = await connection.getAccountInfo(token.tokenConfigPda()[0]);
    assert.ok(config);
    assert.deepEqual(
      token.decodeTokenConfig(config).minters.map((k) => k.toBase58()),
      [executor.publicKey.toBase58()],
    );
    assert.equal(
      treasury.decodeProposal((await connection.getAccountInfo(proposal)) ?? proposalInfo).status,
      "Executed",
    );

    // The new minter mints ECE: ece_token CPIs SPL Token's MintTo, seen in inner
    // instructions and in the token balances.
    const bob = node.wallet("bob");
    const [eceMint] = token.eceMintPda();
    const bobEce = getAssociatedTokenAddressSync(eceMint, bob.publicKey);
    const minted = await send(
      [
        createAssociatedTokenAccountIdempotentInstruction(executor.publicKey, bobEce, bob.publicKey, eceMint),
        token.mintToIx({ minter: executor.publicKey, destination: bobEce, amount: 2_500_000n }),
      ],
      [executor],
    );
    const mintTx = await getTx(minted);
    const mintKeys = mintTx.transaction.message.accountKeys;
    const mintCpis = mintTx.meta.innerInstructions.find((g) => g.index === 1)?.instructions ?? [];
    assert.ok(mintCpis.some((ix) => mintKeys[ix.programIdIndex] === SPL_TOKEN_PROGRAM_ID.toBase58()));
    const post = mintTx.meta.postTokenBalances.find((b) => b.accountIndex === mintKeys.indexOf(bobEce.toBase58()));
    assert.deepEqual(post?.uiTokenAmount, { amount: "2500000", decimals: 6, uiAmount: 2.5, uiAmountString: "2.5" });
    assert.equal(post?.owner, bob.publicKey.toBase58());
    assert.equal(post?.mint, eceMint.toBase58());
    assert.deepEqual(await events(minted, eceTokenIdl, ECE_TOKEN_PROGRAM_ID), ["Minted"]);
    assert.equal((await connection.getTokenSupply(eceMint)).value.amount, "2500000");
    assert.equal((await connection.getTokenAccountBalance(bobEce)).value.uiAmountString, "2.5");
  });

  it("a program error at preflight: -32002 with the program's logs (ece_token refuses a non-minter)", async () => {
    const stranger = node.wallet("carol");
    const [eceMint] = token.eceMintPda();
    const destination = getAssociatedTokenAddressSync(eceMint, node.wallet("bob").publicKey);
    const tx = new Transaction().add(token.mintToIx({ minter: stranger.publicKey, destination, amount: 1n }));
    const err = await sendAndConfirmTransaction(connection, tx, [stranger]).then(
      () => null,
      (e: unknown) => e as Error & { logs?: string[] },
    );
    assert.ok(err);
    const notMinter = eceTokenIdl.errors?.find((e) => e.name === "NotMinter");
    assert.ok(notMinter);
    assert.match(err.message, new RegExp(`custom program error: 0x${notMinter.code.toString(16)}`));
    assert.ok(err.logs?.includes(`Program ${ECE_TOKEN_PROGRAM_ID.toBase58()} invoke [1]`));

    // The same over raw JSON-RPC: the preflight error and its simulation.
    tx.feePayer = stranger.publicKey;
    tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
    tx.sign(stranger);
    const raw = await failure(node.rpcUrl, "sendTransaction", [
      tx.serialize().toString("base64"),
      { encoding: "base64" },
    ]);
    assert.equal(raw.code, -32002);
    assert.equal(
      raw.message,
      `Transaction simulation failed: Error processing Instruction 0: custom program error: 0x${notMinter.code.toString(16)}`,
    );
    const data = raw.data as { err: unknown; logs: string[] };
    assert.deepEqual(data.err, { InstructionError: [0, { Custom: notMinter.code }] });
    assert.ok(
      data.logs.includes(
        `Program ${ECE_TOKEN_PROGRAM_ID.toBase58()} failed: custom program error: 0x${notMinter.code.toString(16)}`,
      ),
    );
  });
});
