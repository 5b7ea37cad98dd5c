// The indexer behind a proxy that drops connections, delays, answers 429 and
// 5xx, and drops, reorders and cuts WebSocket notifications: same mirror.
import assert from "node:assert/strict";
import type { TrafficStats } from "../../scripts/src/traffic/index.js";
import { type FaultProxy, startFaultProxy } from "../src/fault-proxy.js";
import {
  chainSignatures,
  type IndexerProcess,
  metricValue,
  runIndexerCli,
  spawnIndexer,
  untilMirrored,
} from "../src/indexer.js";
import { type IndexerStack, startIndexerStack } from "../src/indexer-stack.js";

describe("indexer: through a faulty RPC", function () {
  this.timeout(240_000);
  let stack: IndexerStack;
  let proxy: FaultProxy;
  let indexer: IndexerProcess;
  let stats: TrafficStats;

  before(async () => {
    stack = await startIndexerStack("faults");
    proxy = await startFaultProxy({
      upstreamHttp: stack.localnet.rpcUrl,
      upstreamWs: stack.localnet.wsUrl,
      seed: 7,
      plan: {
        http429: 0.08,
        http500: 0.08,
        dropConnection: 0.04,
        dropAfterForward: 0.04,
        delayMs: [0, 40],
        wsDropMessage: 0.3,
        wsCloseAfterMs: [500, 2_000],
        wsReorderMs: [0, 150],
      },
    });
    indexer = await spawnIndexer({ ...stack.target, rpcUrl: proxy.httpUrl, wsUrl: proxy.wsUrl }, [
      "--rpc-timeout-ms",
      "2000",
    ]);
    stats = await stack.traffic.run({ count: 2000 });
    await untilMirrored(stack.db.pool, stats.signatures, 120_000);
  });
  after(async () => {
    await indexer?.stop();
    await proxy?.close();
    await stack?.stop();
  });

  it("met every kind of fault", () => {
    const s = proxy.stats();
    for (const [k, v] of Object.entries(s)) assert.ok(v > 0, `${k} = ${v}`);
  });

  it("has every transaction exactly once and a mirror equal to the chain", async () => {
    const chain = await chainSignatures(stack.localnet.rpcUrl, stack.followed);
    const { rows } = await stack.db.pool.query<{ signature: string }>("SELECT signature FROM chain_transactions");
    assert.equal(rows.length, chain.size);
    assert.deepEqual(new Set(rows.map((r) => r.signature)), new Set(chain.keys()));
    const run = await runIndexerCli("reconcile", stack.target);
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  it("counted its retries and reconnections", async () => {
    const metrics = await indexer.metrics();
    assert.ok(metricValue(metrics, "ece_indexer_rpc_requests_total", 'outcome="retry"') > 0);
    assert.ok(metricValue(metrics, "ece_indexer_ws_reconnects_total") > 0);
  });

  it("opens its circuit breaker on a failing node and recovers when it heals", async () => {
    proxy.setPlan({ http500: 1 });
    const deadline = Date.now() + 20_000;
    while (metricValue(await indexer.metrics(), "ece_indexer_rpc_circuit_state") !== 2) {
      assert.ok(Date.now() < deadline, "the circuit never opened");
      await new Promise((r) => setTimeout(r, 100));
    }
    const health = await fetch(`http://127.0.0.1:${indexer.metricsPort}/health`);
    assert.equal(health.status, 503);
    proxy.setPlan({});
    const more = await stack.traffic.run({ count: 100 });
    await untilMirrored(stack.db.pool, more.signatures, 60_000);
    assert.equal(metricValue(await indexer.metrics(), "ece_indexer_rpc_circuit_state"), 0);
  });
});
