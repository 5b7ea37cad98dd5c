// HTTP conformance: cluster, slot, blockhash and fee methods and the JSON-RPC
// envelope, through web3.js, @solana/kit and raw JSON-RPC, checked against what
// Agave's RPC answers.
import assert from "node:assert/strict";
import {
  createSolanaRpc,
  isSolanaError,
  address as kitAddress,
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_MIN_CONTEXT_SLOT_NOT_REACHED,
} from "@solana/kit";
import {
  ComputeBudgetProgram,
  type Connection,
  Keypair,
  PublicKey,
  SolanaJSONRPCError,
  SystemProgram,
  Transaction,
} from "@solana/web3.js";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";
import { base64, call, failure, rpc, until } from "../src/localnet-client.js";

describe("conformance: cluster methods and the JSON-RPC envelope", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  before(async () => {
    node = await spawnLocalnet();
    connection = node.connection("confirmed");
  });
  after(async () => {
    await node.stop();
  });

  it("getVersion, getHealth (RPC and GET /health), getGenesisHash, getIdentity", async () => {
    const version = await connection.getVersion();
    assert.match(version["solana-core"], /^\d+\.\d+\.\d+/);
    assert.equal(typeof version["feature-set"], "number");
    assert.equal(await rpc(node.rpcUrl, "getHealth"), "ok");
    const health = await fetch(`${node.rpcUrl}/health`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), "ok");

    const genesis = await connection.getGenesisHash();
    assert.equal(new PublicKey(genesis).toBase58(), genesis, "a base58 32-byte hash");
    assert.equal(await connection.getGenesisHash(), genesis, "stable");
    const identity = await rpc<{ identity: string }>(node.rpcUrl, "getIdentity");
    assert.doesNotThrow(() => new PublicKey(identity.identity));
  });

  it("getSlot and getBlockHeight: processed ≥ confirmed ≥ finalized, and they advance", async () => {
    const [processed, confirmed, finalized] = await Promise.all([
      connection.getSlot("processed"),
      connection.getSlot("confirmed"),
      connection.getSlot("finalized"),
    ]);
    assert.ok(processed >= confirmed && confirmed > finalized, `${processed} ≥ ${confirmed} > ${finalized}`);
    // The default commitment of a raw request is finalized.
    const raw = await rpc<number>(node.rpcUrl, "getSlot");
    assert.ok(raw >= finalized && raw < confirmed, `raw getSlot ${raw} is the finalized slot`);
    const height = await connection.getBlockHeight("confirmed");
    assert.ok(height > 0);
    await until("the slot to advance", async () => (await connection.getSlot("confirmed")) > confirmed + 1);
    assert.ok((await connection.getBlockHeight("confirmed")) > height);
  });

  it("getEpochInfo agrees with getSlot and getEpochSchedule", async () => {
    const schedule = await connection.getEpochSchedule();
    const info = await connection.getEpochInfo("confirmed");
    const slot = await connection.getSlot("confirmed");
    assert.equal(info.slotsInEpoch, schedule.slotsPerEpoch);
    assert.ok(info.absoluteSlot <= slot && info.absoluteSlot > slot - 20);
    assert.equal(info.epoch * info.slotsInEpoch + info.slotIndex, info.absoluteSlot);
    assert.ok(info.blockHeight !== undefined && info.blockHeight <= info.absoluteSlot);
    // Genesis landed the dev wallets' funding, the USDC mint and one ATA each.
    assert.ok((info.transactionCount ?? 0) >= 12, `transactionCount ${info.transactionCount}`);
  });

  it("minContextSlot beyond the node's slot → -32016 with the context slot", async () => {
    const slot = await connection.getSlot("confirmed");
    const err = await failure(node.rpcUrl, "getSlot", [{ commitment: "confirmed", minContextSlot: slot + 1_000_000 }]);
    assert.equal(err.code, -32016);
    assert.equal(err.message, "Minimum context slot has not been reached");
    const contextSlot = (err.data as { contextSlot: number }).contextSlot;
    assert.ok(contextSlot >= slot && contextSlot < slot + 1_000_000);
    // web3.js surfaces it as a SolanaJSONRPCError with the code.
    await assert.rejects(
      connection.getBalanceAndContext(Keypair.generate().publicKey, { minContextSlot: slot + 1_000_000 }),
      (e: unknown) => e instanceof SolanaJSONRPCError && e.code === -32016,
    );
    // A reached minContextSlot is fine.
    assert.ok((await connection.getSlot({ minContextSlot: slot })) >= slot);
  });

  it("getLatestBlockhash and isBlockhashValid", async () => {
    const { context, value } = await connection.getLatestBlockhashAndContext("confirmed");
    assert.equal(new PublicKey(value.blockhash).toBase58(), value.blockhash);
    const height = await connection.getBlockHeight("confirmed");
    // A blockhash is valid for 150 blocks after the block that made it.
    const left = value.lastValidBlockHeight - height;
    assert.ok(left > 140 && left <= 151, `valid for ${left} more blocks`);
    assert.ok(context.slot > 0);
    assert.equal((await connection.isBlockhashValid(value.blockhash)).value, true);
    const random = Keypair.generate().publicKey.toBase58();
    assert.equal((await connection.isBlockhashValid(random)).value, false);
    // Agave's message is Hash::from_str's error alone.
    const err = await failure(node.rpcUrl, "isBlockhashValid", ["not-a-hash"]);
    assert.equal(err.code, -32602);
    assert.equal(err.message, "Invalid");
    const short = await failure(node.rpcUrl, "isBlockhashValid", ["1111"]);
    assert.equal(short.message, "WrongSize");

    // Finalized lags confirmed: its newest blockhash is an older one.
    const finalized = await connection.getLatestBlockhash("finalized");
    const confirmed = await connection.getLatestBlockhash("confirmed");
    assert.ok(finalized.lastValidBlockHeight < confirmed.lastValidBlockHeight);
  });

  it("getFeeForMessage: 5000 lamports a signature plus the priority fee; null for an unknown blockhash", async () => {
    const alice = node.wallet("alice");
    const bob = node.wallet("bob");
    const { blockhash } = await connection.getLatestBlockhash("confirmed");
    const message = (ixs: Transaction, signers: PublicKey) => {
      ixs.feePayer = signers;
      ixs.recentBlockhash = blockhash;
      return ixs.compileMessage();
    };
    const transfer = (from: PublicKey, to: PublicKey) =>
      SystemProgram.transfer({ fromPubkey: from, toPubkey: to, lamports: 1 });

    const one = message(new Transaction().add(transfer(alice.publicKey, bob.publicKey)), alice.publicKey);
    assert.equal((await connection.getFeeForMessage(one, "confirmed")).value, 5000);

    const two = message(
      new Transaction().add(
        transfer(alice.publicKey, Keypair.generate().publicKey),
        transfer(bob.publicKey, alice.publicKey),
      ),
      alice.publicKey,
    );
    assert.equal((await connection.getFeeForMessage(two, "confirmed")).value, 10_000);

    // 300 CU at 1,000,000 micro-lamports each: 300 lamports on top.
    const priced = message(
      new Transaction().add(
        ComputeBudgetProgram.setComputeUnitLimit({ units: 300 }),
        ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1_000_000 }),
        transfer(alice.publicKey, bob.publicKey),
      ),
      alice.publicKey,
    );
    assert.equal((await connection.getFeeForMessage(priced, "confirmed")).value, 5300);

    const stale = new Transaction().add(transfer(alice.publicKey, bob.publicKey));
    stale.feePayer = alice.publicKey;
    stale.recentBlockhash = Keypair.generate().publicKey.toBase58();
    const unknown = await rpc<{ value: number | null }>(node.rpcUrl, "getFeeForMessage", [
      base64(stale.compileMessage().serialize()),
      { commitment: "confirmed" },
    ]);
    assert.equal(unknown.value, null);

    const garbage = await failure(node.rpcUrl, "getFeeForMessage", [base64(new Uint8Array([1, 2, 3]))]);
    assert.equal(garbage.code, -32602);
    assert.match(garbage.message, /^failed to deserialize solana_message::versioned::VersionedMessage: /);
  });

  it("getMinimumBalanceForRentExemption matches mainnet's rent", async () => {
    assert.equal(await connection.getMinimumBalanceForRentExemption(0), 890_880);
    assert.equal(await connection.getMinimumBalanceForRentExemption(82), 1_461_600);
    assert.equal(await connection.getMinimumBalanceForRentExemption(165), 2_039_280);
    const err = await failure(node.rpcUrl, "getMinimumBalanceForRentExemption", [-1]);
    assert.equal(err.code, -32602);
  });

  it("the envelope: unknown method, bad params, parse errors, invalid requests, batches, notifications", async () => {
    const unknown = await failure(node.rpcUrl, "getNothingAtAll", []);
    assert.equal(unknown.code, -32601);
    assert.equal(unknown.message, "Method not found");

    const badKey = await failure(node.rpcUrl, "getBalance", ["definitely-not-a-key"]);
    assert.equal(badKey.code, -32602);
    assert.equal(badKey.message, "Invalid param: Invalid");
    const shortKey = await failure(node.rpcUrl, "getBalance", ["1111"]);
    assert.equal(shortKey.code, -32602);
    assert.equal(shortKey.message, "Invalid param: WrongSize");
    const missing = await failure(node.rpcUrl, "getBalance", []);
    assert.equal(missing.code, -32602);
    assert.match(missing.message, /^Invalid params/);
    const wrongType = await failure(node.rpcUrl, "getBlock", ["ten"]);
    assert.equal(wrongType.code, -32602);
    assert.match(wrongType.message, /invalid type/);
    const badCommitment = await failure(node.rpcUrl, "getSlot", [{ commitment: "eventually" }]);
    assert.equal(badCommitment.code, -32602);
    assert.match(badCommitment.message, /unknown variant `eventually`/);
    const byName = await call(node.rpcUrl, "getBalance", undefined);
    assert.equal(byName.error?.code, -32602);

    const post = (body: string) =>
      fetch(node.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    const parse = (await (await post("{not json")).json()) as { error: { code: number; message: string }; id: null };
    assert.equal(parse.error.code, -32700);
    assert.equal(parse.error.message, "Parse error");
    assert.equal(parse.id, null);

    const invalid = (await (await post(JSON.stringify({ jsonrpc: "1.0", id: 5, method: "getSlot" }))).json()) as {
      error: { code: number };
      id: number;
    };
    assert.equal(invalid.error.code, -32600);
    assert.equal(invalid.id, 5);

    const batch = (await (
      await post(
        JSON.stringify([
          { jsonrpc: "2.0", id: "a", method: "getHealth" },
          { jsonrpc: "2.0", id: "b", method: "nope" },
          { jsonrpc: "2.0", method: "getSlot" },
          { jsonrpc: "2.0", id: 3, method: "getGenesisHash" },
        ]),
      )
    ).json()) as Array<{ id: string | number; result?: unknown; error?: { code: number } }>;
    assert.deepEqual(
      batch.map((r) => r.id),
      ["a", "b", 3],
      "one reply per request with an id, in order",
    );
    assert.equal(batch[0]?.result, "ok");
    assert.equal(batch[1]?.error?.code, -32601);
    assert.equal(batch[2]?.result, await connection.getGenesisHash());

    const notification = await post(JSON.stringify({ jsonrpc: "2.0", method: "getSlot" }));
    assert.equal(notification.status, 200);
    assert.equal(await notification.text(), "");

    const get = await fetch(node.rpcUrl);
    assert.equal(get.status, 405);
  });

  it("@solana/kit's createSolanaRpc: u64s as bigints, rentEpoch u64::MAX, typed errors", async () => {
    const kit = createSolanaRpc(node.rpcUrl);
    const slot = await kit.getSlot({ commitment: "confirmed" }).send();
    assert.equal(typeof slot, "bigint");
    assert.ok(slot > 0n);
    const alice = kitAddress(node.wallet("alice").publicKey.toBase58());
    const balance = await kit.getBalance(alice, { commitment: "confirmed" }).send();
    assert.equal(typeof balance.value, "bigint");
    assert.ok(balance.value > 900n * 1_000_000_000n);
    assert.equal(typeof balance.context.slot, "bigint");

    const account = await kit.getAccountInfo(alice, { commitment: "confirmed", encoding: "base64" }).send();
    assert.ok(account.value);
    // Agave writes u64::MAX; kit's parser keeps it exact as a bigint (its types no longer declare the field).
    const { rentEpoch } = account.value as unknown as { rentEpoch: bigint };
    assert.equal(rentEpoch, 18_446_744_073_709_551_615n, "u64::MAX, without losing precision");
    assert.equal(account.value.owner, "11111111111111111111111111111111");
    assert.deepEqual(account.value.data, ["", "base64"]);
    assert.equal(account.value.space, 0n);

    const { value: latest } = await kit.getLatestBlockhash({ commitment: "confirmed" }).send();
    assert.equal(typeof latest.lastValidBlockHeight, "bigint");
    assert.equal((await kit.isBlockhashValid(latest.blockhash, { commitment: "confirmed" }).send()).value, true);

    const version = await kit.getVersion().send();
    assert.equal(version["solana-core"], (await connection.getVersion())["solana-core"]);

    await assert.rejects(kit.getSlot({ minContextSlot: slot + 10_000_000n }).send(), (e: unknown) =>
      isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_MIN_CONTEXT_SLOT_NOT_REACHED),
    );
    await assert.rejects(kit.getBalance(alice, { commitment: "bogus" as "confirmed" }).send(), (e: unknown) =>
      isSolanaError(e, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS),
    );
  });
});
