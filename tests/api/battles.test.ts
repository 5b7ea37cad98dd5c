// M&A battles: admin creation, joins, votes signed by the wallet and weighed by
// its ECE balance at the battle's snapshot slot, the deterministic close (draws
// included), closing on read after the end, and the reward treasury proposal.
import assert from "node:assert/strict";
import { tokenHolders, treasury } from "@ece/sdk";
import { newKeypair, signBytes } from "@ece/sdk/node";
import { createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Connection, type Keypair, PublicKey } from "@solana/web3.js";
import bs58 from "bs58";
import { Redis } from "ioredis";
import { eventsChannel, type LiveEvent } from "../../api/src/domains/events/bus.js";
import { prepareTraffic } from "../../scripts/src/traffic/index.js";
import { type ApiClient, confirmed, giveTokenIxs, sendIxs, signBuilt } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { sleep, until } from "../src/localnet-client.js";

const sign = (text: string, kp: Keypair) => bs58.encode(signBytes(new TextEncoder().encode(text), kp));
/** What prepareTraffic mints to each of alice, bob and carol (base units). */
const MINTED = 1_000_000_000_000n;
const MOVED_BEFORE = 300_000_000_000n;
const MOVED_AFTER = 300_000_000_000n;

describe("api: battles", function () {
  this.timeout(180_000);
  let stack: ApiStack;
  let api: ApiClient;
  let conn: Connection;
  const admin = newKeypair();
  let alice: Keypair;
  let bob: Keypair;
  let carol: Keypair;
  let signer: Keypair;
  const tokens: Record<string, string> = {};
  const payout = newKeypair();
  const cards: Record<"x" | "y1" | "y2", string> = { x: "", y1: "", y2: "" };
  let eceMint: PublicKey;
  const battles: Record<string, string> = {};
  /** Live events the API published (Redis pub/sub, as every API process receives them). */
  const events: LiveEvent[] = [];
  let subscriber: Redis | undefined;

  const ata = (kp: Keypair) => getAssociatedTokenAddressSync(eceMint, kp.publicKey);
  const moveEce = (from: Keypair, to: Keypair, amount: bigint) =>
    sendIxs(conn, giveTokenIxs(from.publicKey, to.publicKey, eceMint, amount), [from]);
  const eceOf = async (kp: Keypair) => BigInt((await conn.getTokenAccountBalance(ata(kp), "confirmed")).value.amount);
  const create = (body: Record<string, unknown>, token = tokens.admin) => api.post("/api/v1/battles", body, { token });
  const window = (startInMs: number, endInMs: number) => ({
    startsAt: new Date(Date.now() + startInMs).toISOString(),
    endsAt: new Date(Date.now() + endInMs).toISOString(),
  });
  async function voteMessage(battle: string, side: "a" | "b", token: string | undefined) {
    const r = await api.get(`/api/v1/battles/${battle}/vote-message?side=${side}`, { token });
    assert.equal(r.status, 200, r.text);
    return r.body.message as string;
  }
  async function vote(battle: string, side: "a" | "b", kp: Keypair, token = tokens[kp.publicKey.toBase58()]) {
    const message = await voteMessage(battle, side, token);
    return api.post(`/api/v1/battles/${battle}/votes`, { side, message, signature: sign(message, kp) }, { token });
  }

  before(async () => {
    stack = await startApiStack("api_battles", { env: { ADMIN_WALLETS: admin.publicKey.toBase58() } });
    api = stack.client;
    subscriber = new Redis(stack.deps.config.redisUrl);
    subscriber.on("message", (_channel, text: string) => events.push(JSON.parse(text) as LiveEvent));
    await subscriber.subscribe(eventsChannel(stack.deps.config.redisPrefix));
    conn = stack.localnet.connection("confirmed");
    eceMint = new PublicKey(stack.manifest.token.eceMint);
    alice = stack.localnet.wallet("alice");
    bob = stack.localnet.wallet("bob");
    carol = stack.localnet.wallet("carol");
    signer = stack.localnet.wallet("signer-1");
    // ECE for the voters, minted through the real programs (a minter added by a treasury proposal).
    await prepareTraffic({
      rpcUrl: stack.localnet.rpcUrl,
      walletsDir: stack.localnet.walletsDir,
      manifest: stack.manifest,
    });
    for (const kp of [alice, bob, carol]) assert.equal(await eceOf(kp), MINTED);
    await moveEce(alice, carol, MOVED_BEFORE);
    tokens.admin = (await api.signIn(admin)).token;
    for (const kp of [alice, bob, carol]) tokens[kp.publicKey.toBase58()] = (await api.signIn(kp)).token;

    const { prisma } = stack.deps;
    const x = await prisma.company.create({
      data: { name: "Xylo Corp", ticker: "XYL", sector: "tech", payoutWallet: payout.publicKey.toBase58() },
    });
    const y = await prisma.company.create({ data: { name: "Yonder Inc", ticker: "YON", sector: "energy" } });
    const card = (companyId: string, name: string) =>
      prisma.card.create({
        data: { mint: newKeypair().publicKey.toBase58(), companyId, name, sector: "tech", rarity: "rare" },
      });
    cards.x = (await card(x.id, "Xylo")).id;
    cards.y1 = (await card(y.id, "Yonder")).id;
    cards.y2 = (await card(y.id, "Yonder II")).id;
  });
  after(async () => {
    subscriber?.disconnect();
    await stack?.stop();
  });

  it("lets only admins create battles, between two different existing cards with a sane schedule", async () => {
    const good = { title: "Xylo vs Yonder", cardAId: cards.x, cardBId: cards.y1, ...window(4_000, 120_000) };
    const user = await create(good, tokens[alice.publicKey.toBase58()]);
    assert.equal(user.status, 403);
    assert.equal((await api.post("/api/v1/battles", good)).status, 401);
    const same = await create({ ...good, cardBId: cards.x });
    assert.equal(same.status, 400);
    assert.equal(same.body.error.code, "SAME_CARD");
    const backwards = await create({ ...good, startsAt: good.endsAt, endsAt: good.startsAt });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.code, "BAD_SCHEDULE");
    const missing = await create({ ...good, cardBId: "00000000-0000-4000-8000-000000000000" });
    assert.equal(missing.status, 404);
    assert.equal((await create({ ...good, extra: 1 })).status, 400);
    assert.equal((await create({ ...good, title: "nul\u0000title" })).status, 400);

    const r = await create(good);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.status, "scheduled");
    assert.equal(r.body.cardA.id, cards.x);
    assert.equal(r.body.tallyA, "0");
    assert.equal(r.body.snapshotSlot, null);
    assert.equal(r.body.createdBy, admin.publicKey.toBase58());
    battles.one = r.body.id;
    const audited = await stack.deps.prisma.auditLog.count({
      where: { action: "battles.create", resource: `battle:${r.body.id}`, actor: admin.publicKey.toBase58() },
    });
    assert.equal(audited, 1);
  });

  it("takes joins (once per wallet, cards checked on chain) but no votes before the start", async () => {
    const id = battles.one as string;
    const b = await api.get(`/api/v1/battles/${id}`);
    assert.equal(b.body.status, "scheduled");
    assert.equal(b.body.snapshotSlot, null);
    const early = await vote(id, "a", alice);
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, "BATTLE_NOT_LIVE");

    const aliceToken = tokens[alice.publicKey.toBase58()];
    const j = await api.post(`/api/v1/battles/${id}/join`, { side: "a" }, { token: aliceToken });
    assert.equal(j.status, 201, j.text);
    assert.equal(j.body.side, "a");
    const again = await api.post(`/api/v1/battles/${id}/join`, { side: "b" }, { token: aliceToken });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "ALREADY_JOINED");
    // Carol does not hold card x's NFT on chain.
    const notHeld = await api.post(
      `/api/v1/battles/${id}/join`,
      { side: "a", cardId: cards.x },
      { token: tokens[carol.publicKey.toBase58()] },
    );
    assert.equal(notHeld.status, 403);
    assert.equal(notHeld.body.error.code, "CARD_NOT_OWNED");
    const badSide = await api.post(`/api/v1/battles/${id}/join`, { side: "c" }, { token: aliceToken });
    assert.equal(badSide.status, 400);
    assert.equal((await api.post(`/api/v1/battles/${id}/join`, { side: "a" })).status, 401);
  });

  it("snapshots every ECE holder once, at one slot, on the first read after the start", async () => {
    const id = battles.one as string;
    const { prisma } = stack.deps;
    const row = await prisma.battle.findUniqueOrThrow({ where: { id } });
    await sleep(Math.max(0, row.startsAt.getTime() - Date.now()) + 50);
    // Concurrent first reads: one snapshot, one slot.
    const reads = await Promise.all([1, 2, 3, 4].map(() => api.get(`/api/v1/battles/${id}`)));
    for (const r of reads) assert.equal(r.status, 200, r.text);
    const slots = new Set(reads.map((r) => r.body.snapshotSlot));
    assert.equal(slots.size, 1);
    const [slot] = slots;
    assert.ok(slot);
    assert.equal(reads[0]?.body.status, "live");

    // Nothing has moved ECE since: the chain now holds exactly what the snapshot recorded.
    const chain = await tokenHolders(conn, eceMint, "confirmed");
    assert.ok(chain.slot >= Number(slot));
    const snap = await prisma.battleSnapshotBalance.findMany({ where: { battleId: id } });
    assert.deepEqual(new Map(snap.map((s) => [s.wallet, BigInt(s.balance.toFixed(0))])), chain.holders);
    const weight = (kp: Keypair) => chain.holders.get(kp.publicKey.toBase58());
    assert.equal(weight(alice), MINTED - MOVED_BEFORE);
    assert.equal(weight(bob), MINTED);
    assert.equal(weight(carol), MINTED + MOVED_BEFORE);
    assert.equal(await eceOf(carol), MINTED + MOVED_BEFORE);
  });

  it("weighs votes by the snapshot, not by balances moved after it, and tallies them", async () => {
    const id = battles.one as string;
    await moveEce(bob, carol, MOVED_AFTER);
    assert.equal(await eceOf(bob), MINTED - MOVED_AFTER);

    const a = await vote(id, "a", alice);
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.weight, (MINTED - MOVED_BEFORE).toString());
    assert.equal(a.body.tallyA, (MINTED - MOVED_BEFORE).toString());
    const b = await vote(id, "a", bob);
    assert.equal(b.status, 201, b.text);
    assert.equal(b.body.weight, MINTED.toString(), "bob's weight is his balance at the snapshot");
    const c = await vote(id, "b", carol);
    assert.equal(c.status, 201, c.text);
    assert.equal(c.body.weight, (MINTED + MOVED_BEFORE).toString(), "carol's later receipt does not count");
    assert.equal(c.body.snapshotSlot, a.body.snapshotSlot);

    const view = await api.get(`/api/v1/battles/${id}`);
    assert.equal(view.body.tallyA, (2n * MINTED - MOVED_BEFORE).toString());
    assert.equal(view.body.tallyB, (MINTED + MOVED_BEFORE).toString());
    assert.equal(view.body.votes, 3);
    assert.equal(view.body.participants, 1);
    const stored = await stack.deps.prisma.battleVote.findUniqueOrThrow({
      where: { battleId_wallet: { battleId: id, wallet: carol.publicKey.toBase58() } },
    });
    assert.equal(stored.side, "b");
    assert.match(stored.message, /^ECE battle vote\n/);
    assert.equal(
      await stack.deps.prisma.auditLog.count({ where: { action: "battles.vote", resource: `battle:${id}` } }),
      3,
    );
    const published = await until("the vote events", () => {
      const votes = events.filter((e) => e.type === "battle.vote" && (e.data as { battleId: string }).battleId === id);
      return votes.length === 3 && votes;
    });
    assert.deepEqual(
      published.map((e) => (e.data as { weight: string }).weight),
      [a.body.weight, b.body.weight, c.body.weight],
    );
    assert.ok(events.some((e) => e.type === "battle.joined" && (e.data as { battleId: string }).battleId === id));
  });

  it("refuses a second vote, bad or foreign signatures, and messages for another battle or side", async () => {
    const id = battles.one as string;
    const aliceToken = tokens[alice.publicKey.toBase58()];
    // Battle two: live at once, after bob's transfer, so alice and bob weigh the same there.
    const two = await create({ title: "Yonder derby", cardAId: cards.y1, cardBId: cards.y2, ...window(0, 120_000) });
    assert.equal(two.status, 201, two.text);
    battles.two = two.body.id;

    const again = await api.get(`/api/v1/battles/${id}/vote-message?side=a`, { token: aliceToken });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "ALREADY_VOTED");
    // Replaying the first vote (same message and signature).
    const [first] = await stack.deps.prisma.battleVote.findMany({
      where: { battleId: id, wallet: alice.publicKey.toBase58() },
    });
    assert.ok(first);
    const replay = await api.post(
      `/api/v1/battles/${id}/votes`,
      { side: "a", message: first.message, signature: first.signature },
      { token: aliceToken },
    );
    assert.equal(replay.status, 409);
    assert.equal(replay.body.error.code, "ALREADY_VOTED");

    // A fresh wallet with no ECE at the snapshot.
    const dave = newKeypair();
    const daveToken = (await api.signIn(dave)).token;
    const message = await voteMessage(id, "b", daveToken);
    const post = (body: Record<string, unknown>, token = daveToken, battle = id) =>
      api.post(`/api/v1/battles/${battle}/votes`, body, { token });
    const foreign = await post({ side: "b", message, signature: sign(message, carol) });
    assert.equal(foreign.status, 401);
    assert.equal(foreign.body.error.code, "VOTE_BAD_SIGNATURE");
    const tampered = message.replace("Side: b", "Side: a");
    const t = await post({ side: "a", message: tampered, signature: sign(message, dave) });
    assert.equal(t.status, 401);
    const otherSide = await post({ side: "a", message, signature: sign(message, dave) });
    assert.equal(otherSide.status, 400);
    assert.equal(otherSide.body.error.code, "VOTE_MESSAGE_MISMATCH");
    const garbage = await post({ side: "b", message: "vote for me", signature: sign("vote for me", dave) });
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.error.code, "VOTE_MESSAGE_MALFORMED");
    const short = await post({ side: "b", message, signature: bs58.encode(new Uint8Array(32)) });
    assert.equal(short.status, 400);
    // Dave's message sent with carol's session: names another wallet, and is not carol's signature.
    const stolen = await post(
      { side: "b", message, signature: sign(message, dave) },
      tokens[carol.publicKey.toBase58()],
    );
    assert.equal(stolen.status, 401);
    // Alice's message for battle two, sent to battle one.
    const forTwo = await voteMessage(battles.two as string, "a", aliceToken);
    const misplaced = await post({ side: "a", message: forTwo, signature: sign(forTwo, alice) }, aliceToken, id);
    assert.equal(misplaced.status, 400);
    assert.equal(misplaced.body.error.code, "VOTE_MESSAGE_MISMATCH");
    const anonymous = await api.post(`/api/v1/battles/${id}/votes`, {
      side: "b",
      message,
      signature: sign(message, dave),
    });
    assert.equal(anonymous.status, 401);

    // All checks passed but no ECE at the snapshot: refused, not recorded with weight 0.
    const weightless = await post({ side: "b", message, signature: sign(message, dave) });
    assert.equal(weightless.status, 409);
    assert.equal(weightless.body.error.code, "NO_VOTING_WEIGHT");
    // Its nonce is spent: the same message again is refused.
    const reused = await post({ side: "b", message, signature: sign(message, dave) });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error.code, "VOTE_NONCE_INVALID");
    const view = await api.get(`/api/v1/battles/${id}`);
    assert.equal(view.body.votes, 3);

    // Alice's battle-two message is still good there (the misplaced attempt did not burn it).
    const ok = await post({ side: "a", message: forTwo, signature: sign(forTwo, alice) }, aliceToken, battles.two);
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.weight, (MINTED - MOVED_BEFORE).toString());
  });

  it("closes with the outcome recomputed from the votes; later votes and closes are refused", async () => {
    const id = battles.one as string;
    const late = newKeypair();
    const lateToken = (await api.signIn(late)).token;
    const lateMessage = await voteMessage(id, "a", lateToken);
    assert.equal((await api.post(`/api/v1/battles/${id}/close`, undefined, { token: lateToken })).status, 403);
    // The running tally is a cache: the outcome does not trust it.
    await stack.deps.prisma.battle.update({ where: { id }, data: { tallyA: 0, tallyB: 999 } });
    const closed = await api.post(`/api/v1/battles/${id}/close`, undefined, { token: tokens.admin });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.status, "closed");
    assert.equal(closed.body.winner, "a");
    assert.equal(closed.body.tallyA, (2n * MINTED - MOVED_BEFORE).toString());
    assert.equal(closed.body.tallyB, (MINTED + MOVED_BEFORE).toString());
    assert.ok(closed.body.closedAt);
    const [entry] = await stack.deps.prisma.auditLog.findMany({
      where: { action: "battles.close", resource: `battle:${id}` },
    });
    assert.ok(entry);
    assert.equal(entry.actor, admin.publicKey.toBase58());
    assert.equal((entry.after as { winner: string }).winner, "a");
    await until("the close event", () =>
      events.some((e) => e.type === "battle.closed" && (e.data as { battleId: string }).battleId === id),
    );

    const afterClose = await api.post(
      `/api/v1/battles/${id}/votes`,
      { side: "a", message: lateMessage, signature: sign(lateMessage, late) },
      { token: lateToken },
    );
    assert.equal(afterClose.status, 409);
    assert.equal(afterClose.body.error.code, "BATTLE_NOT_LIVE");
    const msg = await api.get(`/api/v1/battles/${id}/vote-message?side=a`, { token: lateToken });
    assert.equal(msg.status, 409);
    const twice = await api.post(`/api/v1/battles/${id}/close`, undefined, { token: tokens.admin });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, "BATTLE_CLOSED");
    const join = await api.post(`/api/v1/battles/${id}/join`, { side: "b" }, { token: lateToken });
    assert.equal(join.status, 409);
  });

  it("calls equal sums a draw (no winner) and refuses to reward it", async () => {
    const id = battles.two as string;
    const b = await vote(id, "b", bob);
    assert.equal(b.status, 201, b.text);
    // Bob's weight here is his balance after the transfer, the same as alice's.
    assert.equal(b.body.weight, (MINTED - MOVED_AFTER).toString());
    const closed = await api.post(`/api/v1/battles/${id}/close`, undefined, { token: tokens.admin });
    assert.equal(closed.status, 200, closed.text);
    assert.equal(closed.body.winner, null);
    assert.equal(closed.body.tallyA, closed.body.tallyB);
  });

  it("closes a battle read after its end, and lists battles by status with a cursor", async () => {
    const r = await create({ title: "Quick one", cardAId: cards.y1, cardBId: cards.x, ...window(0, 2_500) });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id as string;
    battles.three = id;
    const c = await vote(id, "a", carol);
    assert.equal(c.status, 201, c.text);
    assert.equal(c.body.weight, (MINTED + MOVED_BEFORE + MOVED_AFTER).toString());
    const live = await api.get("/api/v1/battles?status=live");
    assert.ok(live.body.items.some((x: { id: string }) => x.id === id));
    await sleep(Math.max(0, new Date(r.body.endsAt).getTime() - Date.now()) + 50);
    const ended = await api.get("/api/v1/battles?status=live");
    assert.ok(!ended.body.items.some((x: { id: string }) => x.id === id));
    const view = await api.get(`/api/v1/battles/${id}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.status, "closed");
    assert.equal(view.body.winner, "a");
    assert.equal(view.body.tallyA, c.body.weight);
    const row = await stack.deps.prisma.battle.findUniqueOrThrow({ where: { id } });
    assert.equal(row.status, "closed");
    assert.equal(
      await stack.deps.prisma.auditLog.count({ where: { action: "battles.close.auto", resource: `battle:${id}` } }),
      1,
    );
    const late = await vote(id, "a", bob).catch(() => null);
    assert.equal(late, null, "no vote message for a closed battle");

    const closedList = await api.get("/api/v1/battles?status=closed&limit=2");
    assert.equal(closedList.status, 200);
    assert.deepEqual(
      closedList.body.items.map((x: { id: string }) => x.id),
      [battles.three, battles.two],
    );
    assert.ok(closedList.body.nextCursor);
    const rest = await api.get(`/api/v1/battles?status=closed&limit=2&cursor=${closedList.body.nextCursor}`);
    assert.deepEqual(
      rest.body.items.map((x: { id: string }) => x.id),
      [battles.one],
    );
    assert.equal(rest.body.nextCursor, null);
    assert.equal((await api.get("/api/v1/battles?status=scheduled")).body.items.length, 0);
    assert.equal((await api.get("/api/v1/battles?status=bogus")).status, 400);
    assert.equal((await api.get("/api/v1/battles?cursor=nope")).status, 400);
    assert.equal((await api.get("/api/v1/battles/00000000-0000-4000-8000-000000000000")).status, 404);
  });

  it("builds the reward proposal for a treasury signer who is an admin; the treasury pays the winner's company", async () => {
    const id = battles.one as string;
    const body = { mint: "USDC", totalAmount: "2500000" };
    // An admin who is not a treasury signer.
    const plain = await api.post(`/api/v1/battles/${id}/reward-proposal`, body, { token: tokens.admin });
    assert.equal(plain.status, 403);
    // signer-1 is a multisig member (the indexer mirrors it); an admin grants it admin.
    const signerWallet = signer.publicKey.toBase58();
    await until(
      "the treasury members mirrored",
      () => stack.deps.prisma.treasuryMember.findFirst({ where: { member: signerWallet } }),
      30_000,
    );
    await api.signIn(signer);
    const grant = await api.put(`/api/v1/users/${signerWallet}/roles`, { roles: ["admin"] }, { token: tokens.admin });
    assert.equal(grant.status, 200, grant.text);
    const { token, session } = await api.signIn(signer);
    assert.deepEqual([...session.roles].sort(), ["admin", "signer", "user"]);

    const notClosed = await create({ title: "Open", cardAId: cards.x, cardBId: cards.y2, ...window(0, 120_000) });
    const open = await api.post(`/api/v1/battles/${notClosed.body.id}/reward-proposal`, body, { token });
    assert.equal(open.status, 409);
    assert.equal(open.body.error.code, "BATTLE_NOT_CLOSED");
    const draw = await api.post(`/api/v1/battles/${battles.two}/reward-proposal`, body, { token });
    assert.equal(draw.status, 409);
    assert.equal(draw.body.error.code, "NO_WINNER");
    // Battle three's winner (side a, a Yonder card) has no payout wallet.
    const noWallet = await api.post(`/api/v1/battles/${battles.three}/reward-proposal`, body, { token });
    assert.equal(noWallet.status, 409);
    assert.equal(noWallet.body.error.code, "NO_PAYOUT_WALLET");
    assert.equal(
      (await api.post(`/api/v1/battles/${id}/reward-proposal`, { mint: "DOGE", totalAmount: "1" }, { token })).status,
      400,
    );

    const r = await api.post(`/api/v1/battles/${id}/reward-proposal`, body, { token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.to, payout.publicKey.toBase58());
    assert.deepEqual(r.body.transaction.signers, [signerWallet]);
    const usdc = new PublicKey(stack.manifest.usdcMint);
    const destination = getAssociatedTokenAddressSync(usdc, payout.publicKey);
    assert.equal(r.body.destination, destination.toBase58());
    const wire = signBuilt(r.body.transaction.transaction, [signer]);
    await confirmed(conn, await conn.sendRawTransaction(wire));

    const info = await conn.getAccountInfo(new PublicKey(r.body.proposal), "confirmed");
    assert.ok(info, "the proposal exists on chain");
    const proposal = treasury.decodeProposal(info);
    assert.equal(proposal.status, "Active");
    assert.equal(proposal.index.toString(), r.body.index);
    assert.equal(proposal.creator.toBase58(), signerWallet);
    assert.equal(proposal.action.kind, "transfer");
    if (proposal.action.kind === "transfer") {
      assert.ok(proposal.action.mint.equals(usdc));
      assert.ok(proposal.action.to.equals(payout.publicKey));
      assert.equal(proposal.action.amount, 2_500_000n);
    }
    assert.ok(await conn.getAccountInfo(destination, "confirmed"), "the payout account was created");
    const row = await stack.deps.prisma.battle.findUniqueOrThrow({ where: { id } });
    assert.equal(row.rewardProposal, r.body.proposal);
    assert.equal(
      await stack.deps.prisma.auditLog.count({ where: { action: "battles.reward.propose", resource: `battle:${id}` } }),
      1,
    );
    const again = await api.post(`/api/v1/battles/${id}/reward-proposal`, body, { token });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "REWARD_ALREADY_PROPOSED");

    // The treasury pays it: revenue in the USDC vault, two signers approve, the executor executes (all built by the API).
    const vault = new PublicKey(stack.manifest.vaults.usdc);
    const fund = createTransferInstruction(
      getAssociatedTokenAddressSync(usdc, alice.publicKey),
      vault,
      alice.publicKey,
      10_000_000n,
    );
    await sendIxs(conn, [fund], [alice]);
    const run = async (path: string, kp: Keypair) => {
      const { token: t } = await api.signIn(kp);
      const built = await api.post(`/api/v1/treasury/proposals/${r.body.proposal}/${path}`, undefined, { token: t });
      assert.equal(built.status, 200, built.text);
      for (const b of built.body.transactions)
        await confirmed(conn, await conn.sendRawTransaction(signBuilt(b.transaction, [kp])));
    };
    await run("approve", signer);
    await run("approve", stack.localnet.wallet("signer-2"));
    await run("execute", stack.localnet.wallet("executor"));
    const paid = await conn.getTokenAccountBalance(destination, "confirmed");
    assert.equal(paid.value.amount, "2500000");
    const executed = await conn.getAccountInfo(new PublicKey(r.body.proposal), "confirmed");
    assert.equal(executed ? treasury.decodeProposal(executed).status : "closed", "Executed");
  });
});
