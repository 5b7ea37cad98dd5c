// --state DIR: the ledger survives a clean stop (balances, history, slot, genesis
// hash, replay protection), --reset goes back to genesis, and a SIGKILL at any
// moment of a stream of transactions leaves a state that loads and is consistent:
// balances are genesis plus exactly the transactions the restarted node knows.
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Keypair, LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";
import { type LocalnetProcess, type SpawnOptions, spawnLocalnet } from "../src/localnet.js";
import {
  Blockhashes,
  call,
  getBalance,
  getSlot,
  getTokenAmount,
  rpc,
  type Signed,
  send,
  sendRaw,
  sign,
  signedTransfer,
  sleep,
  statuses,
  tokenTransferIx,
  transferIx,
  until,
  waitForSlot,
} from "../src/localnet-client.js";

const GENESIS_SOL = 1000 * LAMPORTS_PER_SOL;
const GENESIS_USDC = 1_000_000n * 1_000_000n;
const FEE = 5000;

interface Sent {
  signature: string;
  kind: "sol" | "token";
  amount: number;
}

describe("localnet persistence (--state DIR)", function () {
  this.timeout(60_000);
  let root: string;
  let walletsDir: string;
  let stateDir: string;
  let node: LocalnetProcess | null = null;

  /** Starts the node on the suite's state and wallet directories. */
  const start = async (opts: SpawnOptions = {}) => {
    node = await spawnLocalnet({ stateDir, walletsDir, slotMs: 20, finality: 2, ...opts });
    return node;
  };
  const stop = async () => {
    const code = await node?.stop();
    node = null;
    return code;
  };

  before(() => {
    root = mkdtempSync(join(tmpdir(), "ece-state-"));
    walletsDir = join(root, "wallets");
    // Not created beforehand: the node makes it.
    stateDir = join(root, "state", "ledger");
  });
  afterEach(async () => {
    if (node) await node.kill();
    node = null;
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  describe("a clean stop (SIGTERM) and restart", () => {
    const sigs: string[] = [];
    const recorded = new Map<string, unknown>();
    let genesisHash = "";
    let target: PublicKey;
    let last: Signed;
    let before: Record<string, unknown> = {};
    let slotBefore = 0;
    let transactionCountBefore = 0;
    let oldBlockhash = "";

    const balances = async (url: string, commitment = "processed") => {
      const alice = keypair("alice");
      const bob = keypair("bob");
      const usdc = new PublicKey((node as LocalnetProcess).usdcMint);
      return {
        alice: await getBalance(url, alice.publicKey, commitment),
        bob: await getBalance(url, bob.publicKey, commitment),
        target: await getBalance(url, target, commitment),
        aliceUsdc: await getTokenAmount(url, getAssociatedTokenAddressSync(usdc, alice.publicKey)),
        bobUsdc: await getTokenAmount(url, getAssociatedTokenAddressSync(usdc, bob.publicKey)),
      };
    };
    const keypair = (name: string): Keypair => (node as LocalnetProcess).wallet(name);

    it("starts fresh in a directory that does not exist yet, and keeps what is sent", async () => {
      const n = await start();
      assert.equal(n.fresh, true);
      const url = n.rpcUrl;
      genesisHash = await rpc<string>(url, "getGenesisHash");
      const alice = keypair("alice");
      const bob = keypair("bob");
      const usdc = new PublicKey(n.usdcMint);
      target = newKeypair().publicKey;
      const blockhashes = new Blockhashes(url);
      oldBlockhash = await blockhashes.get();
      for (let i = 1; i <= 5; i++) {
        sigs.push(await send(url, signedTransfer(alice, target, i * 1_000_000, oldBlockhash)));
      }
      for (let i = 1; i <= 3; i++) {
        sigs.push(
          await send(
            url,
            sign([tokenTransferIx(usdc, alice.publicKey, bob.publicKey, BigInt(i * 1000))], alice, oldBlockhash),
          ),
        );
      }
      // One that lands and fails: its error is history too.
      const poor = newKeypair();
      sigs.push(await send(url, signedTransfer(alice, poor.publicKey, 1_000_000, oldBlockhash)));
      const failing = signedTransfer(poor, target, 5 * LAMPORTS_PER_SOL, oldBlockhash);
      sigs.push(await send(url, failing, { skipPreflight: true }));

      const statusList = await statuses(url, sigs);
      await waitForSlot(url, Math.max(...statusList.map((s) => s?.slot ?? 0)), "confirmed");
      for (const sig of sigs) {
        const tx = await rpc(url, "getTransaction", [
          sig,
          { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
        ]);
        assert.ok(tx, `${sig} is confirmed`);
        recorded.set(sig, tx);
      }
      assert.deepEqual((recorded.get(failing.signature) as { meta: { err: unknown } }).meta.err, {
        InstructionError: [0, { Custom: 1 }],
      });
      // The last transfer is sent right before SIGTERM: still in the working slot.
      last = signedTransfer(alice, target, 777, oldBlockhash);
      await send(url, last);
      before = await balances(url);
      slotBefore = await getSlot(url, "processed");
      transactionCountBefore = await rpc<number>(url, "getTransactionCount", [{ commitment: "processed" }]);
      assert.equal(await stop(), 0, "exit code 0 on SIGTERM");
      assert.ok(existsSync(join(stateDir, "ledger.bin")) && existsSync(join(stateDir, "blocks.ndjson")));
      assert.ok(!existsSync(join(stateDir, "ledger.bin.tmp")), "no temporary file left behind");
    });

    it("restores balances, transactions, signatures per address, slot and genesis hash", async () => {
      const n = await start();
      const url = n.rpcUrl;
      assert.equal(n.fresh, false);
      assert.equal(await rpc(url, "getGenesisHash"), genesisHash);
      assert.ok((await getSlot(url, "processed")) > slotBefore, "the slot continues");
      assert.ok(
        (await rpc<number>(url, "getTransactionCount", [{ commitment: "processed" }])) >= transactionCountBefore,
      );
      assert.deepEqual(await balances(url), before);
      assert.deepEqual(await balances(url, "finalized"), before, "and at finalized");
      for (const [sig, tx] of recorded) {
        assert.deepEqual(
          await rpc(url, "getTransaction", [sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 }]),
          tx,
          `getTransaction(${sig}) after the restart`,
        );
      }
      const [lastStatus] = await statuses(url, [last.signature]);
      assert.ok(lastStatus, "the transfer sent right before SIGTERM was kept");
      assert.equal(lastStatus.err, null);
      assert.equal(lastStatus.confirmationStatus, "finalized", "restored slots are final before the node serves");

      const forTarget = await rpc<Array<{ signature: string; slot: number; err: unknown }>>(
        url,
        "getSignaturesForAddress",
        [target.toBase58(), { commitment: "confirmed" }],
      );
      const expectedForTarget = [...sigs.slice(0, 5), sigs[9], last.signature].reverse();
      assert.deepEqual(
        forTarget.map((s) => s.signature),
        expectedForTarget,
        "newest first, every transaction that touched the address",
      );
      const first = recorded.get(sigs[0] as string) as { slot: number };
      const block = await rpc<{ signatures: string[] }>(url, "getBlock", [
        first.slot,
        { transactionDetails: "signatures", rewards: false, maxSupportedTransactionVersion: 0 },
      ]);
      assert.ok(block.signatures.includes(sigs[0] as string), "its block is there too");

      // Replay protection survives the restart, and old blockhashes are still recent.
      const replay = signedTransfer(keypair("alice"), target, 1_000_000, oldBlockhash);
      assert.equal(replay.signature, sigs[0], "the same transaction as the first transfer");
      const again = await sendRaw(url, replay.base64);
      assert.equal(again.error?.code, -32002);
      assert.match(again.error?.message ?? "", /already been processed/);
      const valid = await rpc<{ value: boolean }>(url, "isBlockhashValid", [oldBlockhash, { commitment: "processed" }]);
      assert.equal(valid.value, true, "a blockhash from before the restart is still valid");
      await send(url, signedTransfer(keypair("alice"), target, 888, oldBlockhash));
      assert.equal(await getBalance(url, target), (before.target as number) + 888);
      assert.equal(await stop(), 0);
    });

    it("--reset goes back to genesis and deletes only the ledger's own files", async () => {
      writeFileSync(join(stateDir, "notes.txt"), "not the ledger's\n");
      const n = await start({ reset: true });
      const url = n.rpcUrl;
      assert.equal(n.fresh, true);
      assert.notEqual(await rpc(url, "getGenesisHash"), genesisHash, "a new genesis");
      assert.deepEqual(await statuses(url, [...sigs, last.signature]), new Array(sigs.length + 1).fill(null));
      assert.equal(await rpc(url, "getTransaction", [sigs[0], { commitment: "confirmed" }]), null);
      assert.deepEqual(await balances(url), {
        alice: GENESIS_SOL,
        bob: GENESIS_SOL,
        target: 0,
        aliceUsdc: GENESIS_USDC,
        bobUsdc: GENESIS_USDC,
      });
      assert.equal(readFileSync(join(stateDir, "notes.txt"), "utf8"), "not the ledger's\n");
      assert.equal(await stop(), 0);
    });
  });

  describe("SIGKILL and torn files", () => {
    const sent: Sent[] = [];
    let genesisHash = "";

    /** Checks the restarted node against genesis + the transactions it knows; returns how many it knows. */
    async function assertConsistent(n: LocalnetProcess): Promise<number> {
      const url = n.rpcUrl;
      const known = await statuses(
        url,
        sent.map((s) => s.signature),
      );
      const firstUnknown = known.indexOf(null);
      const count = firstUnknown === -1 ? known.length : firstUnknown;
      assert.ok(
        known.slice(count).every((s) => s === null),
        `the known transactions are a prefix of those sent, in order (first unknown: ${firstUnknown}): ${JSON.stringify(known.map((k, i) => [i, sent[i]?.kind, k?.slot ?? null]))}`,
      );
      assert.ok(
        known.slice(0, count).every((s) => s?.err === null),
        "every known transaction succeeded",
      );
      const landed = sent.slice(0, count);
      const sol = landed.filter((s) => s.kind === "sol").reduce((t, s) => t + s.amount, 0);
      const token = landed.filter((s) => s.kind === "token").reduce((t, s) => t + BigInt(s.amount), 0n);
      const alice = n.wallet("alice").publicKey;
      const carol = n.wallet("carol").publicKey;
      const usdc = new PublicKey(n.usdcMint);
      assert.deepEqual(
        {
          alice: await getBalance(url, alice),
          carol: await getBalance(url, carol),
          aliceUsdc: await getTokenAmount(url, getAssociatedTokenAddressSync(usdc, alice)),
          carolUsdc: await getTokenAmount(url, getAssociatedTokenAddressSync(usdc, carol)),
        },
        {
          alice: GENESIS_SOL - sol - FEE * count,
          carol: GENESIS_SOL + sol,
          aliceUsdc: GENESIS_USDC - token,
          carolUsdc: GENESIS_USDC + token,
        },
        `balances are genesis plus exactly the ${count} known transactions`,
      );
      // History agrees: alice's signatures from the stream are exactly the known ones, newest first.
      const newest = known[count - 1];
      if (newest) await waitForSlot(url, newest.slot, "confirmed");
      const ours = new Set(sent.map((s) => s.signature));
      const history: string[] = [];
      let beforeSig: string | undefined;
      for (;;) {
        const page = await rpc<Array<{ signature: string }>>(url, "getSignaturesForAddress", [
          alice.toBase58(),
          { commitment: "confirmed", limit: 1000, ...(beforeSig ? { before: beforeSig } : {}) },
        ]);
        history.push(...page.map((p) => p.signature));
        if (page.length < 1000) break;
        beforeSig = page[page.length - 1]?.signature;
      }
      assert.deepEqual(
        history.filter((s) => ours.has(s)),
        landed.map((s) => s.signature).reverse(),
      );
      assert.equal(await rpc(url, "getGenesisHash"), genesisHash, "the same chain");
      if (count > 0) {
        const [lastKnown] = await statuses(url, [sent[count - 1]?.signature as string]);
        assert.ok((await getSlot(url, "processed")) > (lastKnown?.slot as number), "the slot continues");
      }
      return count;
    }

    /** Sends transfers alice → carol, SOL and USDC alternately, one after another, until the node dies. */
    async function stream(n: LocalnetProcess, stopAt: { dead: boolean; acknowledged: number }): Promise<number> {
      const url = n.rpcUrl;
      const alice = n.wallet("alice");
      const carol = n.wallet("carol").publicKey;
      const usdc = new PublicKey(n.usdcMint);
      const blockhashes = new Blockhashes(url);
      let acknowledged = 0;
      while (!stopAt.dead) {
        const i = sent.length;
        const kind = i % 2 === 0 ? "sol" : "token";
        const amount = kind === "sol" ? 1_000_000 + i : 1 + i;
        let blockhash: string;
        try {
          blockhash = await blockhashes.get();
        } catch {
          break;
        }
        const ix =
          kind === "sol"
            ? transferIx(alice.publicKey, carol, amount)
            : tokenTransferIx(usdc, alice.publicKey, carol, BigInt(amount));
        const tx = sign([ix], alice, blockhash);
        sent.push({ signature: tx.signature, kind, amount });
        try {
          const reply = await sendRaw(url, tx.base64);
          if (reply.error) throw new Error(`sendTransaction: ${reply.error.message}`);
          acknowledged += 1;
          stopAt.acknowledged = acknowledged;
        } catch (e) {
          if (stopAt.dead) break;
          throw e;
        }
      }
      return acknowledged;
    }

    it("a SIGKILL in the middle of a stream of transactions loses nothing half-applied (3 kills)", async () => {
      let n = await start({ reset: true, slotMs: 10 });
      genesisHash = await rpc<string>(n.rpcUrl, "getGenesisHash");
      let knownBefore = 0;
      for (const [round, target] of [20, 40, 60].entries()) {
        const flag = { dead: false, acknowledged: 0 };
        const running = stream(n, flag);
        await until(`${target} transactions acknowledged`, () => flag.acknowledged >= target);
        // Then at some point within the next slots: mid-block, mid-save or between.
        await sleep(round * 7);
        flag.dead = true;
        await n.kill();
        const acknowledged = await running;
        assert.ok(acknowledged >= target);
        n = await start({ slotMs: 10 });
        assert.equal(n.fresh, false);
        const known = await assertConsistent(n);
        assert.ok(known >= knownBefore, "what was known before the kill is still known");
        assert.ok(known > knownBefore, "and some of this stream was saved");
        // The lost ones stay lost: a client would sign them again, with new blockhashes.
        sent.splice(known);
        knownBefore = known;
      }
      // The restarted node carries on, and a clean stop after a kill keeps everything.
      const flag = { dead: false, acknowledged: 0 };
      const running = stream(n, flag);
      await until("10 more", () => flag.acknowledged >= 10);
      flag.dead = true;
      await running;
      assert.equal(await stop(), 0);
      n = await start();
      assert.equal(await assertConsistent(n), sent.length, "after SIGTERM every acknowledged transaction is known");
      assert.equal(await stop(), 0);
    });

    it("loads past a torn last line of blocks.ndjson and a half-written snapshot file", async () => {
      const blocks = join(stateDir, "blocks.ndjson");
      // A kill while appending a block, and one while writing the next snapshot.
      appendFileSync(blocks, '{"block":{"slot":99999999,"parentSlot":99999998,"blockhash":"4vJ9');
      writeFileSync(join(stateDir, "ledger.bin.tmp"), Buffer.alloc(4096, 0xab));
      let n = await start();
      assert.equal(n.fresh, false);
      assert.equal(await assertConsistent(n), sent.length);
      const alice = n.wallet("alice");
      const carol = n.wallet("carol").publicKey;
      const blockhash = await new Blockhashes(n.rpcUrl).get();
      const tx = signedTransfer(alice, carol, 4_242, blockhash);
      sent.push({ signature: await send(n.rpcUrl, tx), kind: "sol", amount: 4_242 });
      const [status] = await statuses(n.rpcUrl, [tx.signature]);
      // Let the block with it be confirmed and a few empty ones follow, then stop.
      await waitForSlot(n.rpcUrl, (status?.slot as number) + 3, "confirmed");
      assert.equal(await stop(), 0);
      const text = readFileSync(blocks, "utf8");
      assert.ok(text.endsWith("\n"));
      const lines = text.split("\n").slice(0, -1);
      for (const line of lines) JSON.parse(line);
      assert.ok(
        !text.includes('"slot":99999999'),
        `the torn line was dropped when the log was rewritten: ${text.slice(text.indexOf("99999999") - 200, text.indexOf("99999999") + 100)}`,
      );

      // The last line cut in half (an empty block's): the node still loads and serves.
      const lastLine = lines[lines.length - 1] as string;
      assert.deepEqual((JSON.parse(lastLine) as { txs: unknown[] }).txs, [], "the last block is empty");
      writeFileSync(blocks, text.slice(0, text.length - 1 - Math.floor(lastLine.length / 2)));
      n = await start();
      assert.equal(n.fresh, false);
      assert.equal(await assertConsistent(n), sent.length);
      const after = signedTransfer(alice, carol, 4_343, await new Blockhashes(n.rpcUrl).get());
      sent.push({ signature: await send(n.rpcUrl, after), kind: "sol", amount: 4_343 });
      assert.equal(await assertConsistent(n), sent.length);
      const health = await call(n.rpcUrl, "getHealth");
      assert.equal(health.result, "ok");
      assert.equal(await stop(), 0);
    });
  });
});
