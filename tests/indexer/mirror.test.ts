// The indexer against a localnet taking a few thousand mixed program
// transactions (token, treasury, pause; successes, failures, foreign
// instructions): the mirror must equal the chain.
import assert from "node:assert/strict";
import { ECE_TOKEN_PROGRAM_ID } from "@ece/sdk";
import type { TrafficStats } from "../../scripts/src/traffic/index.js";
import { freshDatabase } from "../src/db.js";
import {
  chainSignatures,
  type IndexerProcess,
  metricValue,
  runIndexerCli,
  spawnIndexer,
  untilMirrored,
} from "../src/indexer.js";
import { type IndexerStack, startIndexerStack } from "../src/indexer-stack.js";
import { call } from "../src/localnet-client.js";

describe("indexer: the mirror equals the chain", function () {
  this.timeout(180_000);
  let stack: IndexerStack;
  let indexer: IndexerProcess;
  let stats: TrafficStats;
  let chain: Map<string, { slot: number; failed: boolean }>;

  before(async () => {
    stack = await startIndexerStack("mirror");
    indexer = await spawnIndexer(stack.target);
    stats = await stack.traffic.run({ count: 2500 });
    await untilMirrored(stack.db.pool, stats.signatures);
    chain = await chainSignatures(stack.localnet.rpcUrl, stack.followed);
  });
  after(async () => {
    await indexer?.stop();
    await stack?.stop();
  });

  it("holds every transaction of the followed addresses once, with its outcome", async () => {
    assert.ok(stats.signatures.length >= 2000, `traffic landed ${stats.signatures.length} transactions`);
    const { rows } = await stack.db.pool.query<{ signature: string; success: boolean }>(
      "SELECT signature, success FROM chain_transactions",
    );
    const mirror = new Map(rows.map((r) => [r.signature, r.success]));
    const missing = [...chain.keys()].filter((s) => !mirror.has(s));
    const extra = [...mirror.keys()].filter((s) => !chain.has(s));
    assert.deepEqual({ missing: missing.length, extra: extra.length }, { missing: 0, extra: 0 });
    const wrongOutcome = [...chain].filter(([s, c]) => mirror.get(s) !== !c.failed);
    assert.equal(wrongOutcome.length, 0);
    const failed = [...chain.values()].filter((c) => c.failed).length;
    assert.ok(failed > 0 && failed < chain.size, `${failed} failed of ${chain.size}`);
  });

  it("npm run indexer:reconcile finds no difference and exits 0", async () => {
    const run = await runIndexerCli("reconcile", stack.target);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /mirror equals chain/);
    assert.match(run.stdout, /checked 1 multisig\(s\), [1-9]\d* proposal\(s\), 2 vault\(s\)/);
  });

  it("counts and sums agree with the chain: supply, minted and burned, vault balances", async () => {
    const supply = await call<{ value: { amount: string } }>(stack.localnet.rpcUrl, "getTokenSupply", [
      stack.manifest.token.eceMint,
    ]);
    const { rows } = await stack.db.pool.query<{ supply: string; minted: string; burned: string; events: string }>(
      `SELECT t.supply, t.total_minted - t.total_burned AS minted,
              (SELECT COALESCE(sum(amount), 0) FROM chain_events WHERE name = 'Minted')
            - (SELECT COALESCE(sum(amount), 0) FROM chain_events WHERE name = 'Burned') AS events,
              (SELECT COALESCE(sum(i.amount), 0) FROM chain_instructions i JOIN chain_transactions t ON t.signature = i.signature
                WHERE t.success AND i.mint = $1 AND i.name IN ('burn', 'burnChecked')) AS burned
         FROM token_configs t`,
      [stack.manifest.token.eceMint],
    );
    const row = rows[0];
    assert.ok(row);
    assert.equal(row.supply, supply.result?.value.amount);
    assert.equal(row.minted, row.events, "the config's totals are the sum of the Minted and Burned events");
    assert.ok(BigInt(row.burned) > 0n, "burns (by the program and plain SPL burns) were mirrored");
    for (const vault of [stack.manifest.vaults.ece, stack.manifest.vaults.usdc]) {
      const balance = await call<{ value: { amount: string } }>(stack.localnet.rpcUrl, "getTokenAccountBalance", [
        vault,
      ]);
      const { rows: v } = await stack.db.pool.query<{ balance: string }>(
        "SELECT balance FROM treasury_vaults WHERE address = $1",
        [vault],
      );
      assert.equal(v[0]?.balance, balance.result?.value.amount, vault);
    }
  });

  it("keeps failed transactions with the program error by name, and no events of theirs", async () => {
    const { rows } = await stack.db.pool.query<{ error_name: string | null; n: string; events: string }>(
      `SELECT t.error_name, count(*) AS n, sum((SELECT count(*) FROM chain_events e WHERE e.signature = t.signature)) AS events
         FROM chain_transactions t WHERE NOT success GROUP BY 1 ORDER BY 2 DESC`,
    );
    assert.ok(rows.length > 1, JSON.stringify(rows));
    assert.ok(rows.every((r) => Number(r.events) === 0));
    const named = rows.map((r) => r.error_name);
    assert.ok(named.includes("Paused"), `errors seen: ${named.join(", ")}`);
  });

  it("skips and logs instructions of our programs that do not decode, and keeps going", async () => {
    const { rows } = await stack.db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM chain_instructions WHERE program = $1 AND name IS NULL",
      [ECE_TOKEN_PROGRAM_ID.toBase58()],
    );
    assert.ok(Number(rows[0]?.n) > 0);
    const metrics = await indexer.metrics();
    assert.ok(metricValue(metrics, "ece_indexer_skipped_total", 'what="instruction"') > 0);
    assert.match(indexer.spawned.stderr(), /skipped undecodable data/);
    assert.equal(metricValue(metrics, "ece_indexer_healthy"), 1);
  });

  it("marks every row finalized once the node finalizes its slot", async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await stack.db.pool.query<{ commitment: string; n: string }>(
        "SELECT commitment, count(*) AS n FROM chain_transactions GROUP BY 1",
      );
      const counts = Object.fromEntries(rows.map((r) => [r.commitment, Number(r.n)]));
      if (!counts.confirmed) {
        assert.equal(counts.finalized, chain.size);
        assert.equal(counts.dropped, undefined);
        return;
      }
      assert.ok(Date.now() < deadline, `still unfinalized: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it("exposes health and lag as Prometheus metrics", async () => {
    const metrics = await indexer.metrics();
    assert.ok(metricValue(metrics, "ece_indexer_head_slot") > 0);
    assert.ok(metricValue(metrics, "ece_indexer_lag_slots") >= 0);
    assert.ok(metricValue(metrics, "ece_indexer_transactions_total", 'status="success"') > 0);
    assert.ok(metricValue(metrics, "ece_indexer_transactions_total", 'status="failed"') > 0);
    const health = await fetch(`http://127.0.0.1:${indexer.metricsPort}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
  });

  it("a backfill from slot 0 into an empty database builds the same mirror, and resumes after SIGKILL", async () => {
    const db = await freshDatabase("backfill");
    try {
      const target = { ...stack.target, databaseUrl: db.url };
      const first = runIndexerCli("backfill", target, ["--from-slot", "0", "--batch-size", "50"]);
      // Kill it once it has written part of the history.
      for (;;) {
        const { rows } = await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM chain_transactions");
        if (Number(rows[0]?.n) > 200) break;
        const settled = await Promise.race([
          first.then(() => true),
          new Promise((r) => setTimeout(() => r(false), 50)),
        ]);
        assert.equal(settled, false, "the backfill finished before it could be interrupted");
      }
      first.kill();
      assert.equal((await first).code, null);
      const second = await runIndexerCli("backfill", target, ["--from-slot", "0"]);
      assert.equal(second.code, 0, second.stderr);
      const written = Number(/done, (\d+) transaction/.exec(second.stdout)?.[1]);
      assert.ok(written > 0 && written < chain.size, `the resumed run wrote ${written} of ${chain.size}`);
      const { rows } = await db.pool.query<{ signature: string }>("SELECT signature FROM chain_transactions");
      assert.deepEqual(new Set(rows.map((r) => r.signature)), new Set(chain.keys()));
      const reconcile = await runIndexerCli("reconcile", target);
      assert.equal(reconcile.code, 0, reconcile.stdout + reconcile.stderr);
    } finally {
      await db.drop();
    }
  });
});
