import assert from "node:assert/strict";
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, sendAndConfirmTransaction, Transaction } from "@solana/web3.js";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";

describe("localnet smoke", () => {
  let node: LocalnetProcess;
  before(async () => {
    node = await spawnLocalnet();
  });
  after(async () => {
    await node.stop();
  });

  it("transfers SOL through web3.js Connection", async () => {
    const connection = node.connection();
    const alice = node.wallet("alice");
    const to = Keypair.generate().publicKey;
    const tx = new Transaction().add(
      SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
    );
    const sig = await sendAndConfirmTransaction(connection, tx, [alice]);
    assert.equal(await connection.getBalance(to), LAMPORTS_PER_SOL);
    const got = await connection.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    assert.equal(got?.meta?.err, null);
    assert.equal(got?.meta?.postBalances[1], LAMPORTS_PER_SOL);
  });
});
