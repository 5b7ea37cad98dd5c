// HTTP conformance: blocks — getBlock in its detail levels and encodings, getBlocks,
// getBlocksWithLimit, getBlockTime, getFirstAvailableBlock — and what a node with
// little history answers for what it no longer has.
import assert from "node:assert/strict";
import {
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  TransactionMessage,
  type VersionedAccountsModeBlockResponse,
  VersionedTransaction,
} from "@solana/web3.js";
import { type LocalnetProcess, localnetOnly, spawnLocalnet } from "../src/localnet.js";
import { failure, reached, rpc, send, signedTransfer, type TransactionJson, until } from "../src/localnet-client.js";

interface BlockJson {
  blockHeight: number | null;
  blockTime: number | null;
  blockhash: string;
  parentSlot: number;
  previousBlockhash: string;
  transactions?: Array<{
    transaction: unknown;
    meta: Record<string, unknown>;
    version?: "legacy" | 0;
  }>;
  signatures?: string[];
  rewards?: unknown[];
}

describe("conformance: blocks", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  let legacySig: string;
  let legacySlot: number;
  let v0Sig: string;
  let v0Slot: number;
  const block = (slot: number, cfg: Record<string, unknown> = {}) =>
    rpc<BlockJson>(node.rpcUrl, "getBlock", [slot, { commitment: "confirmed", ...cfg }]);
  const slotOf = async (signature: string) => (await connection.getSignatureStatus(signature)).value?.slot ?? -1;

  before(async () => {
    node = await spawnLocalnet();
    connection = node.connection("confirmed");
    const alice = node.wallet("alice");
    const latest = await connection.getLatestBlockhash();
    legacySig = await connection.sendRawTransaction(
      signedTransfer(alice, Keypair.generate().publicKey, LAMPORTS_PER_SOL, latest.blockhash).wire,
    );
    const message = new TransactionMessage({
      payerKey: alice.publicKey,
      recentBlockhash: latest.blockhash,
      instructions: [
        SystemProgram.transfer({
          fromPubkey: alice.publicKey,
          toPubkey: Keypair.generate().publicKey,
          lamports: LAMPORTS_PER_SOL,
        }),
      ],
    }).compileToV0Message();
    const v0 = new VersionedTransaction(message);
    v0.sign([alice]);
    // Not in the same block as the legacy one, so that block stays legacy-only.
    legacySlot = await slotOf(legacySig);
    await until("the next slot", async () => (await connection.getSlot("processed")) > legacySlot);
    v0Sig = await connection.sendTransaction(v0);
    await reached(connection, legacySig, "confirmed");
    await reached(connection, v0Sig, "confirmed");
    v0Slot = await slotOf(v0Sig);
    assert.notEqual(legacySlot, v0Slot);
  });
  after(async () => {
    await node.stop();
  });

  it("getBlock (full, json): the header, its parent, and its transactions with meta", async () => {
    const b = await block(legacySlot, { maxSupportedTransactionVersion: 0 });
    assert.equal(b.parentSlot, legacySlot - 1);
    assert.equal(new PublicKey(b.blockhash).toBase58(), b.blockhash);
    assert.ok(b.blockHeight !== null && b.blockHeight > 0);
    assert.ok(b.blockTime !== null && Math.abs(b.blockTime - Date.now() / 1000) < 60);
    assert.deepEqual(b.rewards, []);
    const parent = await block(legacySlot - 1);
    assert.equal(b.previousBlockhash, parent.blockhash);
    assert.equal(parent.blockHeight, (b.blockHeight ?? 0) - 1);

    const tx = b.transactions?.find(
      (t) => (t.transaction as TransactionJson["transaction"]).signatures[0] === legacySig,
    );
    assert.ok(tx, "the transaction is in its block");
    assert.equal(tx.version, "legacy");
    assert.equal(tx.meta.fee, 5000);
    assert.equal(tx.meta.err, null);
    assert.ok(Array.isArray(tx.meta.logMessages));
    const single = await rpc<TransactionJson>(node.rpcUrl, "getTransaction", [
      legacySig,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    assert.deepEqual(tx.meta, single.meta, "the same meta as getTransaction");
    assert.deepEqual(tx.transaction, single.transaction);

    // web3.js: getBlock with its structs, getBlockTime, getBlockHeight.
    const web3 = await connection.getBlock(legacySlot, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    assert.ok(web3?.transactions.some((t) => t.transaction.signatures[0] === legacySig));
    assert.equal(web3?.blockhash, b.blockhash);
    assert.equal(await connection.getBlockTime(legacySlot), b.blockTime);

    // base64 encoding of the same block.
    const encoded = await block(legacySlot, { encoding: "base64", maxSupportedTransactionVersion: 0 });
    const wire = encoded.transactions?.map((t) => t.transaction as [string, string]);
    assert.ok(wire?.every(([, enc]) => enc === "base64"));
    const b64 = await rpc<{ transaction: [string, string] }>(node.rpcUrl, "getTransaction", [
      legacySig,
      { commitment: "confirmed", encoding: "base64" },
    ]);
    assert.ok(wire?.some(([data]) => data === b64.transaction[0]));
  });

  it("getBlock transactionDetails signatures / none / accounts, and rewards: false", async () => {
    const sigs = await block(legacySlot, { transactionDetails: "signatures" });
    assert.ok(sigs.signatures?.includes(legacySig));
    assert.equal("transactions" in sigs, false);
    const none = await block(legacySlot, { transactionDetails: "none", rewards: false });
    assert.equal("transactions" in none, false);
    assert.equal("signatures" in none, false);
    assert.equal("rewards" in none, false);
    assert.equal(none.blockhash, sigs.blockhash);

    const accounts = await block(legacySlot, { transactionDetails: "accounts", maxSupportedTransactionVersion: 0 });
    const tx = accounts.transactions?.find(
      (t) => (t.transaction as { signatures: string[] }).signatures[0] === legacySig,
    );
    assert.ok(tx);
    const keys = (tx.transaction as { accountKeys: Array<Record<string, unknown>> }).accountKeys;
    const alice = node.wallet("alice").publicKey.toBase58();
    assert.deepEqual(keys[0], { pubkey: alice, writable: true, signer: true, source: "transaction" });
    assert.deepEqual(keys[2], {
      pubkey: SystemProgram.programId.toBase58(),
      writable: false,
      signer: false,
      source: "transaction",
    });
    assert.equal(tx.meta.fee, 5000);
    assert.equal((tx.meta.preBalances as number[]).length, 3);
    assert.equal((tx.meta.postBalances as number[])[1], LAMPORTS_PER_SOL);
    assert.equal("logMessages" in tx.meta, false, "accounts details carry no logs");
    assert.equal("innerInstructions" in tx.meta, false);
    assert.equal(tx.version, "legacy");

    // web3.js: "accounts" details through its own structs, and getBlockSignatures.
    // (web3.js's overloads resolve this call to the full block type: hence the cast.)
    const web3 = (await connection.getBlock(legacySlot, {
      commitment: "confirmed",
      transactionDetails: "accounts",
      maxSupportedTransactionVersion: 0,
      rewards: false,
    })) as VersionedAccountsModeBlockResponse | null;
    const web3Tx = web3?.transactions.find((t) => t.transaction.signatures[0] === legacySig);
    assert.ok(web3Tx?.transaction.accountKeys[0]?.signer);
    assert.equal(web3Tx?.meta?.fee, 5000);
    assert.ok((await connection.getBlockSignatures(legacySlot, "confirmed")).signatures.includes(legacySig));
  });

  it("a block with a v0 transaction: -32015 unless maxSupportedTransactionVersion, except for signatures", async () => {
    const err = await failure(node.rpcUrl, "getBlock", [v0Slot, { commitment: "confirmed" }]);
    assert.equal(err.code, -32015);
    assert.match(err.message, /^Transaction version \(0\) is not supported by the requesting client/);
    const accounts = await failure(node.rpcUrl, "getBlock", [
      v0Slot,
      { commitment: "confirmed", transactionDetails: "accounts" },
    ]);
    assert.equal(accounts.code, -32015);
    // Only signatures: nothing to encode, so any client may ask.
    const sigs = await block(v0Slot, { transactionDetails: "signatures" });
    assert.ok(sigs.signatures?.includes(v0Sig));
    const web3Sigs = await connection.getBlockSignatures(v0Slot, "confirmed");
    assert.ok(web3Sigs.signatures.includes(v0Sig));
    const full = await block(v0Slot, { maxSupportedTransactionVersion: 0 });
    const tx = full.transactions?.find((t) => (t.transaction as { signatures: string[] }).signatures[0] === v0Sig);
    assert.equal(tx?.version, 0);
    assert.deepEqual(tx?.meta.loadedAddresses, { writable: [], readonly: [] });
  });

  it("getBlock errors: a slot not yet confirmed, commitment processed, a bad slot", async () => {
    const confirmed = await connection.getSlot("confirmed");
    const future = confirmed + 10_000;
    const err = await failure(node.rpcUrl, "getBlock", [future, { commitment: "confirmed" }]);
    assert.equal(err.code, -32004);
    assert.equal(err.message, `Block not available for slot ${future}`);
    // A confirmed block is not yet available at finalized.
    const unfinalized = await failure(node.rpcUrl, "getBlock", [confirmed]);
    assert.equal(unfinalized.code, -32004);
    const processed = await failure(node.rpcUrl, "getBlock", [legacySlot, { commitment: "processed" }]);
    assert.equal(processed.code, -32602);
    assert.equal(processed.message, "Method does not support commitment below `confirmed`");
    const bad = await failure(node.rpcUrl, "getBlock", [-1]);
    assert.equal(bad.code, -32602);
    const badDetails = await failure(node.rpcUrl, "getBlock", [legacySlot, { transactionDetails: "most" }]);
    assert.equal(badDetails.code, -32602);
  });

  it("getBlocks and getBlocksWithLimit: every slot, ascending, bounded by the commitment", async () => {
    const confirmed = await connection.getSlot("confirmed");
    const start = Math.max(0, confirmed - 10);
    const blocks = await connection.getBlocks(start, confirmed, "confirmed");
    assert.deepEqual(
      blocks,
      Array.from({ length: confirmed - start + 1 }, (_, i) => start + i),
      "a block in every slot",
    );
    // Without an end, up to the commitment's slot; finalized by default.
    const finalized = await connection.getSlot("finalized");
    const open = await rpc<number[]>(node.rpcUrl, "getBlocks", [0]);
    assert.ok(open.length > 0);
    const last = open[open.length - 1] ?? -1;
    assert.ok(last <= (await connection.getSlot("finalized")) && last >= finalized, `${last} is the finalized slot`);
    assert.deepEqual(await rpc(node.rpcUrl, "getBlocks", [confirmed, confirmed - 5, { commitment: "confirmed" }]), []);

    const limited = await rpc<number[]>(node.rpcUrl, "getBlocksWithLimit", [start, 5, { commitment: "confirmed" }]);
    assert.deepEqual(limited, [start, start + 1, start + 2, start + 3, start + 4]);
    const tooFar = await failure(node.rpcUrl, "getBlocks", [0, 600_000]);
    assert.equal(tooFar.code, -32602);
    assert.equal(tooFar.message, "Slot range too large; max 500000");
    const tooMany = await failure(node.rpcUrl, "getBlocksWithLimit", [0, 600_000]);
    assert.equal(tooMany.code, -32602);
    const processed = await failure(node.rpcUrl, "getBlocks", [start, confirmed, { commitment: "processed" }]);
    assert.equal(processed.code, -32602);
  });

  it("getFirstAvailableBlock is genesis on a fresh node; getBlock(0) is the genesis block", async () => {
    assert.equal(await connection.getFirstAvailableBlock(), 0);
    const genesis = await block(0);
    assert.equal(genesis.parentSlot, 0);
    assert.equal(genesis.blockHeight, 0);
  });
});

describe("conformance: blocks on a node that keeps little history", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  before(async function () {
    localnetOnly(this, "it needs a node with 10 ms slots that keeps 50 blocks (--slot-ms, --history-blocks)");
    node = await spawnLocalnet({ slotMs: 10, extraArgs: ["--history-blocks", "50"] });
    connection = node.connection("confirmed");
  });
  after(async () => {
    await node?.stop(); // not started when skipped
  });

  it("cleaned-up blocks → -32001 with the first available block; their transactions are gone", async () => {
    const alice = node.wallet("alice");
    const { blockhash } = await connection.getLatestBlockhash();
    const sig = await send(
      node.rpcUrl,
      signedTransfer(alice, Keypair.generate().publicKey, LAMPORTS_PER_SOL, blockhash),
    );
    await reached(connection, sig, "confirmed");
    const slot = (await connection.getSignatureStatus(sig)).value?.slot ?? -1;
    await until("the block to be evicted", async () => (await connection.getFirstAvailableBlock()) > slot);

    const first = await connection.getFirstAvailableBlock();
    const err = await failure(node.rpcUrl, "getBlock", [slot, { commitment: "confirmed" }]);
    assert.equal(err.code, -32001);
    assert.match(
      err.message,
      new RegExp(`^Block ${slot} cleaned up, does not exist on node\\. First available block: \\d+$`),
    );
    const firstOf = Number(err.message.split(": ")[1]);
    assert.ok(firstOf >= first);
    assert.equal(
      await rpc(node.rpcUrl, "getTransaction", [sig, { commitment: "confirmed" }]),
      null,
      "an evicted transaction is not found",
    );
    // getBlocks starts at the first available block (which moves on every 10 ms here).
    const before = await connection.getFirstAvailableBlock();
    const blocks = await connection.getBlocks(0, undefined, "confirmed");
    const after = await connection.getFirstAvailableBlock();
    assert.ok((blocks[0] ?? -1) >= before && (blocks[0] ?? -1) <= after, `${blocks[0]} in [${before}, ${after}]`);
  });
});
