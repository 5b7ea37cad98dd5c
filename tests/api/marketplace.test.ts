// Marketplace end to end on the localnet: list (approve the platform delegate),
// confirm, buy (one atomic transaction co-signed by the delegate), settle; and
// the refusals: not the holder, cancelled, sold, own listing, expired, tampered
// amount, other user's cancel, malformed bodies.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { confirmSignature, decodeTokenAccount, marketplace } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Connection, type Keypair, PublicKey, Transaction } from "@solana/web3.js";
import { Redis } from "ioredis";
import { eventsChannel, type LiveEvent } from "../../api/src/domains/events/bus.js";
import { sweepListings } from "../../api/src/domains/marketplace/sweep.js";
import { prepareTraffic } from "../../scripts/src/traffic/index.js";
import { type ApiClient, type Body, giveTokenIxs, sendIxs, signBuilt } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { until } from "../src/localnet-client.js";

const PRICE = 10_000_000n; // 10 USDC
const FEE = (PRICE * 250n) / 10_000n; // MARKETPLACE_FEE_BPS=250

describe("api: marketplace", function () {
  this.timeout(120_000);
  let stack: ApiStack;
  let api: ApiClient;
  let conn: Connection;
  const admin = newKeypair();
  let alice: Keypair;
  let bob: Keypair;
  let carol: Keypair;
  const token: Record<string, string> = {};
  let usdc: PublicKey;
  let vault: PublicKey;
  const deck: Body[] = [];
  /** Live events the API published (Redis pub/sub, as every API process receives them). */
  const events: LiveEvent[] = [];
  let subscriber: Redis | undefined;

  before(async () => {
    stack = await startApiStack("api_marketplace", {
      indexer: false,
      env: { ADMIN_WALLETS: admin.publicKey.toBase58(), MARKETPLACE_FEE_BPS: "250" },
    });
    api = stack.client;
    conn = stack.localnet.connection();
    alice = stack.localnet.wallet("alice");
    bob = stack.localnet.wallet("bob");
    carol = stack.localnet.wallet("carol");
    usdc = new PublicKey(stack.manifest.usdcMint);
    vault = stack.deps.platform.vaults.usdc;
    subscriber = new Redis(stack.deps.config.redisUrl);
    subscriber.on("message", (_channel, text: string) => events.push(JSON.parse(text) as LiveEvent));
    await subscriber.subscribe(eventsChannel(stack.deps.config.redisPrefix));
    for (const [name, kp] of Object.entries({ admin, alice, bob, carol })) token[name] = (await api.signIn(kp)).token;
    for (let i = 0; i < 4; i++) {
      const r = await api.post(
        "/api/v1/cards",
        {
          ...(i === 0
            ? { company: { name: "Orbital Freight", ticker: "ORBF", sector: "Logistics" } }
            : { companyId: deck[0].company.id }),
          name: `Orbital #${i}`,
          rarity: "epic",
          owner: alice.publicKey.toBase58(),
        },
        { token: token.admin },
      );
      assert.equal(r.status, 201, r.text);
      deck.push(r.body);
    }
  });
  after(async () => {
    subscriber?.disconnect();
    await stack?.stop();
  });

  /** Signs a built transaction with `signers` and sends it; resolves once confirmed (throws if it failed). */
  async function send(built: Body, signers: Keypair[]): Promise<string> {
    const signature = await conn.sendRawTransaction(signBuilt(built.transaction, signers));
    const r = await confirmSignature(conn, signature, built.lastValidBlockHeight);
    if (!r.ok) throw new Error(`transaction failed: ${JSON.stringify(r.err)}`);
    return signature;
  }
  const balance = async (account: PublicKey) => {
    const info = await conn.getAccountInfo(account, "confirmed");
    return info ? (decodeTokenAccount(info.data)?.amount ?? 0n) : 0n;
  };
  const usdcOf = (kp: Keypair) => balance(getAssociatedTokenAddressSync(usdc, kp.publicKey));
  const cardOf = (kp: Keypair, card: Body) =>
    balance(getAssociatedTokenAddressSync(new PublicKey(card.mint), kp.publicKey));

  async function list(card: Body, seller = "alice", extra: Record<string, unknown> = {}) {
    const r = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: card.id, currency: "USDC", price: PRICE.toString(), ...extra },
      { token: token[seller] },
    );
    assert.equal(r.status, 201, r.text);
    return r.body as { listing: Body; transaction: Body };
  }
  async function listAndApprove(card: Body) {
    const { listing, transaction } = await list(card);
    const signature = await send(transaction, [alice]);
    const c = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/confirm`,
      { signature },
      { token: token.alice },
    );
    assert.equal(c.status, 200, c.text);
    return { listing: c.body, approveSignature: signature };
  }

  let sold: Body;
  let saleSignature: string;

  it("sells a card end to end: list, approve, confirm, buy, sign, send, settle; balances and owner follow", async () => {
    const card = deck[0];
    const { listing, transaction } = await list(card);
    assert.equal(listing.status, "active");
    assert.equal(listing.approval, "pending");
    assert.equal(listing.price, PRICE.toString());
    assert.equal(listing.fee, FEE.toString());
    assert.equal(listing.sellerReceives, (PRICE - FEE).toString());
    assert.equal(listing.currencyMint, usdc.toBase58());
    assert.deepEqual(transaction.signers, [alice.publicKey.toBase58()]);

    // Not buyable before the approval is on chain.
    const early = await api.post(`/api/v1/marketplace/listings/${listing.id}/buy`, undefined, { token: token.bob });
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, "APPROVAL_MISSING");

    const approveSignature = await send(transaction, [alice]);
    const account = await conn.getAccountInfo(getAssociatedTokenAddressSync(new PublicKey(card.mint), alice.publicKey));
    const decoded = decodeTokenAccount(account?.data as Buffer);
    assert.equal(decoded?.delegate?.toBase58(), stack.deps.platformKey.publicKey.toBase58());
    assert.equal(decoded?.delegatedAmount, 1n);

    const notSeller = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/confirm`,
      { signature: approveSignature },
      { token: token.bob },
    );
    assert.equal(notSeller.status, 403);
    const confirmed = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/confirm`,
      { signature: approveSignature },
      { token: token.alice },
    );
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.body.approval, "verified");
    assert.equal(confirmed.body.approveSignature, approveSignature);

    const before = { alice: await usdcOf(alice), bob: await usdcOf(bob), vault: await balance(vault) };
    const buy = await api.post(`/api/v1/marketplace/listings/${listing.id}/buy`, undefined, { token: token.bob });
    assert.equal(buy.status, 200, buy.text);
    assert.deepEqual(buy.body.transaction.signers, [bob.publicKey.toBase58()]);
    const tx = Transaction.from(Buffer.from(buy.body.transaction.transaction, "base64"));
    assert.equal(tx.feePayer?.toBase58(), bob.publicKey.toBase58());
    const delegateSig = tx.signatures.find((s) => s.publicKey.equals(stack.deps.platformKey.publicKey));
    assert.ok(delegateSig?.signature, "the platform delegate signed");
    saleSignature = await send(buy.body.transaction, [bob]);

    assert.equal(await usdcOf(alice), before.alice + PRICE - FEE);
    assert.equal(await balance(vault), before.vault + FEE);
    assert.equal(await usdcOf(bob), before.bob - PRICE);
    assert.equal(await cardOf(bob, card), 1n);
    assert.equal(await cardOf(alice, card), 0n);

    const settle = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/settle`,
      { signature: saleSignature },
      { token: token.bob },
    );
    assert.equal(settle.status, 200, settle.text);
    sold = settle.body;
    assert.equal(sold.buyer, bob.publicKey.toBase58());
    assert.equal(sold.seller, alice.publicKey.toBase58());
    assert.equal(sold.price, PRICE.toString());
    assert.equal(sold.fee, FEE.toString());
    assert.equal(sold.currency, "USDC");
    assert.equal(sold.signature, saleSignature);
    // Idempotent: the same signature again is the same sale (by anyone, e.g. the seller).
    const again = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/settle`,
      { signature: saleSignature },
      { token: token.alice },
    );
    assert.equal(again.status, 200);
    assert.equal(again.body.id, sold.id);
    assert.equal(await stack.deps.prisma.sale.count({ where: { listingId: listing.id } }), 1);
    // The web app sees the listing go live and the sale happen without a reload: one event each, none for the replay.
    const ofListing = (type: string) =>
      events.filter((e) => e.type === type && (e.data as { listingId?: string; id: string }).id === listing.id);
    const published = await until("the sale event", () => {
      const sales = events.filter((e) => e.type === "sale.completed" && (e.data as Body).listingId === listing.id);
      return sales.length > 0 && sales;
    });
    assert.deepEqual(
      published.map((e) => [(e.data as Body).signature, (e.data as Body).buyer]),
      [[saleSignature, bob.publicKey.toBase58()]],
    );
    assert.deepEqual(
      ofListing("listing.active").map((e) => (e.data as Body).approval),
      ["verified"],
    );

    const after = await api.get(`/api/v1/marketplace/listings/${listing.id}`);
    assert.equal(after.body.status, "sold");
    const row = await stack.deps.prisma.card.findUnique({ where: { id: card.id } });
    assert.equal(row?.owner, bob.publicKey.toBase58());
    const detail = await api.get(`/api/v1/cards/${card.id}`);
    assert.equal(detail.body.owner, bob.publicKey.toBase58());
    const actions = (
      await stack.deps.prisma.auditLog.findMany({
        where: { resource: `listing:${listing.id}` },
        orderBy: { at: "asc" },
      })
    ).map((e) => e.action);
    for (const a of [
      "marketplace.listing.create",
      "marketplace.listing.confirm",
      "marketplace.sale.cosign",
      "marketplace.sale.settle",
    ]) {
      assert.ok(actions.includes(a), `${a} in ${actions}`);
    }
  });

  it("settle's check finds a sale that paid less than the price in the transaction's token balances", async () => {
    const tx = await conn.getTransaction(saleSignature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    const keys = tx?.transaction.message.staticAccountKeys.map((k) => k.toBase58()) ?? [];
    const changes = marketplace.tokenBalanceChanges(keys, tx?.meta?.preTokenBalances, tx?.meta?.postTokenBalances);
    const expected = {
      seller: alice.publicKey.toBase58(),
      buyer: bob.publicKey.toBase58(),
      cardMint: deck[0].mint,
      currencyMint: usdc.toBase58(),
      vault: vault.toBase58(),
      price: PRICE,
      fee: FEE,
    };
    assert.deepEqual(marketplace.saleMismatches(changes, expected), []);
    const dearer = marketplace.saleMismatches(changes, { ...expected, price: PRICE + 1n });
    assert.ok(dearer.some((p) => /seller received/.test(p)) && dearer.some((p) => /buyer paid/.test(p)), `${dearer}`);
    assert.ok(marketplace.saleMismatches(changes, { ...expected, buyer: carol.publicKey.toBase58() }).length > 0);
  });

  it("refuses buying an already-sold listing with 409", async () => {
    const r = await api.post(`/api/v1/marketplace/listings/${sold.listingId}/buy`, undefined, { token: token.carol });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, "LISTING_NOT_ACTIVE");
  });

  it("refuses listing a card the caller does not hold on chain (403) and an unknown card (404)", async () => {
    // Bob holds deck[0] now; Alice no longer does.
    const notMine = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: deck[0].id, currency: "USDC", price: "5" },
      { token: token.alice },
    );
    assert.equal(notMine.status, 403);
    assert.equal(notMine.body.error.code, "NOT_CARD_OWNER");
    const bobs = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: deck[1].id, currency: "USDC", price: "5" },
      { token: token.bob },
    );
    assert.equal(bobs.status, 403);
    const unknown = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: randomUUID(), currency: "USDC", price: "5" },
      { token: token.alice },
    );
    assert.equal(unknown.status, 404);
  });

  it("refuses settling a transaction that is not this sale", async () => {
    const { listing, approveSignature } = await listAndApprove(deck[1]);
    // The approve transaction: not co-signed by the delegate, moves nothing.
    const wrong = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/settle`,
      { signature: approveSignature },
      { token: token.bob },
    );
    assert.equal(wrong.status, 409);
    assert.equal(wrong.body.error.code, "NOT_A_SALE");
    // Another listing's sale.
    const other = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/settle`,
      { signature: saleSignature },
      { token: token.bob },
    );
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, "SIGNATURE_USED");
    // Nothing landed under this signature.
    const missing = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/settle`,
      { signature: "1".repeat(64) },
      { token: token.bob },
    );
    assert.equal(missing.status, 409);
    assert.equal(missing.body.error.code, "TX_NOT_FOUND");
    assert.equal((await api.get(`/api/v1/marketplace/listings/${listing.id}`)).body.status, "active");
  });

  it("refuses a second active listing of the same card and the seller buying their own listing", async () => {
    const dup = await api.post(
      "/api/v1/marketplace/listings",
      { cardId: deck[1].id, currency: "ECE", price: "7" },
      { token: token.alice },
    );
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, "ALREADY_LISTED");
    const [open] = (await api.get(`/api/v1/marketplace/listings?cardId=${deck[1].id}&status=active`)).body.items;
    const own = await api.post(`/api/v1/marketplace/listings/${open.id}/buy`, undefined, { token: token.alice });
    assert.equal(own.status, 409);
    assert.equal(own.body.error.code, "OWN_LISTING");
  });

  it("paying less than the price cannot land: a tampered amount voids the delegate's signature and nothing moves", async () => {
    const [open] = (await api.get(`/api/v1/marketplace/listings?cardId=${deck[1].id}&status=active`)).body.items;
    const buy = await api.post(`/api/v1/marketplace/listings/${open.id}/buy`, undefined, { token: token.bob });
    assert.equal(buy.status, 200, buy.text);
    const tx = Transaction.from(Buffer.from(buy.body.transaction.transaction, "base64"));
    // Instruction 2 pays the seller: transferChecked, amount at bytes 1..9. Pay 1 base unit instead.
    const pay = tx.instructions[2];
    assert.equal(pay?.data[0], 12);
    assert.equal(pay?.data.readBigUInt64LE(1), PRICE - FEE);
    pay?.data.writeBigUInt64LE(1n, 1);
    tx.partialSign(bob);
    const wire = tx.serialize({ requireAllSignatures: false, verifySignatures: false });
    const before = { alice: await usdcOf(alice), bob: await usdcOf(bob), vault: await balance(vault) };
    await assert.rejects(conn.sendRawTransaction(wire), /signature verification failure/i);
    // Without preflight the node drops it: still nothing moves.
    const dropped = await conn.sendRawTransaction(wire, { skipPreflight: true }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 500));
    if (typeof dropped === "string") {
      const st = (await conn.getSignatureStatuses([dropped])).value[0];
      assert.ok(!st || st.err !== null, "the tampered transaction did not succeed");
    }
    assert.equal(await usdcOf(alice), before.alice);
    assert.equal(await usdcOf(bob), before.bob);
    assert.equal(await balance(vault), before.vault);
    assert.equal(await cardOf(alice, deck[1]), 1n);
    assert.equal(await cardOf(bob, deck[1]), 0n);
    // Re-signed by the buyer alone, the delegate's transfer cannot execute either.
    const fresh = Transaction.from(Buffer.from(buy.body.transaction.transaction, "base64"));
    const forged = new Transaction({
      feePayer: bob.publicKey,
      blockhash: fresh.recentBlockhash as string,
      lastValidBlockHeight: buy.body.transaction.lastValidBlockHeight,
    }).add(...fresh.instructions);
    (forged.instructions[2] as { data: Buffer }).data.writeBigUInt64LE(1n, 1);
    forged.partialSign(bob);
    assert.throws(() => forged.serialize(), /Missing signature/);
  });

  it("lets only the seller cancel (403 otherwise); the revoke clears the approval; a cancelled listing cannot be bought", async () => {
    const [open] = (await api.get(`/api/v1/marketplace/listings?cardId=${deck[1].id}&status=active`)).body.items;
    // Bob gets a co-signed sale before the cancel: the revoke must make it fail on chain.
    const early = await api.post(`/api/v1/marketplace/listings/${open.id}/buy`, undefined, { token: token.bob });
    assert.equal(early.status, 200);

    const byCarol = await api.post(`/api/v1/marketplace/listings/${open.id}/cancel`, undefined, { token: token.carol });
    assert.equal(byCarol.status, 403);
    assert.equal(byCarol.body.error.code, "NOT_SELLER");
    assert.equal((await api.get(`/api/v1/marketplace/listings/${open.id}`)).body.status, "active");

    const cancel = await api.post(`/api/v1/marketplace/listings/${open.id}/cancel`, undefined, { token: token.alice });
    assert.equal(cancel.status, 200, cancel.text);
    assert.equal(cancel.body.listing.status, "cancelled");
    assert.ok(cancel.body.transaction);
    const cancelled = await until("the cancel event", () =>
      events.find((e) => e.type === "listing.cancelled" && (e.data as Body).id === open.id),
    );
    assert.equal((cancelled.data as Body).status, "cancelled");
    await send(cancel.body.transaction, [alice]);
    const info = await conn.getAccountInfo(getAssociatedTokenAddressSync(new PublicKey(deck[1].mint), alice.publicKey));
    assert.equal(decodeTokenAccount(info?.data as Buffer)?.delegate, null);

    const buy = await api.post(`/api/v1/marketplace/listings/${open.id}/buy`, undefined, { token: token.bob });
    assert.equal(buy.status, 409);
    assert.equal(buy.body.error.code, "LISTING_NOT_ACTIVE");
    await assert.rejects(send(early.body.transaction, [bob]));
    assert.equal(await cardOf(alice, deck[1]), 1n);
    const again = await api.post(`/api/v1/marketplace/listings/${open.id}/cancel`, undefined, { token: token.alice });
    assert.equal(again.status, 409);
    const audits = await stack.deps.prisma.auditLog.count({
      where: { action: "marketplace.listing.cancel", resource: `listing:${open.id}` },
    });
    assert.equal(audits, 1);
  });

  it("refuses buying an expired listing with 409 and lists it as expired", async () => {
    const { listing } = await list(deck[2], "alice", { expiresAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((r) => setTimeout(r, 1600));
    const r = await api.post(`/api/v1/marketplace/listings/${listing.id}/buy`, undefined, { token: token.bob });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, "LISTING_EXPIRED");
    assert.equal((await api.get(`/api/v1/marketplace/listings/${listing.id}`)).body.status, "expired");
    const expired = await api.get(`/api/v1/marketplace/listings?status=expired&cardId=${deck[2].id}`);
    assert.deepEqual(
      expired.body.items.map((l: Body) => l.id),
      [listing.id],
    );
    // An expired listing does not block a new one.
    const relist = await list(deck[2]);
    assert.equal(relist.listing.status, "active");
  });

  it("refuses malformed bodies and ids with 400, and anonymous writes with 401", async () => {
    const good = { cardId: deck[3].id, currency: "USDC", price: "100" };
    const bad: unknown[] = [
      { ...good, price: "abc" },
      { ...good, price: "-5" },
      { ...good, price: "0" },
      { ...good, price: "99999999999999999999" }, // above u64
      { ...good, price: 100 }, // a JSON number: amounts are decimal strings (numbers lose precision above 2^53)
      { ...good, currency: "SOL" },
      { ...good, cardId: "nope" },
      { ...good, seller: bob.publicKey.toBase58() },
      { ...good, expiresAt: "tomorrow" },
      { ...good, expiresAt: new Date(Date.now() - 1000).toISOString() },
      { cardId: deck[3].id },
    ];
    for (const body of bad) {
      const r = await api.post("/api/v1/marketplace/listings", body, { token: token.alice });
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
    }
    const raw = await api.request("POST", "/api/v1/marketplace/listings", { raw: "{not json", token: token.alice });
    assert.equal(raw.status, 400);
    assert.equal(
      (await api.post("/api/v1/marketplace/listings/nope/buy", undefined, { token: token.bob })).status,
      400,
    );
    const badSig = await api.post(
      `/api/v1/marketplace/listings/${sold.listingId}/settle`,
      { signature: "0OIl" },
      { token: token.bob },
    );
    assert.equal(badSig.status, 400);
    assert.equal((await api.post("/api/v1/marketplace/listings", good)).status, 401);
    assert.equal(
      (await api.post(`/api/v1/marketplace/listings/${randomUUID()}/buy`, undefined, { token: token.bob })).status,
      404,
    );
    assert.equal(await stack.deps.prisma.listing.count({ where: { cardId: deck[3].id } }), 0);
  });

  it("lists listings and sales with filters and cursors", async () => {
    const mine = await api.get(`/api/v1/marketplace/listings?seller=${alice.publicKey.toBase58()}`);
    assert.equal(mine.status, 200);
    const ids = mine.body.items.map((l: Body) => l.id);
    assert.equal(ids.length, await stack.deps.prisma.listing.count({ where: { seller: alice.publicKey.toBase58() } }));
    // Page by one: the same listings in the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const r: Body = await api.get(
        `/api/v1/marketplace/listings?seller=${alice.publicKey.toBase58()}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      assert.equal(r.status, 200);
      paged.push(...r.body.items.map((l: Body) => l.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.deepEqual(paged, ids);
    const soldOnes = await api.get("/api/v1/marketplace/listings?status=sold&currency=USDC");
    assert.deepEqual(
      soldOnes.body.items.map((l: Body) => l.id),
      [sold.listingId],
    );
    assert.equal((await api.get("/api/v1/marketplace/listings?currency=ECE")).body.items.length, 0);
    const cancelled = await api.get("/api/v1/marketplace/listings?status=cancelled");
    assert.equal(cancelled.body.items.length, 1);

    const sales = await api.get(`/api/v1/marketplace/sales?buyer=${bob.publicKey.toBase58()}`);
    assert.deepEqual(
      sales.body.items.map((s: Body) => s.id),
      [sold.id],
    );
    assert.equal((await api.get(`/api/v1/marketplace/sales?seller=${bob.publicKey.toBase58()}`)).body.items.length, 0);
    assert.equal((await api.get(`/api/v1/marketplace/sales?cardId=${deck[0].id}`)).body.items.length, 1);
    assert.equal((await api.get("/api/v1/marketplace/sales?cursor=zzz")).status, 400);
    assert.equal((await api.get("/api/v1/marketplace/listings?status=gone")).status, 400);
  });

  it("sells for ECE too: the seller gets price − fee in ECE and the fee lands in the treasury's ECE vault", async () => {
    // ECE exists only through ece_token: a minter added by a treasury proposal mints to alice, bob and carol.
    await prepareTraffic({
      rpcUrl: stack.localnet.rpcUrl,
      walletsDir: stack.localnet.walletsDir,
      manifest: stack.manifest,
    });
    const ece = new PublicKey(stack.manifest.token.eceMint);
    const eceVault = stack.deps.platform.vaults.ece;
    const eceOf = (kp: Keypair) => balance(getAssociatedTokenAddressSync(ece, kp.publicKey));
    const minted = await api.post(
      "/api/v1/cards",
      { companyId: deck[0].company.id, name: "Priced in ECE", rarity: "rare", owner: alice.publicKey.toBase58() },
      { token: token.admin },
    );
    assert.equal(minted.status, 201, minted.text);
    const price = 7_000_000n;
    const fee = (price * 250n) / 10_000n;
    const { listing, transaction } = await list(minted.body, "alice", { currency: "ECE", price: price.toString() });
    assert.equal(listing.fee, fee.toString());
    const approve = await send(transaction, [alice]);
    assert.equal(
      (
        await api.post(
          `/api/v1/marketplace/listings/${listing.id}/confirm`,
          { signature: approve },
          { token: token.alice },
        )
      ).status,
      200,
    );
    const before = { alice: await eceOf(alice), bob: await eceOf(bob), vault: await balance(eceVault) };
    const buy = await api.post(`/api/v1/marketplace/listings/${listing.id}/buy`, undefined, { token: token.bob });
    assert.equal(buy.status, 200, buy.text);
    const signature = await send(buy.body.transaction, [bob]);
    const settled = await api.post(
      `/api/v1/marketplace/listings/${listing.id}/settle`,
      { signature },
      { token: token.bob },
    );
    assert.equal(settled.status, 200, settled.text);
    assert.equal(settled.body.currency, "ECE");
    assert.equal(await eceOf(alice), before.alice + price - fee);
    assert.equal(await eceOf(bob), before.bob - price);
    assert.equal(await balance(eceVault), before.vault + fee);
    assert.equal(await cardOf(bob, minted.body), 1n);
  });

  it("records a sale nobody settled, and ends a listing whose card left without a sale (the sweep)", async () => {
    const fresh: Body[] = [];
    for (const name of ["Unsettled", "Given away"]) {
      const r = await api.post(
        "/api/v1/cards",
        { companyId: deck[0].company.id, name, rarity: "common", owner: alice.publicKey.toBase58() },
        { token: token.admin },
      );
      assert.equal(r.status, 201, r.text);
      fresh.push(r.body);
    }
    const [unsettled, givenAway] = fresh as [Body, Body];
    // Bob buys and sends, and his app never calls settle.
    const a = await listAndApprove(unsettled);
    const buy = await api.post(`/api/v1/marketplace/listings/${a.listing.id}/buy`, undefined, { token: token.bob });
    assert.equal(buy.status, 200, buy.text);
    const signature = await send(buy.body.transaction, [bob]);
    // Alice gives the other listed card away outside the platform.
    const b = await listAndApprove(givenAway);
    await sendIxs(conn, giveTokenIxs(alice.publicKey, carol.publicKey, new PublicKey(givenAway.mint), 1n), [alice]);

    assert.deepEqual(await sweepListings(stack.deps), { settled: 1, ended: 1 });
    const sale = await stack.deps.prisma.sale.findUnique({ where: { signature } });
    assert.equal(sale?.listingId, a.listing.id);
    assert.equal(sale?.buyer, bob.publicKey.toBase58());
    assert.equal((await api.get(`/api/v1/marketplace/listings/${a.listing.id}`)).body.status, "sold");
    assert.equal((await api.get(`/api/v1/marketplace/listings/${b.listing.id}`)).body.status, "cancelled");
    const entries = await stack.deps.prisma.auditLog.findMany({ where: { actor: "system:marketplace-sweep" } });
    assert.deepEqual(entries.map((e) => e.action).sort(), ["marketplace.listing.ended", "marketplace.sale.settle"]);
    // Nothing left to do; bob's late settle answers with the recorded sale.
    assert.deepEqual(await sweepListings(stack.deps), { settled: 0, ended: 0 });
    const late = await api.post(
      `/api/v1/marketplace/listings/${a.listing.id}/settle`,
      { signature },
      { token: token.bob },
    );
    assert.equal(late.status, 200, late.text);
    assert.equal(late.body.id, sale?.id);
  });
});
