// The API when the Solana RPC misbehaves (a fault-injecting proxy between the API
// and the node): transit faults are retried, a dead node gets fast, clear 503s
// behind an open circuit while reads from Postgres stay up, nothing is half-written,
// and the API recovers by itself when the node is back.
import assert from "node:assert/strict";
import { newKeypair } from "@ece/sdk/node";
import type { ApiClient } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { metricValue } from "../src/indexer.js";
import { until } from "../src/localnet-client.js";

describe("api: RPC faults", function () {
  this.timeout(180_000);
  let stack: ApiStack;
  let api: ApiClient;
  let alice: string;
  let card: { id: string };
  const admin = newKeypair();

  before(async () => {
    stack = await startApiStack("api_rpc_faults", {
      rpcProxy: true,
      env: { ADMIN_WALLETS: admin.publicKey.toBase58(), RPC_TIMEOUT_MS: "1000", RPC_ATTEMPTS: "4" },
    });
    api = stack.client;
    alice = (await api.signIn(stack.localnet.wallet("alice"))).token;
    const adminToken = (await api.signIn(admin)).token;
    const minted = await api.post(
      "/api/v1/cards",
      {
        company: { name: "Faulty Co", ticker: "FLT", sector: "Energy" },
        name: "Faulty Founders",
        rarity: "rare",
        metrics: {},
        owner: stack.localnet.wallet("alice").publicKey.toBase58(),
      },
      { token: adminToken },
    );
    assert.equal(minted.status, 201, minted.text);
    card = minted.body;
  });
  afterEach(() => stack?.proxy?.setPlan({}));
  after(async () => stack?.stop());

  const metric = async (name: string, labels = "") => metricValue((await api.get("/metrics")).text, name, labels);

  it("retries 5xx, 429 and dropped connections: they cost latency, not answers", async () => {
    const proxy = stack.proxy;
    assert.ok(proxy);
    const retriedBefore = await metric("ece_api_rpc_attempts", 'outcome="retried"');
    proxy.setPlan({ http500: 0.15, http429: 0.05, dropConnection: 0.1 });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await api.get("/api/v1/users/me/balances", { token: alice })).status);
    const s = proxy.stats();
    assert.ok(s.http500 + s.http429 + s.dropped >= 5, JSON.stringify(s));
    assert.ok((await metric("ece_api_rpc_attempts", 'outcome="retried"')) > retriedBefore);
    // Four attempts each: a call fails only if all four do; such a request is a clean 503.
    assert.ok(
      statuses.every((c) => c === 200 || c === 503),
      statuses.join(","),
    );
    assert.ok(statuses.filter((c) => c === 200).length >= 27, statuses.join(","));
  });

  it("answers 503 RPC_UNAVAILABLE fast behind an open circuit while the node is unreachable; Postgres reads stay up", async () => {
    const proxy = stack.proxy;
    assert.ok(proxy);
    proxy.setPlan({ dropConnection: 1 });
    const first = await api.get("/api/v1/users/me/balances", { token: alice });
    assert.equal(first.status, 503, first.text);
    assert.equal(first.body.error.code, "RPC_UNAVAILABLE");
    assert.ok(Number(first.headers.get("retry-after")) > 0);
    // Five failed attempts in a row open it (a request makes four).
    await until(
      "circuit open",
      async () => {
        await api.get("/api/v1/users/me/balances", { token: alice });
        return (await metric("ece_api_rpc_circuit_state")) === 2;
      },
      10_000,
    );
    // Open: the node is not asked at all, and the answer comes at once.
    const dropped = proxy.stats().dropped;
    const started = Date.now();
    const fast = await api.get("/api/v1/users/me/balances", { token: alice });
    assert.equal(fast.body.error.code, "RPC_UNAVAILABLE");
    assert.ok(Date.now() - started < 500, `${Date.now() - started} ms`);
    assert.equal(proxy.stats().dropped, dropped);
    const ready = await api.get("/ready");
    assert.equal(ready.status, 503);
    assert.deepEqual(
      ready.body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok]),
      [
        ["postgres", true],
        ["redis", true],
        ["rpc", false],
      ],
    );
    // What Postgres serves is unaffected; the card's owner comes from the mirror, and says so.
    assert.equal((await api.get("/api/v1/cards")).status, 200);
    const detail = await api.get(`/api/v1/cards/${card.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body.ownerSource, "mirror");
    // A write that must ask the chain first is refused whole: no listing is left behind.
    const listing = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: card.id, currency: "USDC", price: "1000" },
      { token: alice },
    );
    assert.equal(listing.status, 503, listing.text);
    assert.equal(await stack.deps.prisma.listing.count({ where: { cardId: card.id } }), 0);
  });

  it("recovers by itself when the node is back: the circuit closes and chain reads answer", async () => {
    stack.proxy?.setPlan({});
    await until(
      "balances answer again",
      async () => (await api.get("/api/v1/users/me/balances", { token: alice })).status === 200,
      40_000,
    );
    assert.equal(await metric("ece_api_rpc_circuit_state"), 0);
    assert.equal((await api.get("/ready")).status, 200);
    const detail = await api.get(`/api/v1/cards/${card.id}`);
    assert.equal(detail.body.ownerSource, "chain");
    const listing = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: card.id, currency: "USDC", price: "1000" },
      { token: alice },
    );
    assert.equal(listing.status, 201, listing.text);
  });
});
