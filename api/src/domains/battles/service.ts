// Battles: creation, status from the clock, the ECE snapshot votes are weighed
// with, votes (one per wallet, tally in the same transaction), joins and the
// deterministic close.
import { randomBytes } from "node:crypto";
import type { Prisma } from "@ece/db";
import { tokenHolders, walletTokenBalances } from "@ece/sdk";
import { PublicKey } from "@solana/web3.js";
import bs58 from "bs58";
import type { FastifyRequest } from "fastify";
import { audit } from "../../core/audit.js";
import { encodeCursor } from "../../core/cursor.js";
import { ApiError, badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { verifySignature } from "../auth/siws.js";
import { publishEvent } from "../events/bus.js";
import { buildVoteMessage, parseVoteMessage, type VoteFields } from "./message.js";

export type Side = "a" | "b";
export type Status = "scheduled" | "live" | "closed" | "cancelled";

const withCards = {
  cardA: { select: { id: true, name: true, mint: true, companyId: true } },
  cardB: { select: { id: true, name: true, mint: true, companyId: true } },
  _count: { select: { votes: true, participants: true } },
} as const;
type BattleRow = Prisma.BattleGetPayload<{ include: typeof withCards }>;

/** Status from the clock; the stored status only says closed or cancelled for good. */
export function statusOf(b: { status: string; startsAt: Date; endsAt: Date }, now = new Date()): Status {
  if (b.status === "closed" || b.status === "cancelled") return b.status;
  if (now >= b.endsAt) return "closed";
  return now >= b.startsAt ? "live" : "scheduled";
}

export function viewOf(b: BattleRow, now = new Date()) {
  return {
    id: b.id,
    title: b.title,
    cardA: b.cardA,
    cardB: b.cardB,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    status: statusOf(b, now),
    winner: b.winner,
    tallyA: b.tallyA.toFixed(0),
    tallyB: b.tallyB.toFixed(0),
    votes: b._count.votes,
    participants: b._count.participants,
    snapshotSlot: b.snapshotSlot === null ? null : b.snapshotSlot.toString(),
    rewardProposal: b.rewardProposal,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
    closedAt: b.closedAt?.toISOString() ?? null,
  };
}

const load = async (deps: ApiDeps, id: string) => {
  const b = await deps.prisma.battle.findUnique({ where: { id }, include: withCards });
  if (!b) throw notFound("battle");
  return b;
};

/** Publishing is best effort: a Redis hiccup must not fail a vote that is already committed. */
async function publish(deps: ApiDeps, req: FastifyRequest, type: string, data: unknown) {
  await publishEvent(deps, { type, data }).catch((err) => req.log.warn({ err, type }, "event not published"));
}

export async function createBattle(
  deps: ApiDeps,
  req: FastifyRequest,
  body: { title: string; cardAId: string; cardBId: string; startsAt: string; endsAt: string },
) {
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(body.endsAt);
  if (body.cardAId === body.cardBId) throw badRequest("SAME_CARD", "a battle is between two different cards");
  if (!(endsAt > startsAt)) throw badRequest("BAD_SCHEDULE", "endsAt must be after startsAt");
  if (!(endsAt > new Date())) throw badRequest("BAD_SCHEDULE", "endsAt is in the past");
  const cards = await deps.prisma.card.findMany({
    where: { id: { in: [body.cardAId, body.cardBId] }, status: "minted" },
  });
  if (cards.length !== 2) throw notFound("card");
  const created = await deps.prisma.$transaction(async (tx) => {
    const b = await tx.battle.create({
      data: {
        title: body.title,
        cardAId: body.cardAId,
        cardBId: body.cardBId,
        startsAt,
        endsAt,
        createdBy: req.auth?.wallet ?? "",
      },
      include: withCards,
    });
    await audit(tx, req, { action: "battles.create", resource: `battle:${b.id}`, after: viewOf(b) });
    return b;
  });
  return viewOf(created);
}

const LIST_WHERE = (status: Status, now: Date): Prisma.BattleWhereInput => {
  const open = { status: { in: ["scheduled", "live"] as const } } as unknown as Prisma.BattleWhereInput;
  switch (status) {
    case "scheduled":
      return { AND: [open, { startsAt: { gt: now } }] };
    case "live":
      return { AND: [open, { startsAt: { lte: now } }, { endsAt: { gt: now } }] };
    case "closed":
      return { OR: [{ status: "closed" }, { AND: [open, { endsAt: { lte: now } }] }] };
    case "cancelled":
      return { status: "cancelled" };
  }
};

/** Newest first; the cursor is the (createdAt, id) of the last item. Battles past their end are closed on the way. */
export async function listBattles(
  deps: ApiDeps,
  req: FastifyRequest,
  q: { status?: Status; limit: number; after: [string, string] | null },
) {
  const now = new Date();
  const where: Prisma.BattleWhereInput[] = [];
  if (q.status) where.push(LIST_WHERE(q.status, now));
  if (q.after) {
    const at = new Date(q.after[0]);
    where.push({ OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: q.after[1] } }] });
  }
  let rows = await deps.prisma.battle.findMany({
    where: { AND: where },
    include: withCards,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const due = rows.filter((b) => b.status !== "closed" && b.status !== "cancelled" && now >= b.endsAt);
  if (due.length) {
    for (const b of due) await closeBattle(deps, req, b.id, { auto: true });
    const fresh = new Map(
      (await deps.prisma.battle.findMany({ where: { id: { in: due.map((b) => b.id) } }, include: withCards })).map(
        (b) => [b.id, b],
      ),
    );
    rows = rows.map((b) => fresh.get(b.id) ?? b);
  }
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map((b) => viewOf(b, now)),
    nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

/**
 * A battle as it is now: a live one gets its snapshot on this first read, one past
 * its end is closed (both once, whoever reads first).
 */
export async function readBattle(deps: ApiDeps, req: FastifyRequest, id: string) {
  let b = await load(deps, id);
  const status = statusOf(b);
  if (status === "live" && b.snapshotSlot === null) {
    await ensureSnapshot(deps, b.id);
    b = await load(deps, id);
  } else if (status === "closed" && b.status !== "closed") {
    await closeBattle(deps, req, id, { auto: true });
    b = await load(deps, id);
  }
  return viewOf(b);
}

/**
 * Takes the battle's ECE snapshot if it has none: every ECE token account at one
 * confirmed slot (getProgramAccounts with its context slot), summed by owner. Two
 * requests may both read the chain; the `snapshot_slot IS NULL` guard lets only
 * the first store its balances, so a battle has exactly one snapshot.
 */
export async function ensureSnapshot(deps: ApiDeps, battleId: string): Promise<bigint> {
  const current = await deps.prisma.battle.findUnique({ where: { id: battleId }, select: { snapshotSlot: true } });
  if (!current) throw notFound("battle");
  if (current.snapshotSlot !== null) return current.snapshotSlot;
  const { slot, holders } = await tokenHolders(deps.connection, deps.platform.eceMint, "confirmed");
  await deps.prisma.$transaction(
    async (tx) => {
      const taken = await tx.$executeRaw`
        UPDATE battles SET snapshot_slot = ${BigInt(slot)},
          status = CASE WHEN status = 'scheduled' THEN 'live'::"BattleStatus" ELSE status END
        WHERE id = ${battleId}::uuid AND snapshot_slot IS NULL`;
      if (taken === 0) return;
      const rows = [...holders].map(([wallet, balance]) => ({ battleId, wallet, balance: balance.toString() }));
      for (let i = 0; i < rows.length; i += 5000) {
        await tx.battleSnapshotBalance.createMany({ data: rows.slice(i, i + 5000) });
      }
    },
    { timeout: 60_000 },
  );
  const after = await deps.prisma.battle.findUniqueOrThrow({ where: { id: battleId }, select: { snapshotSlot: true } });
  return after.snapshotSlot as bigint;
}

const voteNonceKey = (nonce: string) => `battles:vote-nonce:${nonce}`;

interface VoteNonce {
  battleId: string;
  side: Side;
  wallet: string;
  message: string;
}

export async function issueVoteMessage(deps: ApiDeps, battleId: string, side: Side, wallet: string) {
  const b = await load(deps, battleId);
  const status = statusOf(b);
  if (status === "closed" || status === "cancelled") throw conflict("BATTLE_NOT_LIVE", `the battle is ${status}`);
  const voted = await deps.prisma.battleVote.findUnique({ where: { battleId_wallet: { battleId, wallet } } });
  if (voted) throw conflict("ALREADY_VOTED", "this wallet has already voted in this battle");
  const nonce = randomBytes(16).toString("hex");
  const now = new Date();
  const fields: VoteFields = {
    domain: deps.config.siwsDomain,
    battleId,
    side,
    wallet,
    nonce,
    issuedAt: now.toISOString(),
  };
  const message = buildVoteMessage(fields);
  const ttl = deps.config.nonceTtlSeconds;
  const record: VoteNonce = { battleId, side, wallet, message };
  await deps.redis.set(voteNonceKey(nonce), JSON.stringify(record), "EX", ttl);
  return { message, nonce, expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() };
}

export async function castVote(
  deps: ApiDeps,
  req: FastifyRequest,
  battleId: string,
  wallet: string,
  body: { side: Side; message: string; signature: string },
) {
  let signature: Uint8Array;
  try {
    signature = bs58.decode(body.signature);
  } catch {
    throw badRequest("BAD_SIGNATURE_ENCODING", "the signature is not base58");
  }
  if (signature.length !== 64) throw badRequest("BAD_SIGNATURE_ENCODING", "an ed25519 signature is 64 bytes");
  const fields = parseVoteMessage(body.message);
  if (!fields) throw badRequest("VOTE_MESSAGE_MALFORMED", "the message is not an ECE battle vote message");
  if (!verifySignature(new TextEncoder().encode(body.message), signature, wallet)) {
    throw new ApiError(
      401,
      "VOTE_BAD_SIGNATURE",
      "the signature is not the signed-in wallet's signature of this message",
    );
  }
  if (fields.wallet !== wallet) throw badRequest("VOTE_MESSAGE_MISMATCH", "the message names another wallet");
  if (fields.battleId !== battleId) throw badRequest("VOTE_MESSAGE_MISMATCH", "the message is for another battle");
  if (fields.side !== body.side) throw badRequest("VOTE_MESSAGE_MISMATCH", "the message is for the other side");
  if (fields.domain !== deps.config.siwsDomain)
    throw badRequest("VOTE_MESSAGE_MISMATCH", "the message is for another domain");

  const b = await load(deps, battleId);
  const status = statusOf(b);
  if (status !== "live") throw conflict("BATTLE_NOT_LIVE", `the battle is ${status}`);
  const voted = await deps.prisma.battleVote.findUnique({ where: { battleId_wallet: { battleId, wallet } } });
  if (voted) throw conflict("ALREADY_VOTED", "this wallet has already voted in this battle");
  // Taken only once everything above checks out, so a refused attempt does not burn it.
  const raw = await deps.redis.getdel(voteNonceKey(fields.nonce));
  const issued = raw ? (JSON.parse(raw) as VoteNonce) : null;
  if (!issued) throw badRequest("VOTE_NONCE_INVALID", "unknown, expired or used nonce: ask for a new vote message");
  if (issued.message !== body.message || issued.wallet !== wallet || issued.battleId !== battleId) {
    throw badRequest("VOTE_MESSAGE_MISMATCH", "the message differs from the one issued with this nonce");
  }

  const slot = await ensureSnapshot(deps, battleId);
  const held = await deps.prisma.battleSnapshotBalance.findUnique({
    where: { battleId_wallet: { battleId, wallet } },
  });
  if (!held || held.balance.isZero()) {
    throw conflict("NO_VOTING_WEIGHT", `this wallet held no ECE at the battle's snapshot slot ${slot}`);
  }
  const weight = held.balance.toFixed(0);
  const now = new Date();
  const vote = await deps.prisma.$transaction(async (tx) => {
    // The tally moves in the same transaction as the insert; the WHERE re-checks the
    // battle under its row lock, so a vote racing a close either lands before it or not at all.
    const live = await tx.$executeRaw`
      UPDATE battles SET
        tally_a = tally_a + CASE WHEN ${body.side} = 'a' THEN ${weight}::numeric ELSE 0 END,
        tally_b = tally_b + CASE WHEN ${body.side} = 'b' THEN ${weight}::numeric ELSE 0 END
      WHERE id = ${battleId}::uuid AND status NOT IN ('closed', 'cancelled')
        AND starts_at <= ${now.toISOString()}::timestamptz AND ends_at > ${now.toISOString()}::timestamptz`;
    if (live === 0) throw conflict("BATTLE_NOT_LIVE", "the battle is no longer live");
    const inserted = await tx.$executeRaw`
      INSERT INTO battle_votes (battle_id, wallet, side, weight, message, signature, voted_at)
      VALUES (${battleId}::uuid, ${wallet}, ${body.side}::"BattleSide", ${weight}::numeric, ${body.message},
              ${body.signature}, ${now.toISOString()}::timestamptz)
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) throw conflict("ALREADY_VOTED", "this wallet has already voted in this battle");
    const after = await tx.battle.findUniqueOrThrow({
      where: { id: battleId },
      select: { tallyA: true, tallyB: true },
    });
    const v = {
      battleId,
      wallet,
      side: body.side,
      weight,
      snapshotSlot: slot.toString(),
      votedAt: now.toISOString(),
      tallyA: after.tallyA.toFixed(0),
      tallyB: after.tallyB.toFixed(0),
    };
    await audit(tx, req, { action: "battles.vote", resource: `battle:${battleId}`, after: v });
    return v;
  });
  await publish(deps, req, "battle.vote", vote);
  return vote;
}

export async function joinBattle(
  deps: ApiDeps,
  req: FastifyRequest,
  battleId: string,
  wallet: string,
  body: { side: Side; cardId?: string },
) {
  const b = await load(deps, battleId);
  const status = statusOf(b);
  if (status === "closed" || status === "cancelled") throw conflict("BATTLE_NOT_LIVE", `the battle is ${status}`);
  if (body.cardId) {
    const card = await deps.prisma.card.findUnique({ where: { id: body.cardId, status: "minted" } });
    if (!card) throw notFound("card");
    // Ownership from the chain, not the mirror.
    const mint = new PublicKey(card.mint);
    const held = await walletTokenBalances(deps.connection, new PublicKey(wallet), [mint], "confirmed");
    if ((held.amounts.get(card.mint)?.amount ?? 0n) < 1n) {
      throw forbidden("the signed-in wallet does not hold this card", "CARD_NOT_OWNED");
    }
  }
  const joined = await deps.prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ joined_at: Date }>>`
      INSERT INTO battle_participants (battle_id, wallet, side, card_id)
      VALUES (${battleId}::uuid, ${wallet}, ${body.side}::"BattleSide", ${body.cardId ?? null}::uuid)
      ON CONFLICT DO NOTHING RETURNING joined_at`;
    const row = rows[0];
    if (!row) throw conflict("ALREADY_JOINED", "this wallet has already joined this battle");
    const p = {
      battleId,
      wallet,
      side: body.side,
      cardId: body.cardId ?? null,
      joinedAt: row.joined_at.toISOString(),
    };
    await audit(tx, req, { action: "battles.join", resource: `battle:${battleId}`, after: p });
    return p;
  });
  await publish(deps, req, "battle.joined", joined);
  return joined;
}

/**
 * Closes a battle: the outcome comes from the votes themselves (weights summed per
 * side in battle_votes, not the running tally), a tie is a draw (no winner). Under
 * the battle's row lock, so no vote lands after the sums are taken. `auto`: closed
 * by a read after its end — an already closed battle is then not an error.
 */
export async function closeBattle(deps: ApiDeps, req: FastifyRequest, battleId: string, opts: { auto: boolean }) {
  const now = new Date();
  const result = await deps.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ status: Status; tally_a: string; tally_b: string }>>`
      SELECT status::text AS status, tally_a::text, tally_b::text FROM battles WHERE id = ${battleId}::uuid FOR UPDATE`;
    if (!row) throw notFound("battle");
    if (row.status === "closed" || row.status === "cancelled") {
      if (opts.auto) return null;
      throw conflict("BATTLE_CLOSED", `the battle is already ${row.status}`);
    }
    const sums = await tx.$queryRaw<Array<{ side: Side; total: string }>>`
      SELECT side::text AS side, COALESCE(SUM(weight), 0)::text AS total
      FROM battle_votes WHERE battle_id = ${battleId}::uuid GROUP BY side`;
    const total = (s: Side) => BigInt(sums.find((x) => x.side === s)?.total ?? "0");
    const a = total("a");
    const b = total("b");
    const winner: Side | null = a > b ? "a" : b > a ? "b" : null;
    await tx.$executeRaw`
      UPDATE battles SET status = 'closed', winner = ${winner}::"BattleSide", closed_at = ${now.toISOString()}::timestamptz,
        tally_a = ${a.toString()}::numeric, tally_b = ${b.toString()}::numeric
      WHERE id = ${battleId}::uuid`;
    const outcome = { battleId, winner, tallyA: a.toString(), tallyB: b.toString(), closedAt: now.toISOString() };
    await audit(tx, req, {
      action: opts.auto ? "battles.close.auto" : "battles.close",
      resource: `battle:${battleId}`,
      before: { status: row.status, tallyA: row.tally_a, tallyB: row.tally_b },
      after: outcome,
    });
    return outcome;
  });
  if (result) await publish(deps, req, "battle.closed", result);
  return load(deps, battleId).then((b) => viewOf(b));
}

export { load as loadBattle };
