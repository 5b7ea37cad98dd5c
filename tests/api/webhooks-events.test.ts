// Webhooks (subscriptions, HMAC-signed deliveries retried with backoff, the delivery
// log) and the live event stream (SSE of mirrored chain events and API events, resumable
// with Last-Event-ID), over a localnet whose events the indexer mirrors.
import assert from "node:assert/strict";
import { ECE_PAUSE_PROGRAM_ID, pause, treasury } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import { type Connection, type Keypair, PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { fetch as undiciFetch } from "undici";
import { publishEvent } from "../../api/src/domains/events/bus.js";
import { publicOnlyAgent } from "../../api/src/domains/webhooks/destination.js";
import type { ApiClient } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { sleep, until } from "../src/localnet-client.js";
import { type Received, receiver, verified } from "../src/webhook-receiver.js";

interface SseEvent {
  id: string | null;
  event: string;
  data: { id: string; type: string; source: string; data: Record<string, unknown>; seq?: string };
}

/** An SSE client over fetch streaming; collects parsed events until closed. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: ac.signal });
  const events: SseEvent[] = [];
  let comments = 0;
  if (res.status === 200 && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buf = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += decoder.decode(value, { stream: true });
          for (let i = buf.indexOf("\n\n"); i >= 0; i = buf.indexOf("\n\n")) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let id: string | null = null;
            let event = "message";
            const data: string[] = [];
            for (const line of block.split("\n")) {
              if (line.startsWith(":")) comments++;
              else if (line.startsWith("id: ")) id = line.slice(4);
              else if (line.startsWith("event: ")) event = line.slice(7);
              else if (line.startsWith("data: ")) data.push(line.slice(6));
            }
            if (data.length) events.push({ id, event, data: JSON.parse(data.join("\n")) });
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    res,
    events,
    comments: () => comments,
    next: (what: string, pred: (e: SseEvent) => boolean, ms = 20_000) =>
      until(what, () => events.find(pred) ?? null, ms),
    close: () => ac.abort(),
  };
}

describe("api: webhooks and live events", function () {
  this.timeout(180_000);
  let stack: ApiStack;
  let api: ApiClient;
  let connection: Connection;
  const alice = newKeypair();
  const bob = newKeypair();
  const tokens: Record<string, string> = {};
  const closers: Array<() => unknown> = [];

  before(async () => {
    stack = await startApiStack("api_webhooks_events", {
      env: { WEBHOOK_ATTEMPTS: "4", WEBHOOK_BACKOFF_MS: "150", WEBHOOK_TIMEOUT_MS: "3000" },
    });
    api = stack.client;
    connection = stack.localnet.connection();
    tokens.alice = (await api.signIn(alice)).token;
    tokens.bob = (await api.signIn(bob)).token;
  });
  after(async () => {
    for (const c of closers) await c();
    await stack?.stop();
  });

  /** Sends and waits until the indexer has mirrored it (which implies confirmed). */
  async function send(ix: TransactionInstruction, signer: Keypair): Promise<string> {
    const sig = await connection.sendTransaction(new Transaction().add(ix), [signer]);
    await until(
      `${sig} mirrored`,
      async () => (await stack.deps.prisma.chainTransaction.findUnique({ where: { signature: sig } })) !== null,
      20_000,
    );
    return sig;
  }
  /** A transfer proposal by signer-1: one ProposalCreated event. */
  async function propose(): Promise<string> {
    const multisig = new PublicKey(stack.manifest.multisig.address);
    const info = await connection.getAccountInfo(multisig, "confirmed");
    assert.ok(info, "multisig on chain");
    const m = treasury.decodeMultisig(info);
    const creator = stack.localnet.wallet("signer-1");
    const action = {
      kind: "transfer" as const,
      mint: new PublicKey(stack.manifest.usdcMint),
      to: newKeypair().publicKey,
      amount: 1n,
    };
    return send(
      treasury.createProposalIx({ creator: creator.publicKey, multisig, action, nextIndex: m.transactionIndex + 1n }),
      creator,
    );
  }

  describe("webhooks", () => {
    it("manages own subscriptions: secret returned once, others' are not found, bad input refused, audited", async () => {
      const created = await api.post(
        "/api/v1/webhooks",
        { url: "https://example.com/hooks/ece", eventTypes: ["PayoutPaid", "sale.completed"] },
        { token: tokens.alice },
      );
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.secret, /^whsec_[0-9a-f]{64}$/);
      assert.equal(created.body.owner, alice.publicKey.toBase58());
      const id = created.body.id;
      const list = await api.get("/api/v1/webhooks", { token: tokens.alice });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.items.map((s: { id: string }) => s.id),
        [id],
      );
      assert.equal(list.body.items[0].secret, undefined);
      const one = await api.get(`/api/v1/webhooks/${id}`, { token: tokens.alice });
      assert.equal(one.status, 200);
      assert.equal(one.body.secret, undefined);
      // Bob sees nothing of it and cannot delete it.
      assert.equal((await api.get(`/api/v1/webhooks/${id}`, { token: tokens.bob })).status, 404);
      assert.equal((await api.get(`/api/v1/webhooks/${id}/deliveries`, { token: tokens.bob })).status, 404);
      assert.equal((await api.delete(`/api/v1/webhooks/${id}`, { token: tokens.bob })).status, 404);
      assert.deepEqual((await api.get("/api/v1/webhooks", { token: tokens.bob })).body.items, []);
      // Refusals.
      for (const url of ["ftp://example.com/x", "javascript:alert(1)", "file:///etc/passwd", "not a url"]) {
        const r = await api.post("/api/v1/webhooks", { url, eventTypes: ["*"] }, { token: tokens.alice });
        assert.equal(r.status, 400, url);
      }
      const bad = [
        { url: "https://example.com/a", eventTypes: [] },
        { url: "https://example.com/a", eventTypes: ["bad type!"] },
        { url: "https://example.com/a", eventTypes: ["*"], secret: "short" },
        { url: "https://example.com/a", eventTypes: ["*"], extra: 1 },
      ];
      for (const b of bad) assert.equal((await api.post("/api/v1/webhooks", b, { token: tokens.alice })).status, 400);
      assert.equal((await api.post("/api/v1/webhooks", { url: "https://e.com/a", eventTypes: ["*"] })).status, 401);
      assert.equal((await api.get("/api/v1/webhooks/nope", { token: tokens.alice })).status, 400);
      // Delete: 204, then gone; both changes audited.
      assert.equal((await api.delete(`/api/v1/webhooks/${id}`, { token: tokens.alice })).status, 204);
      assert.equal((await api.get(`/api/v1/webhooks/${id}`, { token: tokens.alice })).status, 404);
      const audit = await stack.deps.prisma.auditLog.findMany({
        where: { resource: `webhook:${id}` },
        orderBy: { id: "asc" },
      });
      assert.deepEqual(
        audit.map((a) => a.action),
        ["webhooks.subscribe", "webhooks.unsubscribe"],
      );
      assert.ok(
        !JSON.stringify(audit.map((a) => [a.before, a.after])).includes(created.body.secret),
        "the secret is never audited",
      );
    });

    it("signs deliveries with HMAC-SHA256 and retries until a 2xx (500, 500, 200 → delivered, 3 attempts)", async () => {
      const rx = await receiver((_d, n) => (n <= 2 ? 500 : 200));
      closers.push(rx.close);
      const sub = await api.post(
        "/api/v1/webhooks",
        { url: rx.url, eventTypes: ["test.ping"] },
        { token: tokens.alice },
      );
      assert.equal(sub.status, 201, sub.text);
      const secret = sub.body.secret as string;
      const published = await publishEvent(stack.deps, { type: "test.ping", data: { n: 1, big: 2n ** 70n } });
      const delivery = await until(
        "delivered",
        async () => {
          const d = await stack.deps.prisma.webhookDelivery.findFirst({ where: { subscriptionId: sub.body.id } });
          return d?.status === "delivered" ? d : null;
        },
        20_000,
      );
      assert.equal(delivery.attempts, 3);
      assert.equal(delivery.responseStatus, 200);
      assert.equal(delivery.lastError, null);
      assert.equal(rx.got.length, 3);
      for (const r of rx.got) {
        assert.equal(r.headers["x-ece-event"], "test.ping");
        assert.equal(r.headers["x-ece-delivery"], delivery.id);
        assert.ok(verified(r, secret), "signature checks out with the subscription's secret");
        assert.ok(!verified(r, `${secret}x`), "and not with another secret");
        assert.ok(!verified({ ...r, body: r.body.replace('"n":1', '"n":2') }, secret), "nor over a changed body");
        const body = JSON.parse(r.body);
        assert.equal(body.id, delivery.id);
        assert.equal(body.type, "test.ping");
        assert.equal(body.event.id, published.id);
        assert.deepEqual(body.event.data, { n: 1, big: (2n ** 70n).toString() });
      }
      // The same event again (same id) makes no second delivery.
      await publishEvent(stack.deps, { type: "test.ping", data: { n: 1 }, id: published.id.replace(/^api:/, "") });
      await sleep(500);
      assert.equal(await stack.deps.prisma.webhookDelivery.count({ where: { subscriptionId: sub.body.id } }), 1);
      const log = await api.get(`/api/v1/webhooks/${sub.body.id}/deliveries`, { token: tokens.alice });
      assert.equal(log.status, 200, log.text);
      assert.equal(log.body.items.length, 1);
      assert.equal(log.body.items[0].status, "delivered");
      assert.equal(log.body.items[0].attempts, 3);
    });

    it("gives up after the configured attempts and records the failure", async () => {
      const rx = await receiver(() => 503);
      closers.push(rx.close);
      const sub = await api.post(
        "/api/v1/webhooks",
        { url: rx.url, eventTypes: ["test.fail"], secret: "bobs-own-secret-0123456789" },
        { token: tokens.bob },
      );
      assert.equal(sub.status, 201);
      assert.equal(sub.body.secret, "bobs-own-secret-0123456789");
      await publishEvent(stack.deps, { type: "test.fail", data: {} });
      const d = await until(
        "failed",
        async () => {
          const x = await stack.deps.prisma.webhookDelivery.findFirst({ where: { subscriptionId: sub.body.id } });
          return x?.status === "failed" ? x : null;
        },
        20_000,
      );
      assert.equal(d.attempts, 4);
      assert.equal(d.responseStatus, 503);
      assert.equal(d.lastError, "HTTP 503");
      assert.equal(rx.got.length, 4);
      assert.ok(rx.got.every((r) => verified(r, "bobs-own-secret-0123456789")));
      const failed = await api.get(`/api/v1/webhooks/${sub.body.id}/deliveries?status=failed`, { token: tokens.bob });
      assert.equal(failed.body.items.length, 1);
    });
    it("sends webhooks to public addresses only: private, loopback and link-local ones are refused, at delivery too", async () => {
      const rx = await receiver(() => 200);
      closers.push(rx.close);
      // Subscribed while private addresses are allowed (as in development), delivered after they are not.
      const sub = await api.post("/api/v1/webhooks", { url: rx.url, eventTypes: ["test.ssrf"] }, { token: tokens.bob });
      assert.equal(sub.status, 201, sub.text);
      const { config } = stack.deps;
      config.webhookAllowPrivate = false;
      try {
        for (const url of [
          "http://127.0.0.1:9/hook",
          "http://localhost:9/hook",
          "http://10.1.2.3/hook",
          "http://192.168.0.10/hook",
          "http://169.254.169.254/latest/meta-data",
          "http://[::1]:9/hook",
          "http://[fd00::1]/hook",
          "http://100.64.0.1/hook",
        ]) {
          const r = await api.post("/api/v1/webhooks", { url, eventTypes: ["*"] }, { token: tokens.bob });
          assert.equal(r.status, 400, `${url} → ${r.status}`);
          assert.equal(r.body.error.code, "BAD_URL");
          assert.match(r.body.error.message, /private or local address|does not resolve/);
        }
        // Dialling is guarded too: a name that resolves to a private address at connect time is refused
        // (what a DNS answer that changed after the checks above would meet).
        const agent = publicOnlyAgent();
        await assert.rejects(
          undiciFetch(rx.url.replace("127.0.0.1", "localhost"), { method: "POST", dispatcher: agent }),
          (e: Error & { cause?: Error }) => /resolved to a private address/.test(e.cause?.message ?? ""),
        );
        await agent.close();
        await publishEvent(stack.deps, { type: "test.ssrf", data: {} });
        const d = await until(
          "refused delivery",
          async () => {
            const x = await stack.deps.prisma.webhookDelivery.findFirst({ where: { subscriptionId: sub.body.id } });
            return x?.lastError ? x : null;
          },
          20_000,
        );
        assert.match(d.lastError ?? "", /^destination refused: /);
        assert.equal(rx.got.length, 0);
      } finally {
        config.webhookAllowPrivate = true;
      }
    });
  });

  describe("events stream", () => {
    const stream = () => `${stack.url}/api/v1/events/stream`;

    it("streams API events and mirrored chain events; Last-Event-ID resumes without duplicates", async () => {
      const s1 = await openStream(stream());
      closers.push(s1.close);
      assert.equal(s1.res.status, 200);
      assert.match(s1.res.headers.get("content-type") ?? "", /^text\/event-stream/);
      await sleep(100);
      await publishEvent(stack.deps, { type: "test.hello", data: { hello: "world" } });
      const hello = await s1.next("test.hello", (e) => e.event === "test.hello");
      assert.equal(hello.id, null, "API events carry no resumable id");
      assert.deepEqual(hello.data.data, { hello: "world" });

      const first = await propose();
      const created = await s1.next("ProposalCreated", (e) => e.event === "ProposalCreated");
      assert.equal(created.data.data.signature, first);
      assert.match(created.id ?? "", /^[0-9]+$/);
      assert.equal(created.data.seq, created.id);
      s1.close();

      // Missed while disconnected.
      const missed = [await propose(), await propose()];
      const s2 = await openStream(stream(), { "last-event-id": created.id as string });
      closers.push(s2.close);
      await until("the two missed events", () => s2.events.filter((e) => e.id !== null).length >= 2);
      const live = await propose();
      await until("the live event", () => s2.events.filter((e) => e.id !== null).length >= 3);
      await sleep(600); // nothing else arrives
      const chain = s2.events.filter((e) => e.id !== null);
      assert.deepEqual(
        chain.map((e) => e.data.data.signature),
        [...missed, live],
      );
      const ids = chain.map((e) => BigInt(e.id as string));
      assert.ok(ids.every((id, i) => id > BigInt(created.id as string) && (i === 0 || id > (ids[i - 1] as bigint))));
      s2.close();

      // ?lastEventId= works like the header; a bad one is refused.
      const s3 = await openStream(`${stream()}?lastEventId=${created.id}&types=ProposalCreated`);
      closers.push(s3.close);
      await until("replay by query", () => s3.events.length >= 3);
      s3.close();
      const doc = await api.get("/api/openapi.json");
      const op = doc.body.paths["/api/v1/events/stream"].get;
      assert.ok(op.responses["200"].content["text/event-stream"], JSON.stringify(op.responses["200"]));
      const bad = await api.get("/api/v1/events/stream", { headers: { "last-event-id": "abc" } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "BAD_LAST_EVENT_ID");
    });

    it("delivers a guardian's pause to a filtered stream and to a webhook subscribed to Paused", async () => {
      const rx = await receiver(() => 204);
      closers.push(rx.close);
      const sub = await api.post("/api/v1/webhooks", { url: rx.url, eventTypes: ["Paused"] }, { token: tokens.alice });
      assert.equal(sub.status, 201);
      const s = await openStream(`${stream()}?types=Paused,Unpaused`);
      closers.push(s.close);
      await sleep(100);
      await publishEvent(stack.deps, { type: "test.hello", data: {} }); // filtered out
      await propose(); // filtered out
      const guardian = stack.localnet.wallet("guardian-1");
      const sig = await send(pause.pauseIx({ guardian: guardian.publicKey, reason: 7 }), guardian);
      const paused = await s.next("Paused", (e) => e.event === "Paused");
      assert.equal(paused.data.data.signature, sig);
      assert.ok(["ece_pause", ECE_PAUSE_PROGRAM_ID.toBase58()].includes(paused.data.data.program as string));
      assert.equal((paused.data.data.data as { by: string }).by, guardian.publicKey.toBase58());
      assert.ok(s.events.every((e) => e.event === "Paused"));
      const d = await until(
        "Paused delivered",
        async () => {
          const x = await stack.deps.prisma.webhookDelivery.findFirst({ where: { subscriptionId: sub.body.id } });
          return x?.status === "delivered" ? x : null;
        },
        20_000,
      );
      assert.equal(d.eventType, "Paused");
      assert.equal(d.eventId, `${sig}:0`);
      assert.equal(rx.got.length, 1);
      assert.ok(verified(rx.got[0] as Received, sub.body.secret));
      assert.equal(rx.got[0]?.headers["x-ece-event"], "Paused");
      s.close();
    });
  });
});
