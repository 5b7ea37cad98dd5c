// HTTP conformance: sending, simulating and looking up transactions — legacy and
// v0 with address lookup tables — through web3.js, @solana/kit and raw JSON-RPC,
// with the error codes and messages Agave's RPC gives.
import assert from "node:assert/strict";
import {
  type Base64EncodedWireTransaction,
  createSolanaRpc,
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
} from "@solana/kit";
import {
  AddressLookupTableAccount,
  AddressLookupTableProgram,
  ComputeBudgetProgram,
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SendTransactionError,
  SolanaJSONRPCError,
  SystemProgram,
  sendAndConfirmTransaction,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import { type LocalnetProcess, localnetOnly, reachedFinalized, spawnLocalnet, WAIT_SCALE } from "../src/localnet.js";
import {
  base58,
  base64,
  call,
  failure,
  reached,
  rpc,
  type SignatureStatus,
  sign,
  signatureOf,
  signedTransfer,
  type TransactionJson,
  until,
} from "../src/localnet-client.js";

const SYSTEM = SystemProgram.programId.toBase58();
const sig2 = (sigs: string[]): string => sigs[1] ?? "";
const MEMO = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

interface SimulationJson {
  err: unknown;
  logs: string[] | null;
  accounts: Array<{ lamports: number; owner: string; data: [string, string] } | null> | null;
  unitsConsumed: number;
  replacementBlockhash: { blockhash: string; lastValidBlockHeight: number } | null;
  innerInstructions: unknown;
}

describe("conformance: transactions", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  let alice: Keypair;
  let bob: Keypair;
  const blockhash = async () => (await connection.getLatestBlockhash("confirmed")).blockhash;
  const send = (wire: Uint8Array, cfg: Record<string, unknown> = {}) =>
    rpc<string>(node.rpcUrl, "sendTransaction", [base64(wire), { encoding: "base64", ...cfg }]);
  const statusOf = async (signature: string, searchTransactionHistory?: boolean) => {
    const cfg = searchTransactionHistory === undefined ? [] : [{ searchTransactionHistory }];
    const r = await rpc<{ value: Array<SignatureStatus | null> }>(node.rpcUrl, "getSignatureStatuses", [
      [signature],
      ...cfg,
    ]);
    return r.value[0] ?? null;
  };
  const getTx = (signature: string, cfg: Record<string, unknown> = {}) =>
    rpc<TransactionJson | null>(node.rpcUrl, "getTransaction", [signature, { commitment: "confirmed", ...cfg }]);

  /** A fresh keypair with `sol` SOL from alice, confirmed. */
  const funded = async (sol: number): Promise<Keypair> => {
    const kp = Keypair.generate();
    const tx = new Transaction().add(
      SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: kp.publicKey, lamports: sol * LAMPORTS_PER_SOL }),
    );
    await sendAndConfirmTransaction(connection, tx, [alice]);
    return kp;
  };

  before(async () => {
    node = await spawnLocalnet();
    connection = node.connection("confirmed");
    alice = node.wallet("alice");
    bob = node.wallet("bob");
  });
  after(async () => {
    await node.stop();
  });

  it("sendAndConfirmTransaction: a SOL transfer, and getTransaction's json with its meta", async () => {
    const to = Keypair.generate().publicKey;
    const before = await connection.getBalance(alice.publicKey);
    const sig = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(
        SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: to, lamports: 12_345_678 }),
      ),
      [alice],
    );
    assert.equal(await connection.getBalance(to), 12_345_678);
    assert.equal(before - (await connection.getBalance(alice.publicKey)), 12_345_678 + 5000);

    const tx = await getTx(sig);
    assert.ok(tx);
    assert.equal("version" in tx, false, "no version without maxSupportedTransactionVersion");
    assert.deepEqual(tx.transaction.signatures, [sig]);
    assert.deepEqual(tx.transaction.message.accountKeys, [alice.publicKey.toBase58(), to.toBase58(), SYSTEM]);
    assert.deepEqual(tx.transaction.message.header, {
      numRequiredSignatures: 1,
      numReadonlySignedAccounts: 0,
      numReadonlyUnsignedAccounts: 1,
    });
    assert.equal(tx.transaction.message.instructions[0]?.programIdIndex, 2);
    assert.deepEqual(tx.transaction.message.instructions[0]?.accounts, [0, 1]);
    const { meta } = tx;
    assert.equal(meta.err, null);
    assert.deepEqual(meta.status, { Ok: null });
    assert.equal(meta.fee, 5000);
    assert.equal(meta.preBalances[0], before);
    assert.equal(meta.postBalances[0], before - 12_345_678 - 5000);
    assert.deepEqual([meta.preBalances[1], meta.postBalances[1]], [0, 12_345_678]);
    assert.deepEqual(meta.logMessages, [`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`]);
    assert.equal(meta.computeUnitsConsumed, 150);
    assert.deepEqual(meta.innerInstructions, []);
    assert.deepEqual(meta.preTokenBalances, []);
    assert.deepEqual(meta.loadedAddresses, { writable: [], readonly: [] });
    assert.deepEqual(meta.rewards, []);
    assert.ok(tx.blockTime !== null && Math.abs(tx.blockTime - Date.now() / 1000) < 60);
    const status = await statusOf(sig);
    assert.equal(tx.slot, status?.slot);

    const versioned = await getTx(sig, { maxSupportedTransactionVersion: 0 });
    assert.equal(versioned?.version, "legacy");
    // web3.js reads the same through its own structs.
    const web3 = await connection.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    assert.equal(web3?.meta?.fee, 5000);
    assert.equal(web3?.transaction.message.staticAccountKeys[1]?.toBase58(), to.toBase58());
  });

  it("sendTransaction over raw JSON-RPC: base58 (the default), base64, skipPreflight", async () => {
    const to = Keypair.generate().publicKey;
    const hash = await blockhash();
    const first = signedTransfer(alice, to, 1_000_000, hash).wire;
    assert.equal(await rpc(node.rpcUrl, "sendTransaction", [base58(first)]), signatureOf(first));
    const second = signedTransfer(alice, to, 2_000_000, hash).wire;
    assert.equal(await send(second), signatureOf(second));
    const third = signedTransfer(alice, to, 3_000_000, hash).wire;
    assert.equal(await send(third, { skipPreflight: true, maxRetries: 0 }), signatureOf(third));
    assert.equal(await connection.getBalance(to, "processed"), 6_000_000);
    for (const wire of [first, second, third]) await reached(connection, signatureOf(wire), "confirmed");

    // An encoding the method does not take.
    const err = await failure(node.rpcUrl, "sendTransaction", [base64(first), { encoding: "jsonParsed" }]);
    assert.equal(err.code, -32602);
  });

  it("getTransaction encodings: base64 and base58 give back the wire bytes; jsonParsed names keys", async () => {
    const to = Keypair.generate().publicKey;
    const wire = signedTransfer(alice, to, 1_000_777, await blockhash()).wire;
    const sig = await send(wire);
    await reached(connection, sig, "confirmed");
    const b64 = await rpc<{ transaction: [string, string]; meta: { fee: number } }>(node.rpcUrl, "getTransaction", [
      sig,
      { commitment: "confirmed", encoding: "base64" },
    ]);
    assert.deepEqual(b64.transaction, [base64(wire), "base64"]);
    assert.equal(b64.meta.fee, 5000);
    const b58 = await rpc<{ transaction: [string, string] }>(node.rpcUrl, "getTransaction", [
      sig,
      { commitment: "confirmed", encoding: "base58" },
    ]);
    assert.deepEqual(b58.transaction, [base58(wire), "base58"]);

    const parsed = await rpc<{
      transaction: {
        message: { accountKeys: Array<{ pubkey: string; signer: boolean; writable: boolean; source: string }> };
      };
    }>(node.rpcUrl, "getTransaction", [sig, { commitment: "confirmed", encoding: "jsonParsed" }]);
    assert.deepEqual(parsed.transaction.message.accountKeys, [
      { pubkey: alice.publicKey.toBase58(), signer: true, writable: true, source: "transaction" },
      { pubkey: to.toBase58(), signer: false, writable: true, source: "transaction" },
      { pubkey: SYSTEM, signer: false, writable: false, source: "transaction" },
    ]);
    const web3 = await connection.getParsedTransaction(sig, { commitment: "confirmed" });
    assert.ok(web3?.transaction.message.accountKeys[0]?.signer);
    assert.equal(web3?.meta?.fee, 5000);

    const unknownSig = base58(new Uint8Array(64).fill(9));
    assert.equal(await getTx(unknownSig), null);
    const badSig = await failure(node.rpcUrl, "getTransaction", ["abc"]);
    assert.equal(badSig.code, -32602);
    const processed = await failure(node.rpcUrl, "getTransaction", [sig, { commitment: "processed" }]);
    assert.equal(processed.code, -32602);
    assert.equal(processed.message, "Method does not support commitment below `confirmed`");
  });

  it("requestAirdrop: lands from the faucet and confirms", async () => {
    const to = Keypair.generate().publicKey;
    const sig = await connection.requestAirdrop(to, 2 * LAMPORTS_PER_SOL);
    const latest = await connection.getLatestBlockhash();
    await connection.confirmTransaction({ signature: sig, ...latest }, "confirmed");
    assert.equal(await connection.getBalance(to), 2 * LAMPORTS_PER_SOL);
    const tx = await getTx(sig);
    assert.ok(tx?.transaction.message.accountKeys.includes(to.toBase58()));
    // Identical airdrops are distinct transactions.
    const again = await rpc<string>(node.rpcUrl, "requestAirdrop", [to.toBase58(), 2 * LAMPORTS_PER_SOL]);
    assert.notEqual(again, sig);
    const zero = await failure(node.rpcUrl, "requestAirdrop", [to.toBase58(), 0]);
    assert.equal(zero.code, -32602);
  });

  it("preflight failure: -32002 with the simulation (logs, err) as data; web3.js and kit surface it", async () => {
    const poor = await funded(0.01);
    const wire = signedTransfer(poor, bob.publicKey, LAMPORTS_PER_SOL, await blockhash()).wire;
    const err = await failure(node.rpcUrl, "sendTransaction", [base64(wire), { encoding: "base64" }]);
    assert.equal(err.code, -32002);
    assert.equal(
      err.message,
      "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1",
    );
    const data = err.data as SimulationJson;
    assert.deepEqual(data.err, { InstructionError: [0, { Custom: 1 }] });
    assert.ok(
      data.logs?.includes(`Transfer: insufficient lamports ${0.01 * LAMPORTS_PER_SOL - 5000}, need 1000000000`),
    );
    assert.ok(data.logs?.includes(`Program ${SYSTEM} failed: custom program error: 0x1`));
    assert.equal(data.accounts, null);
    assert.equal(data.unitsConsumed, 150);
    assert.equal(await statusOf(signatureOf(wire)), null, "nothing landed");

    // web3.js: a SendTransactionError carrying the logs.
    const tx = new Transaction().add(
      SystemProgram.transfer({ fromPubkey: poor.publicKey, toPubkey: bob.publicKey, lamports: LAMPORTS_PER_SOL }),
    );
    const thrown = await sendAndConfirmTransaction(connection, tx, [poor]).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(thrown instanceof SendTransactionError, String(thrown));
    assert.match(thrown.message, /custom program error: 0x1/);
    assert.ok((await thrown.getLogs(connection)).some((l) => l.startsWith("Transfer: insufficient lamports")));

    // kit: the preflight error, caused by the instruction's custom error.
    const kit = createSolanaRpc(node.rpcUrl);
    const kitWire = signedTransfer(poor, bob.publicKey, 2 * LAMPORTS_PER_SOL, await blockhash()).base64;
    const kitErr = await kit
      .sendTransaction(kitWire as Base64EncodedWireTransaction, { encoding: "base64" })
      .send()
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(isSolanaError(kitErr, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE));
    assert.ok(kitErr.context.logs?.some((l) => l.startsWith("Transfer: insufficient lamports")));
    assert.ok(isSolanaError(kitErr.cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM));
    assert.equal(kitErr.cause.context.code, 1);
  });

  it("skipPreflight: a failing transaction lands with meta.err and pays its fee", async () => {
    const poor = await funded(0.01);
    const wire = signedTransfer(poor, bob.publicKey, LAMPORTS_PER_SOL, await blockhash()).wire;
    const sig = await send(wire, { skipPreflight: true });
    assert.equal(sig, signatureOf(wire));
    await reached(connection, sig, "confirmed");
    const status = await statusOf(sig);
    assert.deepEqual(status?.err, { InstructionError: [0, { Custom: 1 }] });
    assert.deepEqual(status?.status, { Err: { InstructionError: [0, { Custom: 1 }] } });
    const tx = await getTx(sig);
    assert.deepEqual(tx?.meta.err, { InstructionError: [0, { Custom: 1 }] });
    assert.equal(tx?.meta.fee, 5000);
    assert.deepEqual(tx?.meta.postBalances.slice(0, 2), [0.01 * LAMPORTS_PER_SOL - 5000, tx?.meta.preBalances[1]]);
    assert.ok(tx?.meta.logMessages.includes(`Program ${SYSTEM} failed: custom program error: 0x1`));
    assert.equal(await connection.getBalance(poor.publicKey), 0.01 * LAMPORTS_PER_SOL - 5000);
  });

  it("an unknown blockhash: BlockhashNotFound at preflight; dropped under skipPreflight", async () => {
    const stale = Keypair.generate().publicKey.toBase58();
    const wire = signedTransfer(alice, bob.publicKey, 1, stale).wire;
    const err = await failure(node.rpcUrl, "sendTransaction", [base64(wire), { encoding: "base64" }]);
    assert.equal(err.code, -32002);
    assert.equal(err.message, "Transaction simulation failed: Blockhash not found");
    assert.equal((err.data as SimulationJson).err, "BlockhashNotFound");

    const dropped = await send(wire, { skipPreflight: true });
    assert.equal(dropped, signatureOf(wire), "the signature, as a real node answers before forwarding");
    const start = await connection.getSlot("processed");
    await until("a few slots", async () => (await connection.getSlot("processed")) > start + 2);
    assert.equal(await statusOf(dropped, true), null, "it never landed");
    const sim = await rpc<{ value: SimulationJson }>(node.rpcUrl, "simulateTransaction", [
      base64(wire),
      { encoding: "base64" },
    ]);
    assert.equal(sim.value.err, "BlockhashNotFound");
  });

  it("a duplicate: AlreadyProcessed at preflight; under skipPreflight not executed twice", async () => {
    const to = Keypair.generate().publicKey;
    const wire = signedTransfer(alice, to, 50_000_000, await blockhash()).wire;
    const sig = await send(wire);
    const err = await failure(node.rpcUrl, "sendTransaction", [base64(wire), { encoding: "base64" }]);
    assert.equal(err.code, -32002);
    assert.equal(err.message, "Transaction simulation failed: This transaction has already been processed");
    assert.equal((err.data as SimulationJson).err, "AlreadyProcessed");
    await reached(connection, sig, "confirmed");
    assert.equal(await send(wire, { skipPreflight: true }), sig);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(await connection.getBalance(to, "processed"), 50_000_000, "credited once");
    // web3.js surfaces it as a SendTransactionError too.
    await assert.rejects(connection.sendRawTransaction(wire), (e: unknown) => {
      assert.ok(e instanceof SendTransactionError);
      assert.match(e.message, /This transaction has already been processed/);
      return true;
    });
  });

  it("a bad signature → -32003; undecodable or unsanitary transactions → -32602", async () => {
    const wire = signedTransfer(alice, bob.publicKey, 1, await blockhash()).wire;
    const forged = Uint8Array.from(wire);
    forged[10] = (forged[10] ?? 0) ^ 0xff;
    const err = await failure(node.rpcUrl, "sendTransaction", [base64(forged), { encoding: "base64" }]);
    assert.equal(err.code, -32003);
    assert.equal(err.message, "Transaction signature verification failure");
    assert.equal(await statusOf(signatureOf(forged), true), null);
    const kitErr = await createSolanaRpc(node.rpcUrl)
      .sendTransaction(base64(forged) as Base64EncodedWireTransaction, { encoding: "base64" })
      .send()
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(isSolanaError(kitErr, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE));

    const garbage = await failure(node.rpcUrl, "sendTransaction", [
      base64(new Uint8Array([1, 2, 3])),
      { encoding: "base64" },
    ]);
    assert.equal(garbage.code, -32602);
    assert.match(garbage.message, /^failed to deserialize solana_transaction::versioned::VersionedTransaction: /);
    const badBase64 = await failure(node.rpcUrl, "sendTransaction", ["!!!!", { encoding: "base64" }]);
    assert.equal(badBase64.code, -32602);
    assert.match(badBase64.message, /^invalid base64 encoding/);

    // One signature short of what the header requires: a sanitize failure.
    const unsigned = Uint8Array.from([0, ...wire.subarray(65)]);
    const short = await failure(node.rpcUrl, "sendTransaction", [base64(unsigned), { encoding: "base64" }]);
    assert.equal(short.code, -32602);
    assert.equal(short.message, "invalid transaction: Transaction failed to sanitize accounts offsets correctly");
  });

  it("simulateTransaction: sigVerify, replaceRecentBlockhash, post-simulation accounts, innerInstructions", async () => {
    const to = Keypair.generate().publicKey;
    const hash = await blockhash();
    const wire = signedTransfer(alice, to, 3 * LAMPORTS_PER_SOL, hash).wire;
    const sim = await rpc<{ context: { slot: number }; value: SimulationJson }>(node.rpcUrl, "simulateTransaction", [
      base64(wire),
      { encoding: "base64", sigVerify: true, accounts: { addresses: [to.toBase58()], encoding: "base64" } },
    ]);
    assert.equal(sim.value.err, null);
    assert.equal(sim.value.unitsConsumed, 150);
    assert.deepEqual(sim.value.logs, [`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`]);
    assert.equal(sim.value.accounts?.[0]?.lamports, 3 * LAMPORTS_PER_SOL);
    assert.equal(sim.value.accounts?.[0]?.owner, SYSTEM);
    assert.equal(sim.value.replacementBlockhash, null);
    assert.equal(await connection.getBalance(to, "processed"), 0, "nothing is committed");
    assert.equal(await statusOf(signatureOf(wire)), null);

    // sigVerify rejects a forged signature; without it the signature is not checked.
    const forged = Uint8Array.from(wire);
    forged[5] = (forged[5] ?? 0) ^ 1;
    const err = await failure(node.rpcUrl, "simulateTransaction", [
      base64(forged),
      { encoding: "base64", sigVerify: true },
    ]);
    assert.equal(err.code, -32003);
    const lax = await rpc<{ value: SimulationJson }>(node.rpcUrl, "simulateTransaction", [
      base64(forged),
      { encoding: "base64" },
    ]);
    assert.equal(lax.value.err, null);

    // replaceRecentBlockhash: a stale (here: made-up) blockhash is swapped for the latest.
    const stale = signedTransfer(alice, bob.publicKey, 1, Keypair.generate().publicKey.toBase58()).wire;
    const replaced = await rpc<{ value: SimulationJson }>(node.rpcUrl, "simulateTransaction", [
      base64(stale),
      { encoding: "base64", replaceRecentBlockhash: true },
    ]);
    assert.equal(replaced.value.err, null);
    assert.ok(replaced.value.replacementBlockhash);
    assert.equal((await connection.isBlockhashValid(replaced.value.replacementBlockhash.blockhash)).value, true);
    const both = await failure(node.rpcUrl, "simulateTransaction", [
      base64(stale),
      { encoding: "base64", replaceRecentBlockhash: true, sigVerify: true },
    ]);
    assert.equal(both.code, -32602);
    assert.equal(both.message, "sigVerify may not be used with replaceRecentBlockhash");

    // Post-simulation accounts come in base64 (or jsonParsed), never base58; at most one per key.
    const b58 = await failure(node.rpcUrl, "simulateTransaction", [
      base64(wire),
      { encoding: "base64", accounts: { addresses: [to.toBase58()], encoding: "base58" } },
    ]);
    assert.equal(b58.code, -32602);
    assert.equal(b58.message, "base58 encoding not supported");
    const four = Array.from({ length: 4 }, () => Keypair.generate().publicKey.toBase58());
    const tooMany = await failure(node.rpcUrl, "simulateTransaction", [
      base64(wire),
      { encoding: "base64", accounts: { addresses: four, encoding: "base64" } },
    ]);
    assert.equal(tooMany.code, -32602);
    assert.equal(tooMany.message, "Too many accounts provided; max 3");

    // A failing simulation: the error, and null accounts.
    const poorKey = Keypair.generate();
    const failing = sign(
      [
        SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: bob.publicKey, lamports: 1 }),
        SystemProgram.transfer({ fromPubkey: poorKey.publicKey, toPubkey: bob.publicKey, lamports: 1 }),
      ],
      alice,
      hash,
      [poorKey],
    ).wire;
    const failed = await rpc<{ value: SimulationJson }>(node.rpcUrl, "simulateTransaction", [
      base64(failing),
      { encoding: "base64", accounts: { addresses: [bob.publicKey.toBase58()], encoding: "base64" } },
    ]);
    assert.deepEqual(failed.value.err, { InstructionError: [1, { Custom: 1 }] });
    assert.deepEqual(failed.value.accounts, [null]);

    // web3.js's simulateTransaction of a VersionedTransaction, with inner instructions:
    // creating a nonce-free account through a program that CPIs (the ATA program).
    const owner = Keypair.generate().publicKey;
    const { createAssociatedTokenAccountInstruction, getAssociatedTokenAddressSync } = await import(
      "@solana/spl-token"
    );
    const usdc = new PublicKey(node.usdcMint);
    const ata = getAssociatedTokenAddressSync(usdc, owner);
    const message = new TransactionMessage({
      payerKey: alice.publicKey,
      recentBlockhash: hash,
      instructions: [createAssociatedTokenAccountInstruction(alice.publicKey, ata, owner, usdc)],
    }).compileToV0Message();
    const vtx = new VersionedTransaction(message);
    vtx.sign([alice]);
    const web3Sim = await connection.simulateTransaction(vtx, {
      innerInstructions: true,
      accounts: { addresses: [ata.toBase58()], encoding: "base64" },
    });
    assert.equal(web3Sim.value.err, null);
    const inner = web3Sim.value.innerInstructions?.[0];
    assert.equal(inner?.index, 0);
    const programs = (inner?.instructions ?? []).map((ix) => ix.programId.toBase58());
    assert.ok(programs.includes(SYSTEM), `system CPI among ${programs}`);
    assert.ok(programs.includes("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"));
    assert.equal(web3Sim.value.accounts?.[0]?.data.length, 2);
    assert.ok((web3Sim.value.unitsConsumed ?? 0) > 1000);
    // Without innerInstructions the field is null.
    const plain = await connection.simulateTransaction(vtx);
    assert.equal(plain.value.innerInstructions ?? null, null);
  });

  it("getSignatureStatuses: processed → confirmed → finalized, with and without searchTransactionHistory", async () => {
    const wire = signedTransfer(alice, Keypair.generate().publicKey, 1_000_000, await blockhash()).wire;
    const sig = await send(wire);
    const seen: string[] = [];
    const order = ["processed", "confirmed", "finalized"];
    await until(
      "finalized",
      async () => {
        const s = await statusOf(sig);
        assert.ok(s, "known from the moment it was accepted");
        if (seen[seen.length - 1] !== s.confirmationStatus) seen.push(s.confirmationStatus);
        assert.equal(s.err, null);
        assert.deepEqual(s.status, { Ok: null });
        if (s.confirmationStatus === "finalized") assert.equal(s.confirmations, null);
        else assert.equal(typeof s.confirmations, "number");
        if (s.confirmationStatus === "processed") assert.equal(s.confirmations, 0);
        return s.confirmationStatus === "finalized";
      },
      5000 * WAIT_SCALE,
    );
    assert.deepEqual(
      seen.map((s) => order.indexOf(s)),
      [...seen.map((s) => order.indexOf(s))].sort(),
      `monotonic: ${seen}`,
    );
    assert.ok(seen.includes("confirmed"), `went through confirmed: ${seen}`);
    assert.deepEqual(await statusOf(sig, true), await statusOf(sig, false));

    const web3 = await connection.getSignatureStatuses([sig, base58(new Uint8Array(64).fill(3))], {
      searchTransactionHistory: true,
    });
    assert.equal(web3.value[0]?.confirmationStatus, "finalized");
    assert.equal(web3.value[1], null);
    const many = await failure(node.rpcUrl, "getSignatureStatuses", [Array(257).fill(sig)]);
    assert.equal(many.code, -32602);
    assert.equal(many.message, "Too many inputs provided; max 256");
  });

  it("getTransaction at finalized does not see a transaction until its slot is finalized", async () => {
    const wire = signedTransfer(alice, Keypair.generate().publicKey, 1_000_000, await blockhash()).wire;
    const sig = await send(wire);
    await reached(connection, sig, "confirmed");
    const status = await statusOf(sig);
    if (status?.confirmationStatus !== "finalized") {
      assert.equal(await getTx(sig, { commitment: "finalized" }), null);
      assert.equal(
        (await connection.getSignaturesForAddress(alice.publicKey, { limit: 5 }, "finalized")).some(
          (s) => s.signature === sig,
        ),
        false,
      );
    }
    await reachedFinalized(connection, sig);
    assert.equal((await getTx(sig, { commitment: "finalized" }))?.transaction.signatures[0], sig);
  });

  it("getSignaturesForAddress: newest first, limit, before, until, memo, and errors", async () => {
    const who = Keypair.generate().publicKey;
    const hash = await blockhash();
    const memo = new TransactionInstruction({ programId: MEMO, keys: [], data: Buffer.from("hello") });
    const wires = [
      signedTransfer(alice, who, 1_000_000, hash).wire,
      signedTransfer(alice, who, 2_000_000, hash).wire,
      sign(
        [SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: who, lamports: 3_000_000 }), memo],
        alice,
        hash,
      ).wire,
      signedTransfer(alice, who, 4_000_000, hash).wire,
      signedTransfer(alice, who, 5_000_000, hash).wire,
    ];
    const sigs: string[] = [];
    for (const w of wires) {
      sigs.push(await send(w));
      // Spread them over slots as well as within one.
      if (sigs.length === 2) {
        const slot = (await statusOf(sig2(sigs)))?.slot ?? 0;
        await until("the next slot", async () => (await connection.getSlot("processed")) > slot);
      }
    }
    for (const s of sigs) await reached(connection, s, "confirmed");
    const newest = [...sigs].reverse();

    const all = await connection.getSignaturesForAddress(who);
    assert.deepEqual(
      all.map((s) => s.signature),
      newest,
    );
    for (const s of all) {
      assert.equal(s.err, null);
      assert.ok(s.blockTime);
      assert.ok(s.confirmationStatus === "confirmed" || s.confirmationStatus === "finalized");
      assert.equal(s.memo, s.signature === sigs[2] ? "[5] hello" : null);
    }
    const slots = all.map((s) => s.slot);
    assert.deepEqual(
      slots,
      [...slots].sort((a, b) => b - a),
      "slots descend",
    );

    const limited = await connection.getSignaturesForAddress(who, { limit: 2 });
    assert.deepEqual(
      limited.map((s) => s.signature),
      newest.slice(0, 2),
    );
    const before = await connection.getSignaturesForAddress(who, { before: newest[1] });
    assert.deepEqual(
      before.map((s) => s.signature),
      newest.slice(2),
    );
    const until3 = await connection.getSignaturesForAddress(who, { until: newest[3] });
    assert.deepEqual(
      until3.map((s) => s.signature),
      newest.slice(0, 3),
    );
    const window = await connection.getSignaturesForAddress(who, { before: newest[0], until: newest[3], limit: 10 });
    assert.deepEqual(
      window.map((s) => s.signature),
      newest.slice(1, 3),
    );

    assert.deepEqual(await connection.getSignaturesForAddress(Keypair.generate().publicKey), []);
    const zero = await failure(node.rpcUrl, "getSignaturesForAddress", [who.toBase58(), { limit: 0 }]);
    assert.equal(zero.code, -32602);
    assert.equal(zero.message, "Invalid limit; max 1000");
    const processed = await failure(node.rpcUrl, "getSignaturesForAddress", [
      who.toBase58(),
      { commitment: "processed" },
    ]);
    assert.equal(processed.code, -32602);
  });

  it("getRecentPrioritizationFees: per block the lowest price, raised to the lowest paid to write-lock each key", async () => {
    const priced = (to: PublicKey, microLamports: number, hash: string) =>
      sign(
        [
          ComputeBudgetProgram.setComputeUnitPrice({ microLamports }),
          SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
        ],
        alice,
        hash,
      ).wire;
    // Two transactions in one block: `cold` written at 100 µlamports/CU, `hot` at 12,345.
    let hot = Keypair.generate().publicKey;
    let cold = Keypair.generate().publicKey;
    let slot = -1;
    let hotSig = "";
    for (let attempt = 0; attempt < 5 && slot < 0; attempt++) {
      hot = Keypair.generate().publicKey;
      cold = Keypair.generate().publicKey;
      const hash = await blockhash();
      const [a, b] = await Promise.all([send(priced(cold, 100, hash)), send(priced(hot, 12_345, hash))]);
      hotSig = b;
      await reached(connection, a, "confirmed");
      await reached(connection, b, "confirmed");
      const [sa, sb] = [await statusOf(a), await statusOf(b)];
      if (sa?.slot === sb?.slot) slot = sa?.slot ?? -1;
    }
    assert.ok(slot >= 0, "both transactions in one block");
    // The fee: 5000 per signature plus price × limit (200,000 per non-budget instruction by default).
    assert.equal((await getTx(hotSig))?.meta.fee, 5000 + Math.ceil((12_345 * 200_000) / 1_000_000));

    const feeAt = async (keys?: PublicKey[]) => {
      const fees = await connection.getRecentPrioritizationFees(keys ? { lockedWritableAccounts: keys } : undefined);
      assert.ok(fees.length > 0 && fees.length <= 150);
      const slots = fees.map((f) => f.slot);
      assert.deepEqual(
        slots,
        [...slots].sort((x, y) => x - y),
        "ascending slots",
      );
      return fees.find((f) => f.slot === slot)?.prioritizationFee;
    };
    assert.equal(await feeAt(), 100);
    assert.equal(await feeAt([hot]), 12_345);
    assert.equal(await feeAt([cold]), 100);
    assert.equal(await feeAt([cold, hot]), 12_345);
    // A key they only read is not write-locked: the block's lowest price.
    assert.equal(await feeAt([SystemProgram.programId]), 100);
    const forHot = await connection.getRecentPrioritizationFees({ lockedWritableAccounts: [hot] });
    assert.ok(
      forHot.some((f) => f.slot !== slot),
      "other slots are listed too",
    );

    const tooMany = await failure(node.rpcUrl, "getRecentPrioritizationFees", [
      Array.from({ length: 129 }, () => Keypair.generate().publicKey.toBase58()),
    ]);
    assert.equal(tooMany.code, -32602);
    assert.equal(tooMany.message, "Too many inputs provided; max 128");
  });

  it("v0 with an address lookup table: create, extend, wait a slot, use; loadedAddresses; -32015 without the version", async () => {
    const recentSlot = await connection.getSlot("finalized");
    const [create, table] = AddressLookupTableProgram.createLookupTable({
      authority: alice.publicKey,
      payer: alice.publicKey,
      recentSlot,
    });
    const destinations = [Keypair.generate(), Keypair.generate(), Keypair.generate()].map((k) => k.publicKey);
    const extend = AddressLookupTableProgram.extendLookupTable({
      payer: alice.publicKey,
      authority: alice.publicKey,
      lookupTable: table,
      addresses: destinations,
    });
    const setup = await sendAndConfirmTransaction(connection, new Transaction().add(create, extend), [alice]);
    const setupSlot = (await statusOf(setup))?.slot ?? 0;
    const lookup = (await connection.getAddressLookupTable(table)).value;
    assert.ok(lookup);
    assert.deepEqual(
      lookup.state.addresses.map((a) => a.toBase58()),
      destinations.map((d) => d.toBase58()),
    );
    assert.ok(lookup.state.authority?.equals(alice.publicKey));
    assert.equal(lookup.isActive(), true);
    // Addresses extended in a slot can be used from the next one.
    await until("the slot after the extension", async () => (await connection.getSlot("processed")) > setupSlot);

    const latest = await connection.getLatestBlockhash("confirmed");
    const message = new TransactionMessage({
      payerKey: alice.publicKey,
      recentBlockhash: latest.blockhash,
      instructions: destinations.map((d, i) =>
        SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: d, lamports: (i + 1) * LAMPORTS_PER_SOL }),
      ),
    }).compileToV0Message([lookup]);
    assert.equal(message.staticAccountKeys.length, 2, "only the payer and the system program are static");
    const vtx = new VersionedTransaction(message);
    vtx.sign([alice]);
    const sig = await connection.sendTransaction(vtx);
    await connection.confirmTransaction({ signature: sig, ...latest }, "confirmed");
    for (const [i, d] of destinations.entries())
      assert.equal(await connection.getBalance(d), (i + 1) * LAMPORTS_PER_SOL);

    const tx = await getTx(sig, { maxSupportedTransactionVersion: 0 });
    assert.ok(tx);
    assert.equal(tx.version, 0);
    assert.deepEqual(tx.meta.loadedAddresses, { writable: destinations.map((d) => d.toBase58()), readonly: [] });
    assert.deepEqual(tx.transaction.message.addressTableLookups, [
      { accountKey: table.toBase58(), writableIndexes: [0, 1, 2], readonlyIndexes: [] },
    ]);
    assert.deepEqual(tx.transaction.message.accountKeys, [alice.publicKey.toBase58(), SYSTEM]);
    // Balances cover static then loaded keys.
    assert.equal(tx.meta.postBalances.length, 5);
    assert.deepEqual(
      tx.meta.postBalances.slice(2),
      [1, 2, 3].map((n) => n * LAMPORTS_PER_SOL),
    );
    assert.equal(tx.meta.err, null);

    const parsed = await rpc<{
      transaction: { message: { accountKeys: Array<{ pubkey: string; source: string; writable: boolean }> } };
    }>(node.rpcUrl, "getTransaction", [
      sig,
      { commitment: "confirmed", encoding: "jsonParsed", maxSupportedTransactionVersion: 0 },
    ]);
    assert.deepEqual(
      parsed.transaction.message.accountKeys.map((k) => k.source),
      ["transaction", "transaction", "lookupTable", "lookupTable", "lookupTable"],
    );
    assert.ok(parsed.transaction.message.accountKeys.slice(2).every((k) => k.writable));

    const web3 = await connection.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    assert.equal(web3?.version, 0);
    assert.equal(web3?.meta?.loadedAddresses?.writable[0]?.toBase58(), destinations[0]?.toBase58());

    const unsupported = await failure(node.rpcUrl, "getTransaction", [sig, { commitment: "confirmed" }]);
    assert.equal(unsupported.code, -32015);
    assert.equal(
      unsupported.message,
      'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
    );
    await assert.rejects(
      connection.getTransaction(sig, { commitment: "confirmed" }),
      (e: unknown) => e instanceof SolanaJSONRPCError && e.code === -32015,
    );

    // An index past the table's end, and an address extended in the current slot, are invalid indexes.
    const invalidIndex = "invalid transaction: Transaction address table lookup uses an invalid index";
    const using = (addresses: PublicKey[], to: PublicKey, hash: string) => {
      const account = new AddressLookupTableAccount({ key: table, state: { ...lookup.state, addresses } });
      const m = new TransactionMessage({
        payerKey: alice.publicKey,
        recentBlockhash: hash,
        instructions: [
          SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
        ],
      }).compileToV0Message([account]);
      const v = new VersionedTransaction(m);
      v.sign([alice]);
      return base64(v.serialize());
    };
    const extra = Keypair.generate().publicKey;
    const past = await failure(node.rpcUrl, "sendTransaction", [
      using([...destinations, extra], extra, latest.blockhash),
      { encoding: "base64" },
    ]);
    assert.equal(past.code, -32602);
    assert.equal(past.message, invalidIndex);
    let sameSlot = false;
    for (let attempt = 0; attempt < 3 && !sameSlot; attempt++) {
      const fresh = Keypair.generate().publicKey;
      const hash = await blockhash();
      const before = await connection.getSlot("processed");
      const extendNow = sign(
        [
          AddressLookupTableProgram.extendLookupTable({
            payer: alice.publicKey,
            authority: alice.publicKey,
            lookupTable: table,
            addresses: [fresh],
          }),
        ],
        alice,
        hash,
      ).wire;
      const extended = await send(extendNow);
      const use = using([...destinations, fresh], fresh, hash);
      const now = await call(node.rpcUrl, "sendTransaction", [use, { encoding: "base64" }]);
      sameSlot = (await connection.getSlot("processed")) === before;
      if (sameSlot) {
        assert.equal(now.error?.code, -32602);
        assert.equal(now.error?.message, invalidIndex);
        // From the next slot on, the new address resolves.
        await reached(connection, extended, "confirmed");
        await send(Buffer.from(use, "base64"));
      }
      destinations.push(fresh);
      lookup.state.addresses.push(fresh);
    }
    assert.ok(sameSlot, "an extension and its use within one slot");
  });

  it("v0 naming a lookup table that does not exist → -32602 invalid transaction", async () => {
    const missing = new AddressLookupTableAccount({
      key: Keypair.generate().publicKey,
      state: {
        deactivationSlot: BigInt("18446744073709551615"),
        lastExtendedSlot: 0,
        lastExtendedSlotStartIndex: 0,
        authority: alice.publicKey,
        addresses: [bob.publicKey],
      },
    });
    const message = new TransactionMessage({
      payerKey: alice.publicKey,
      recentBlockhash: await blockhash(),
      instructions: [SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: bob.publicKey, lamports: 1 })],
    }).compileToV0Message([missing]);
    assert.equal(message.addressTableLookups.length, 1);
    const vtx = new VersionedTransaction(message);
    vtx.sign([alice]);
    const expected = "invalid transaction: Transaction loads an address table account that doesn't exist";
    for (const skipPreflight of [false, true]) {
      const err = await failure(node.rpcUrl, "sendTransaction", [
        base64(vtx.serialize()),
        { encoding: "base64", skipPreflight },
      ]);
      assert.equal(err.code, -32602);
      assert.equal(err.message, expected);
    }
    const sim = await failure(node.rpcUrl, "simulateTransaction", [base64(vtx.serialize()), { encoding: "base64" }]);
    assert.equal(sim.code, -32602);
    assert.equal(sim.message, expected);
  });
});

