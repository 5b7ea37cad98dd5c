// Sign-In With Solana, sessions, roles and the API's cross-cutting behaviour
// (error shape, request ids, rate limits, CORS, headers, health and readiness).
import assert from "node:assert/strict";
import { newKeypair, signBytes } from "@ece/sdk/node";
import type { Keypair } from "@solana/web3.js";
import bs58 from "bs58";
import { buildMessage, parseMessage } from "../../api/src/domains/auth/siws.js";
import type { ApiClient } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { until } from "../src/localnet-client.js";

const sign = (text: string, kp: Keypair) => bs58.encode(signBytes(new TextEncoder().encode(text), kp));

describe("api: auth and cross-cutting", function () {
  this.timeout(120_000);
  let stack: ApiStack;
  let api: ApiClient;

  before(async () => {
    stack = await startApiStack("api_auth");
    api = stack.client;
  });
  after(async () => stack?.stop());

  async function nonceFor(kp: Keypair) {
    const r = await api.post("/api/v1/auth/nonce", { address: kp.publicKey.toBase58() });
    assert.equal(r.status, 200, r.text);
    return r.body as { message: string; nonce: string; signInInput: Record<string, string> };
  }

  it("signs a wallet in with a signed message and serves its session", async () => {
    const kp = newKeypair();
    const { message, signInInput } = await nonceFor(kp);
    assert.match(message, /^ece\.test wants you to sign in with your Solana account:\n/);
    assert.equal(signInInput.address, kp.publicKey.toBase58());
    const r = await api.post("/api/v1/auth/verify", { message, signature: sign(message, kp) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.wallet, kp.publicKey.toBase58());
    assert.deepEqual(r.body.roles, ["user"]);
    assert.ok(r.body.permissions.includes("marketplace:sale:buy"));
    assert.ok(!r.body.permissions.includes("transactions:transaction:read"));
    const cookies = r.headers.getSetCookie();
    assert.ok(cookies.some((c) => /^ece_access=.*HttpOnly/i.test(c) && /SameSite=Strict/i.test(c)));
    assert.ok(cookies.some((c) => /^ece_refresh=.*Path=\/api\/v1\/auth/i.test(c)));
    const me = await api.get("/api/v1/auth/session", { token: r.body.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.wallet, kp.publicKey.toBase58());
    // The cookie alone authenticates too.
    const access = cookies.find((c) => c.startsWith("ece_access="))?.split(";")[0] as string;
    const byCookie = await api.get("/api/v1/auth/session", { headers: { cookie: access } });
    assert.equal(byCookie.status, 200);
    const audit = await stack.deps.prisma.auditLog.findMany({
      where: { actor: kp.publicKey.toBase58(), action: "auth.sign_in" },
    });
    assert.equal(audit.length, 1);
  });

  it("accepts the Wallet Standard solana:signIn output", async () => {
    const kp = newKeypair();
    const { signInInput } = await nonceFor(kp);
    // A wallet writes the message itself from the input.
    const text = buildMessage(signInInput as never);
    const signature = signBytes(new TextEncoder().encode(text), kp);
    const r = await api.post("/api/v1/auth/verify", {
      output: {
        account: { address: kp.publicKey.toBase58() },
        signedMessage: Buffer.from(text).toString("base64"),
        signature: Buffer.from(signature).toString("base64"),
      },
    });
    assert.equal(r.status, 200, r.text);
  });

  it("refuses a replayed nonce", async () => {
    const kp = newKeypair();
    const { message } = await nonceFor(kp);
    const body = { message, signature: sign(message, kp) };
    assert.equal((await api.post("/api/v1/auth/verify", body)).status, 200);
    const again = await api.post("/api/v1/auth/verify", body);
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "SIWS_NONCE_USED");
  });

  it("refuses an expired message", async () => {
    const kp = newKeypair();
    stack.deps.config.nonceTtlSeconds = 1;
    try {
      const { message } = await nonceFor(kp);
      await new Promise((r) => setTimeout(r, 1_200));
      const r = await api.post("/api/v1/auth/verify", { message, signature: sign(message, kp) });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, "SIWS_EXPIRED");
    } finally {
      stack.deps.config.nonceTtlSeconds = 300;
    }
  });

  it("refuses a message for another domain, even validly signed", async () => {
    const kp = newKeypair();
    const { message } = await nonceFor(kp);
    const other = message.replace(/^ece\.test /, "evil.example ");
    const r = await api.post("/api/v1/auth/verify", { message: other, signature: sign(other, kp) });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, "SIWS_WRONG_DOMAIN");
  });

  it("refuses a signature from another wallet", async () => {
    const kp = newKeypair();
    const { message } = await nonceFor(kp);
    const r = await api.post("/api/v1/auth/verify", { message, signature: sign(message, newKeypair()) });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, "SIWS_BAD_SIGNATURE");
  });

  it("refuses a tampered message: changed after signing, or re-signed with other fields", async () => {
    const kp = newKeypair();
    const { message } = await nonceFor(kp);
    const signature = sign(message, kp);
    const edited = message.replace("Sign in to ECE.", "Sign in to ECE!");
    const r1 = await api.post("/api/v1/auth/verify", { message: edited, signature });
    assert.equal(r1.body.error.code, "SIWS_BAD_SIGNATURE");
    // The wallet signs a message with a later expiry than the one issued.
    const fields = parseMessage(message);
    assert.ok(fields);
    const longer = buildMessage({ ...fields, expirationTime: new Date(Date.now() + 86_400_000).toISOString() });
    const r2 = await api.post("/api/v1/auth/verify", { message: longer, signature: sign(longer, kp) });
    assert.equal(r2.status, 401);
    assert.equal(r2.body.error.code, "SIWS_TAMPERED");
  });

  it("refuses a nonce issued to another address", async () => {
    const kp = newKeypair();
    const other = newKeypair();
    const { message } = await nonceFor(kp);
    const fields = parseMessage(message);
    assert.ok(fields);
    const theirs = buildMessage({ ...fields, address: other.publicKey.toBase58() });
    const r = await api.post("/api/v1/auth/verify", { message: theirs, signature: sign(theirs, other) });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, "SIWS_ADDRESS_MISMATCH");
  });

  it("rotates refresh tokens and revokes the session when an old one is replayed", async () => {
    const kp = newKeypair();
    const first = await api.signIn(kp);
    const r1 = await api.post("/api/v1/auth/refresh", { refreshToken: first.refreshToken });
    assert.equal(r1.status, 200, r1.text);
    assert.notEqual(r1.body.refreshToken, first.refreshToken);
    assert.equal((await api.get("/api/v1/auth/session", { token: r1.body.accessToken })).status, 200);
    const refreshed = await stack.deps.prisma.auditLog.findMany({
      where: { actor: kp.publicKey.toBase58(), action: "auth.refresh" },
    });
    assert.equal(refreshed.length, 1);
    const replay = await api.post("/api/v1/auth/refresh", { refreshToken: first.refreshToken });
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error.code, "REFRESH_REUSED");
    // The whole session is gone: its newest tokens too.
    const after = await api.post("/api/v1/auth/refresh", { refreshToken: r1.body.refreshToken });
    assert.equal(after.body.error.code, "SESSION_ENDED");
    assert.equal(
      (await api.get("/api/v1/auth/session", { token: r1.body.accessToken })).body.error.code,
      "SESSION_ENDED",
    );
  });

  it("signs out: the access token stops working at once", async () => {
    const { token, refreshToken } = await api.signIn(newKeypair());
    const out = await api.post("/api/v1/auth/logout", undefined, { token });
    assert.equal(out.status, 204);
    const me = await api.get("/api/v1/auth/session", { token });
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, "SESSION_ENDED");
    assert.equal((await api.post("/api/v1/auth/refresh", { refreshToken })).status, 401);
  });

  it("refuses forged, expired and malformed tokens with 401", async () => {
    const { token } = await api.signIn(newKeypair());
    const [h, p] = token.split(".");
    const claims = JSON.parse(Buffer.from(p as string, "base64url").toString());
    const escalated = Buffer.from(JSON.stringify({ ...claims, roles: ["user", "admin"] })).toString("base64url");
    const forged = await api.get("/api/v1/auth/session", { token: `${h}.${escalated}.${token.split(".")[2]}` });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.error.code, "TOKEN_INVALID");
    const bad = await api.get("/api/v1/auth/session", { headers: { authorization: "Basic abc" } });
    assert.equal(bad.body.error.code, "BAD_AUTHORIZATION");
    assert.equal((await api.get("/api/v1/auth/session")).body.error.code, "UNAUTHENTICATED");
  });

  it("gives treasury members the signer role from the chain mirror", async () => {
    const signer = stack.localnet.wallet("signer-1");
    await until("multisig members mirrored", async () => (await stack.deps.prisma.treasuryMember.count()) > 0, 30_000);
    const { session } = await api.signIn(signer);
    assert.ok(session.roles.includes("signer"), JSON.stringify(session.roles));
    assert.ok(session.permissions.includes("treasury:proposal:vote"));
  });

  it("answers malformed input with the one error shape and the request id", async () => {
    const r = await api.post(
      "/api/v1/auth/nonce",
      { address: "not-an-address" },
      { headers: { "x-request-id": "req-abc-1" } },
    );
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "VALIDATION_FAILED");
    assert.equal(r.body.error.requestId, "req-abc-1");
    assert.equal(r.headers.get("x-request-id"), "req-abc-1");
    assert.ok(Array.isArray(r.body.error.details));
    const extra = await api.post("/api/v1/auth/nonce", { address: newKeypair().publicKey.toBase58(), admin: true });
    assert.equal(extra.status, 400);
    const json = await api.request("POST", "/api/v1/auth/nonce", { raw: "{not json" });
    assert.equal(json.status, 400);
    assert.equal(typeof json.body.error.requestId, "string");
    const missing = await api.get("/api/v1/nope");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "ROUTE_NOT_FOUND");
  });

  it("limits requests per IP and per wallet (429 with Retry-After)", async () => {
    const { config } = stack.deps;
    const { token } = await api.signIn(newKeypair());
    config.rateLimitPerWallet = 3;
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await api.get("/api/v1/auth/session", { token })).status);
      assert.deepEqual(codes.slice(0, 3), [200, 200, 200]);
      assert.equal(codes[4], 429);
      const r = await api.get("/api/v1/auth/session", { token });
      assert.equal(r.body.error.code, "RATE_LIMITED");
      assert.ok(Number(r.headers.get("retry-after")) > 0);
    } finally {
      config.rateLimitPerWallet = 300;
    }
    config.rateLimitPerIp = 0;
    try {
      const r = await api.post("/api/v1/auth/nonce", { address: newKeypair().publicKey.toBase58() });
      assert.equal(r.status, 429);
      assert.match(r.body.error.message, /IP address/);
    } finally {
      config.rateLimitPerIp = 600;
    }
  });

  it("allows only listed origins (CORS) and sends security headers", async () => {
    const ok = await api.request("OPTIONS", "/api/v1/auth/nonce", {
      headers: { origin: "http://ece.test", "access-control-request-method": "POST" },
    });
    assert.equal(ok.headers.get("access-control-allow-origin"), "http://ece.test");
    assert.equal(ok.headers.get("access-control-allow-credentials"), "true");
    const evil = await api.request("OPTIONS", "/api/v1/auth/nonce", {
      headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(evil.headers.get("access-control-allow-origin"), null);
    const h = await api.get("/health");
    assert.equal(h.headers.get("x-content-type-options"), "nosniff");
    assert.ok(h.headers.get("content-security-policy"));
    assert.ok(h.headers.get("strict-transport-security"));
  });

  it("serves /health, /ready with each dependency, /metrics and the OpenAPI document", async () => {
    assert.deepEqual((await api.get("/health")).body, { status: "ok" });
    const ready = await api.get("/ready");
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(
      ready.body.checks.map((c: { name: string }) => c.name),
      ["postgres", "redis", "rpc"],
    );
    const metrics = await api.get("/metrics");
    assert.match(
      metrics.text,
      /ece_api_http_requests_total\{method="POST",route="\/api\/v1\/auth\/nonce",status="200"\} \d+/,
    );
    const doc = await api.get("/api/openapi.json");
    assert.equal(doc.body.openapi, "3.1.0");
    assert.ok(doc.body.paths["/api/v1/auth/verify"].post);
    const ui = await api.get("/api/docs/");
    assert.equal(ui.status, 200);
  });
});
