// The fault proxy in front of a real localnet: with no faults it is transparent
// (HTTP and WebSocket); each fault does what it claims, is counted, and heals
// with setPlan({}).
import assert from "node:assert/strict";
import { request } from "node:http";
import type { Keypair, PublicKey } from "@solana/web3.js";
import { type FaultProxy, startFaultProxy } from "../src/fault-proxy.js";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";
import {
  Blockhashes,
  getBalance,
  getSlot,
  newKey,
  postRaw,
  rpc,
  send,
  signedTransfer,
  sleep,
  statuses,
  until,
  WsClient,
} from "../src/localnet-client.js";

const GET_SLOT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getSlot" });

/** POSTs with node:http on a fresh connection: resolves with the status, rejects with the socket error. */
function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers: { "content-type": "application/json" }, agent: false },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("fault proxy in front of the localnet", function () {
  this.timeout(30_000);
  let node: LocalnetProcess;
  let proxy: FaultProxy;
  let alice: Keypair;
  let sink: PublicKey;
  let blockhashes: Blockhashes;
  let amount = 1_000_000;
  const clients: WsClient[] = [];

  const connect = async () => {
    const ws = await WsClient.connect(proxy.wsUrl);
    clients.push(ws);
    return ws;
  };
  /** Runs `fn` and returns how `stats()` changed meanwhile. */
  async function delta(fn: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = proxy.stats();
    await fn();
    const after = proxy.stats();
    return Object.fromEntries(
      Object.entries(after)
        .map(([k, v]) => [k, v - before[k as keyof typeof before]])
        .filter(([, v]) => v !== 0),
    );
  }

  before(async () => {
    node = await spawnLocalnet();
    proxy = await startFaultProxy({ upstreamHttp: node.rpcUrl, upstreamWs: node.wsUrl, seed: 1 });
    alice = node.wallet("alice");
    sink = newKey();
    blockhashes = new Blockhashes(node.rpcUrl);
  });
  after(async () => {
    await proxy.close();
    assert.equal(await node.stop(), 0, "clean exit on SIGTERM");
  });
  afterEach(async () => {
    for (const ws of clients.splice(0)) await ws.close();
    // Every fault heals: the proxy serves again.
    proxy.setPlan({});
    assert.equal(await rpc(proxy.httpUrl, "getHealth"), "ok");
  });

  it("is transparent with an empty plan: HTTP results, GET /health and subscriptions", async () => {
    const before = await getSlot(node.rpcUrl, "processed");
    const slot = await getSlot(proxy.httpUrl, "processed");
    assert.ok(slot >= before && slot <= (await getSlot(node.rpcUrl, "processed")), "the slot in between");
    assert.equal(await getBalance(proxy.httpUrl, alice.publicKey), await getBalance(node.rpcUrl, alice.publicKey));
    const health = await fetch(`${proxy.httpUrl}/health`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), "ok");

    const ws = await connect();
    const slots = await ws.subscribe("slotSubscribe");
    const tx = signedTransfer(alice, sink, amount++, await blockhashes.get());
    const sig = await ws.subscribe("signatureSubscribe", [tx.signature, { commitment: "processed" }]);
    await send(proxy.httpUrl, tx);
    const [done] = await ws.waitForNotifications<{ value: { err: unknown } }>(sig, 1);
    assert.deepEqual(done?.params.result.value, { err: null });
    await ws.waitForNotifications(slots, 3);
    // getSlot, getBalance, GET /health and sendTransaction (blockhashes come from the node).
    assert.deepEqual(proxy.stats(), {
      forwarded: 4,
      http429: 0,
      http500: 0,
      dropped: 0,
      droppedAfterForward: 0,
      wsDropped: 0,
      wsClosed: 0,
      wsConnections: 1,
    });
  });

  it("http429: every request gets 429 with Retry-After: 0, none forwarded", async () => {
    proxy.setPlan({ http429: 1 });
    const changed = await delta(async () => {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(proxy.httpUrl, { method: "POST", body: GET_SLOT });
        assert.equal(res.status, 429);
        assert.equal(res.headers.get("retry-after"), "0");
        assert.equal(((await res.json()) as { error: { code: number } }).error.code, 429);
      }
    });
    assert.deepEqual(changed, { http429: 5 });
  });

  it("http500: 500, 502 and 503 in turn, none forwarded", async () => {
    proxy.setPlan({ http500: 1 });
    const seen = new Set<number>();
    const changed = await delta(async () => {
      for (let i = 0; i < 6; i++) seen.add((await postRaw(proxy.httpUrl, GET_SLOT)).status);
    });
    assert.deepEqual([...seen].sort(), [500, 502, 503]);
    assert.deepEqual(changed, { http500: 6 });
  });

  it("dropConnection: the client sees the socket reset, nothing forwarded", async () => {
    proxy.setPlan({ dropConnection: 1 });
    const changed = await delta(async () => {
      await assert.rejects(post(proxy.httpUrl, GET_SLOT), (e: NodeJS.ErrnoException) => {
        assert.equal(e.code, "ECONNRESET");
        assert.equal(e.message, "socket hang up");
        return true;
      });
    });
    assert.deepEqual(changed, { dropped: 1 });
  });

  it("dropAfterForward: sendTransaction fails for the client, yet the transaction lands", async () => {
    proxy.setPlan({ dropAfterForward: 1 });
    const lamports = amount++;
    const tx = signedTransfer(alice, sink, lamports, await blockhashes.get());
    const before = await getBalance(node.rpcUrl, sink);
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "sendTransaction",
      params: [tx.base64, { encoding: "base64" }],
    });
    const changed = await delta(() => assert.rejects(post(proxy.httpUrl, body), /socket hang up/));
    assert.deepEqual(changed, { forwarded: 1, droppedAfterForward: 1 });
    // Checked on the node directly.
    const status = await until(
      "the transaction's status",
      async () => (await statuses(node.rpcUrl, [tx.signature]))[0],
    );
    assert.equal(status.err, null);
    assert.equal(await getBalance(node.rpcUrl, sink), before + lamports);
  });

  it("delayMs: every forwarded request takes at least the minimum delay longer", async () => {
    const time = async () => {
      const t0 = performance.now();
      await getSlot(proxy.httpUrl, "processed");
      return performance.now() - t0;
    };
    const base = await time();
    proxy.setPlan({ delayMs: [300, 400] });
    for (let i = 0; i < 3; i++) {
      const ms = await time();
      assert.ok(ms >= 300 && ms < 400 + base + 500, `${ms} ms (without delay: ${base} ms)`);
    }
    proxy.setPlan({});
    assert.ok((await time()) < 300, "no delay once healed");
  });

  it("wsDropMessage: no notifications arrive while it holds; they resume once healed", async () => {
    const ws = await connect();
    const slots = await ws.subscribe("slotSubscribe");
    await ws.waitForNotifications(slots, 1);
    proxy.setPlan({ wsDropMessage: 1 });
    // Let a notification already on its way arrive first.
    await sleep(50);
    const count = ws.notifications(slots).length;
    const changed = await delta(() => sleep(500));
    assert.equal(ws.notifications(slots).length, count, "nothing arrived");
    assert.ok((changed.wsDropped ?? 0) >= 3, JSON.stringify(changed));
    proxy.setPlan({});
    await ws.waitForNotifications(slots, count + 2);
  });

  it("wsCloseAfterMs: the client's WebSocket is closed within the range", async () => {
    proxy.setPlan({ wsCloseAfterMs: [200, 400] });
    const t0 = performance.now();
    const ws = await connect();
    const code = await new Promise<number>((resolve) => ws.socket.once("close", resolve));
    const lifetime = performance.now() - t0;
    assert.equal(code, 1001);
    assert.ok(lifetime >= 190 && lifetime < 900, `closed after ${lifetime} ms`);
    assert.equal(proxy.stats().wsClosed, 1);
    // Healed: a new connection stays open and serves.
    proxy.setPlan({});
    const again = await connect();
    const slots = await again.subscribe("slotSubscribe");
    await sleep(500);
    assert.ok(!again.closed && again.notifications(slots).length >= 2);
  });

  it("wsReorderMs: notifications arrive out of order, none lost or repeated", async () => {
    proxy.setPlan({ wsReorderMs: [0, 500] });
    const ws = await connect();
    const slots = await ws.subscribe("slotSubscribe");
    const got = await ws.waitForNotifications<{ slot: number }>(slots, 25);
    const order = got.map((n) => n.params.result.slot);
    const sorted = [...order].sort((a, b) => a - b);
    assert.notDeepEqual(order, sorted, "reordered");
    assert.equal(new Set(order).size, order.length, "no slot twice");
    // The localnet notifies every slot; the oldest 15 (over 1 s older than the newest) are all past their delay.
    const first = sorted[0] as number;
    assert.deepEqual(
      sorted.slice(0, 15),
      Array.from({ length: 15 }, (_, i) => first + i),
    );
  });

  it("draws the same faults from the same seed", async () => {
    const run = async () => {
      const p = await startFaultProxy({
        upstreamHttp: node.rpcUrl,
        upstreamWs: node.wsUrl,
        plan: { http429: 0.5 },
        seed: 42,
      });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await postRaw(p.httpUrl, GET_SLOT)).status);
      await p.close();
      return out;
    };
    const first = await run();
    assert.deepEqual(new Set(first), new Set([200, 429]));
    assert.deepEqual(await run(), first);
  });

  it("close() ends open WebSockets and requests in flight", async () => {
    const p = await startFaultProxy({
      upstreamHttp: node.rpcUrl,
      upstreamWs: node.wsUrl,
      plan: { delayMs: [5000, 5000] },
    });
    const ws = await WsClient.connect(p.wsUrl);
    await ws.subscribe("slotSubscribe");
    const inFlight = post(p.httpUrl, GET_SLOT);
    await sleep(50);
    await p.close();
    await assert.rejects(inFlight, /socket hang up/);
    await ws.until(() => ws.closed, "the WebSocket closed");
    await assert.rejects(post(p.httpUrl, GET_SLOT), /ECONNREFUSED/);
  });
});