describe("conformance: transactions on a fast node (blockhash expiry, status cache)", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  before(async function () {
    localnetOnly(this, "it needs 10 ms slots (--slot-ms) to see a blockhash expire and the status cache move on");
    node = await spawnLocalnet({ slotMs: 10 });
    connection = node.connection("confirmed");
  });
  after(async () => {
    await node?.stop(); // not started when skipped
  });

  it("an expired blockhash: invalid, no fee quote, BlockhashNotFound; old statuses need searchTransactionHistory", async function () {
    this.timeout(20_000);
    const alice = node.wallet("alice");
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    const landed = signedTransfer(alice, Keypair.generate().publicKey, 1_000_000, blockhash).wire;
    const sig = await connection.sendRawTransaction(landed);
    await reached(connection, sig, "confirmed");
    const late = signedTransfer(alice, Keypair.generate().publicKey, 1_000_000, blockhash).wire;

    await until(
      "the blockhash to expire",
      async () => (await connection.getBlockHeight("processed")) > lastValidBlockHeight,
      15_000,
    );
    assert.equal((await connection.isBlockhashValid(blockhash)).value, false);
    const message = base64(late.subarray(65));
    assert.equal((await rpc<{ value: number | null }>(node.rpcUrl, "getFeeForMessage", [message])).value, null);
    const err = await failure(node.rpcUrl, "sendTransaction", [base64(late), { encoding: "base64" }]);
    assert.equal(err.code, -32002);
    assert.equal(err.message, "Transaction simulation failed: Blockhash not found");
    await assert.rejects(connection.sendRawTransaction(late), (e: unknown) => {
      assert.ok(e instanceof SendTransactionError);
      assert.match(e.message, /Blockhash not found/);
      return true;
    });

    // The status cache covers the last 300 slots; older statuses come from history.
    await until(
      "the status to leave the status cache",
      async () => (await connection.getSignatureStatus(sig)).value === null,
      15_000,
    );
    const searched = await connection.getSignatureStatus(sig, { searchTransactionHistory: true });
    assert.equal(searched.value?.confirmationStatus, "finalized");
    assert.equal(searched.value?.err, null);
  });
});
