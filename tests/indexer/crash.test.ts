// Exactly once across crashes: the indexer is SIGKILLed at random moments while
// the chain takes a stream of program transactions, and restarted each time.
import assert from "node:assert/strict";
import type { TrafficStats } from "../../scripts/src/traffic/index.js";
import { chainSignatures, type IndexerProcess, runIndexerCli, spawnIndexer, untilMirrored } from "../src/indexer.js";
import { type IndexerStack, startIndexerStack } from "../src/indexer-stack.js";

const KILLS = 12;

describe("indexer: SIGKILL at random moments", function () {
  this.timeout(240_000);
  let stack: IndexerStack;
  let indexer: IndexerProcess;
  let stats: TrafficStats;
  let killed = 0;
  /** Mirrored rows at each kill: growing between kills shows they hit a working indexer. */
  const rowsAtKill: number[] = [];

  before(async () => {
    stack = await startIndexerStack("crash");
    indexer = await spawnIndexer(stack.target, ["--batch-size", "40"]);
    const stream = stack.traffic.run({ count: 2500, rate: 250 });
    let streaming = true;
    void stream.finally(() => {
      streaming = false;
    });
    // Seeded so a failure can be replayed: the moments differ, the count does not.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    while (killed < KILLS) {
      await new Promise((r) => setTimeout(r, 150 + random() * 700));
      await indexer.kill();
      killed++;
      const { rows } = await stack.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM chain_transactions");
      rowsAtKill.push(Number(rows[0]?.n));
      indexer = await spawnIndexer(stack.target, ["--batch-size", "40"]);
      if (!streaming && killed >= KILLS) break;
    }
    stats = await stream;
    await untilMirrored(stack.db.pool, stats.signatures, 120_000);
  });
  after(async () => {
    await indexer?.stop();
    await stack?.stop();
  });

  it(`was killed ${KILLS} times while the transactions streamed in`, () => {
    assert.equal(killed, KILLS);
    assert.ok(stats.signatures.length >= 2000);
    const grew = rowsAtKill.filter((n, i) => i > 0 && n > (rowsAtKill[i - 1] ?? 0)).length;
    assert.ok(grew >= KILLS / 2, `rows at each kill: ${rowsAtKill.join(", ")}`);
  });

  it("has every transaction exactly once: none missing, none extra", async () => {
    const chain = await chainSignatures(stack.localnet.rpcUrl, stack.followed);
    const { rows } = await stack.db.pool.query<{ signature: string }>("SELECT signature FROM chain_transactions");
    assert.equal(rows.length, chain.size);
    assert.deepEqual(new Set(rows.map((r) => r.signature)), new Set(chain.keys()));
  });

  it("applied every mirror change once: reconcile finds no difference", async () => {
    // Sums (supply, minted, burned, paid amounts, vault balances) would differ if a
    // replayed batch had applied its changes twice.
    const run = await runIndexerCli("reconcile", stack.target);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  it("left each followed address's cursor at its newest signature", async () => {
    const { rows } = await stack.db.pool.query<{ address: string; signature: string }>(
      "SELECT address, signature FROM indexer_cursors",
    );
    const cursors = new Map(rows.map((r) => [r.address, r.signature]));
    for (const address of stack.followed) {
      const newest = [...(await chainSignatures(stack.localnet.rpcUrl, [address])).keys()][0];
      assert.equal(cursors.get(address), newest, address);
    }
  });
});
