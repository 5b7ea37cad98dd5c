// The users domain: profile, preferences, balances from the chain, admin reads and
// role grants (and their refusals), notifications scoped to their owner.
import assert from "node:assert/strict";
import { newKeypair } from "@ece/sdk/node";
import {
  createInitializeAccount3Instruction,
  createTransferInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { type Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { type ApiClient, sendIxs } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";

describe("api: users", function () {
  this.timeout(120_000);
  let stack: ApiStack;
  let api: ApiClient;
  const admin = newKeypair();
  let alice: Keypair;
  let bob: Keypair;
  let aliceToken: string;
  let bobToken: string;
  let adminToken: string;

  before(async () => {
    stack = await startApiStack("api_users", { indexer: false, env: { ADMIN_WALLETS: admin.publicKey.toBase58() } });
    api = stack.client;
    alice = stack.localnet.wallet("alice");
    bob = stack.localnet.wallet("bob");
    aliceToken = (await api.signIn(alice)).token;
    bobToken = (await api.signIn(bob)).token;
    adminToken = (await api.signIn(admin)).token;
  });
  after(async () => stack?.stop());

  it("serves the signed-in profile with the session's roles, and nothing without a session", async () => {
    const r = await api.get("/api/v1/users/me", { token: aliceToken });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.wallet, alice.publicKey.toBase58());
    assert.deepEqual(r.body.roles, ["user"]);
    assert.equal(r.body.kycStatus, "none");
    assert.deepEqual(r.body.preferences, {});
    assert.equal(r.body.displayName, null);
    const a = await api.get("/api/v1/users/me", { token: adminToken });
    assert.deepEqual([...a.body.roles].sort(), ["admin", "user"]);
    assert.equal((await api.get("/api/v1/users/me")).status, 401);
    assert.equal((await api.get("/api/v1/users/me/balances")).status, 401);
  });

  it("updates the profile with an audited before and after, and refuses malformed changes", async () => {
    const r = await api.patch(
      "/api/v1/users/me",
      { displayName: "Alice", email: "alice@example.com", preferences: { theme: "dark", currency: "USDC" } },
      { token: aliceToken },
    );
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.displayName, "Alice");
    assert.equal(r.body.email, "alice@example.com");
    assert.deepEqual(r.body.preferences, { theme: "dark", currency: "USDC" });
    const row = await stack.deps.prisma.user.findUniqueOrThrow({ where: { wallet: alice.publicKey.toBase58() } });
    assert.equal(row.email, "alice@example.com");
    const [entry] = await stack.deps.prisma.auditLog.findMany({
      where: { actor: alice.publicKey.toBase58(), action: "users.profile.update" },
    });
    assert.ok(entry);
    assert.deepEqual(entry.before, { displayName: null, email: null, preferences: {} });
    assert.deepEqual(entry.after, {
      displayName: "Alice",
      email: "alice@example.com",
      preferences: { theme: "dark", currency: "USDC" },
    });

    const bad = async (body: unknown, code = "VALIDATION_FAILED") => {
      const res = await api.patch("/api/v1/users/me", body, { token: aliceToken });
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`);
      assert.equal(res.body.error.code, code);
    };
    await bad({ email: "not-an-email" });
    await bad({});
    await bad({ displayName: "" });
    await bad({ roles: ["admin"] });
    await bad({ preferences: "dark" });
    await bad({ preferences: { blob: "x".repeat(5000) } }, "PREFERENCES_TOO_LARGE");
    // Postgres refuses NUL in text and jsonb: refused up front, not a 500.
    await bad({ displayName: "a\u0000b" });
    await bad({ displayName: " padded" });
    await bad({ preferences: { "k\u0000": 1 } }, "PREFERENCES_INVALID");
    await bad({ preferences: { nested: ["ok", { deep: "x\u0000" }] } }, "PREFERENCES_INVALID");
    // Null clears a field; the others stay.
    const cleared = await api.patch("/api/v1/users/me", { email: null }, { token: aliceToken });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.email, null);
    assert.equal(cleared.body.displayName, "Alice");
    // Bob's profile did not move.
    const other = await api.get("/api/v1/users/me", { token: bobToken });
    assert.equal(other.body.displayName, null);
  });

  it("reads SOL, ECE and USDC from the chain, summing every token account of a mint", async () => {
    const conn = stack.localnet.connection("confirmed");
    const usdc = new PublicKey(stack.manifest.usdcMint);
    // A second USDC account besides the associated one, holding part of the balance.
    const extra = newKeypair();
    const ata = getAssociatedTokenAddressSync(usdc, alice.publicKey);
    const rent = await conn.getMinimumBalanceForRentExemption(165);
    await sendIxs(
      conn,
      [
        SystemProgram.createAccount({
          fromPubkey: alice.publicKey,
          newAccountPubkey: extra.publicKey,
          lamports: rent,
          space: 165,
          programId: TOKEN_PROGRAM_ID,
        }),
        createInitializeAccount3Instruction(extra.publicKey, usdc, alice.publicKey),
        createTransferInstruction(ata, extra.publicKey, alice.publicKey, 123_456n),
      ],
      [alice, extra],
    );

    const r = await api.get("/api/v1/users/me/balances", { token: aliceToken });
    assert.equal(r.status, 200, r.text);
    const { body } = r;
    assert.equal(body.wallet, alice.publicKey.toBase58());
    assert.ok(body.slot > 0);
    // Nothing else touches alice's accounts: the chain now says what the API said at its slot.
    const lamports = await conn.getBalance(alice.publicKey, { commitment: "confirmed", minContextSlot: body.slot });
    assert.equal(body.sol.lamports, String(lamports));
    const ataAmount = BigInt((await conn.getTokenAccountBalance(ata, "confirmed")).value.amount);
    const extraAmount = BigInt((await conn.getTokenAccountBalance(extra.publicKey, "confirmed")).value.amount);
    assert.equal(extraAmount, 123_456n);
    assert.equal(body.usdc.mint, usdc.toBase58());
    assert.equal(body.usdc.accounts, 2);
    assert.equal(body.usdc.amount, (ataAmount + extraAmount).toString());
    assert.equal(body.usdc.decimals, 6);
    assert.equal(body.ece.mint, stack.manifest.token.eceMint);
    assert.equal(body.ece.amount, "0");
    assert.equal(body.ece.accounts, 0);
  });

  it("lets admins read any profile; a user reading another's is refused", async () => {
    const r = await api.get(`/api/v1/users/${alice.publicKey.toBase58()}`, { token: adminToken });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.displayName, "Alice");
    assert.deepEqual(r.body.roles, ["user"]);
    const refused = await api.get(`/api/v1/users/${alice.publicKey.toBase58()}`, { token: bobToken });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "FORBIDDEN");
    const unknown = await api.get(`/api/v1/users/${newKeypair().publicKey.toBase58()}`, { token: adminToken });
    assert.equal(unknown.status, 404);
    const malformed = await api.get("/api/v1/users/not-a-wallet", { token: adminToken });
    assert.equal(malformed.status, 400);
  });

  it("grants off-chain roles (admins only, never signer); they apply from the next refresh", async () => {
    const bobWallet = bob.publicKey.toBase58();
    // Role escalation: a user granting themselves admin.
    const self = await api.put(`/api/v1/users/${bobWallet}/roles`, { roles: ["admin"] }, { token: bobToken });
    assert.equal(self.status, 403);
    const signer = await api.put(`/api/v1/users/${bobWallet}/roles`, { roles: ["signer"] }, { token: adminToken });
    assert.equal(signer.status, 400);
    assert.equal(signer.body.error.code, "ROLE_FROM_CHAIN");
    const bogus = await api.put(`/api/v1/users/${bobWallet}/roles`, { roles: ["root"] }, { token: adminToken });
    assert.equal(bogus.status, 400);
    const unknown = await api.put(
      `/api/v1/users/${newKeypair().publicKey.toBase58()}/roles`,
      { roles: ["auditor"] },
      { token: adminToken },
    );
    assert.equal(unknown.status, 404);
    assert.deepEqual((await stack.deps.prisma.user.findUniqueOrThrow({ where: { wallet: bobWallet } })).roles, [
      "user",
    ]);

    const { refreshToken } = await api.signIn(bob);
    const before = await api.signIn(bob);
    const r = await api.put(`/api/v1/users/${bobWallet}/roles`, { roles: ["auditor"] }, { token: adminToken });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { wallet: bobWallet, roles: ["user", "auditor"] });
    const [entry] = await stack.deps.prisma.auditLog.findMany({
      where: { action: "users.roles.set", resource: `user:${bobWallet}` },
    });
    assert.ok(entry);
    assert.equal(entry.actor, admin.publicKey.toBase58());
    assert.deepEqual(entry.before, { roles: ["user"] });
    assert.deepEqual(entry.after, { roles: ["user", "auditor"] });
    // The session issued before the change still carries the old roles…
    const old = await api.get("/api/v1/auth/session", { token: before.token });
    assert.deepEqual(old.body.roles, ["user"]);
    // …a refresh picks the new ones up.
    const refreshed = await api.post("/api/v1/auth/refresh", { refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.deepEqual([...refreshed.body.roles].sort(), ["auditor", "user"]);
    assert.ok(refreshed.body.permissions.includes("transactions:transaction:read"));
    // Still not an admin: reading another's profile stays refused.
    const still = await api.get(`/api/v1/users/${alice.publicKey.toBase58()}`, { token: refreshed.body.accessToken });
    assert.equal(still.status, 403);
  });

  it("lists the user's own notifications with a cursor and marks only their own read", async () => {
    const { prisma } = stack.deps;
    const aliceRow = await prisma.user.findUniqueOrThrow({ where: { wallet: alice.publicKey.toBase58() } });
    const bobRow = await prisma.user.findUniqueOrThrow({ where: { wallet: bob.publicKey.toBase58() } });
    const base = Date.now();
    const mine = [];
    for (let i = 0; i < 3; i++) {
      mine.push(
        await prisma.notification.create({
          data: {
            userId: aliceRow.id,
            kind: "battle.closed",
            title: `n${i}`,
            body: `body ${i}`,
            data: { i },
            createdAt: new Date(base + i * 1000),
          },
        }),
      );
    }
    const bobs = await prisma.notification.create({
      data: { userId: bobRow.id, kind: "sale.completed", title: "bob's", body: "private" },
    });

    const first = await api.get("/api/v1/users/me/notifications?limit=2", { token: aliceToken });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(
      first.body.items.map((n: { title: string }) => n.title),
      ["n2", "n1"],
    );
    assert.ok(first.body.nextCursor);
    const second = await api.get(`/api/v1/users/me/notifications?limit=2&cursor=${first.body.nextCursor}`, {
      token: aliceToken,
    });
    assert.deepEqual(
      second.body.items.map((n: { title: string }) => n.title),
      ["n0"],
    );
    assert.equal(second.body.nextCursor, null);
    const bad = await api.get("/api/v1/users/me/notifications?cursor=garbage", { token: aliceToken });
    assert.equal(bad.status, 400);

    const target = mine[1];
    assert.ok(target);
    const read = await api.post(`/api/v1/users/me/notifications/${target.id}/read`, undefined, { token: aliceToken });
    assert.equal(read.status, 200, read.text);
    assert.ok(read.body.readAt);
    const unread = await api.get("/api/v1/users/me/notifications?unread=true", { token: aliceToken });
    assert.deepEqual(
      unread.body.items.map((n: { title: string }) => n.title),
      ["n2", "n0"],
    );
    // Another user's notification: not found, and left unread.
    const foreign = await api.post(`/api/v1/users/me/notifications/${bobs.id}/read`, undefined, {
      token: aliceToken,
    });
    assert.equal(foreign.status, 404);
    assert.equal((await prisma.notification.findUniqueOrThrow({ where: { id: bobs.id } })).readAt, null);
    const listBob = await api.get("/api/v1/users/me/notifications", { token: bobToken });
    assert.deepEqual(
      listBob.body.items.map((n: { id: string }) => n.id),
      [bobs.id],
    );
    const audited = await prisma.auditLog.count({
      where: { action: "users.notification.read", resource: `notification:${target.id}` },
    });
    assert.equal(audited, 1);
  });
});
