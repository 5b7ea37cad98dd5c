// Card logic: the owner read from the chain (the mirror follows it), and minting
// a new card NFT with the platform key.

import { Prisma } from "@ece/db";
import { cards, confirmSignature } from "@ece/sdk";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, PublicKey, Transaction } from "@solana/web3.js";
import bs58 from "bs58";
import type { FastifyRequest } from "fastify";
import { audit } from "../../core/audit.js";
import { ApiError, badRequest, conflict, notFound } from "../../core/errors.js";
import { isRpcUnavailable } from "../../core/rpc.js";
import type { ApiDeps } from "../../deps.js";
import { cardHolder } from "./chain.js";
import { type CardRow, findCard, toCardDetail } from "./queries.js";
import type { RarityName } from "./schemas.js";

/** A chain step failed: an unreachable RPC stays itself (503), anything else the chain refused is a 502. */
export const chainUnavailable = (e: unknown) =>
  isRpcUnavailable(e)
    ? e
    : new ApiError(502, "CHAIN_ERROR", `the Solana RPC failed or refused: ${e instanceof Error ? e.message : e}`);

/** The card with its owner read from the chain; the mirror is updated when the chain says otherwise. */
export async function cardDetail(deps: ApiDeps, req: FastifyRequest, idOrMint: string) {
  const row = await findCard(deps.pool, idOrMint);
  if (!row) throw notFound("card");
  let holder: Awaited<ReturnType<typeof cardHolder>>;
  try {
    holder = await cardHolder(deps.connection, new PublicKey(row.mint));
  } catch (e) {
    // Reads stay up when the RPC is not: say where the owner came from.
    req.log.warn({ err: e, mint: row.mint }, "card owner: chain read failed, serving the mirror");
    return { ...toCardDetail(row), ownerSource: "mirror" as const, tokenAccount: null };
  }
  const owner = holder?.owner.toBase58() ?? null;
  const detail = {
    ...toCardDetail(row),
    ownerSource: "chain" as const,
    tokenAccount: holder?.tokenAccount.toBase58() ?? null,
  };
  if (owner !== row.owner && holder) await syncOwner(deps, req, row, owner, holder.slot);
  return { ...detail, owner, ownerSlot: holder ? holder.slot : detail.ownerSlot };
}

/** The chain wins: record its owner unless the mirror already holds a newer answer. */
export async function syncOwner(
  deps: ApiDeps,
  req: FastifyRequest,
  row: Pick<CardRow, "id" | "owner">,
  owner: string | null,
  slot: number,
): Promise<void> {
  const { rowCount } = await deps.pool.query(
    `UPDATE cards SET owner = $1, owner_slot = $2, updated_at = now()
     WHERE id = $3::uuid AND owner IS DISTINCT FROM $1 AND (owner_slot IS NULL OR owner_slot <= $2)`,
    [owner, slot, row.id],
  );
  if (rowCount) {
    await audit(deps.prisma, req, {
      action: "cards.card.owner_sync",
      resource: `card:${row.id}`,
      before: { owner: row.owner },
      after: { owner, slot },
    });
  }
}

export interface MintCardInput {
  companyId?: string;
  company?: { name: string; ticker: string; sector: string };
  name: string;
  rarity: RarityName;
  metrics?: Record<string, unknown>;
  imageUrl?: string;
  owner: string;
}

/**
 * Mints the NFT (the platform key pays and is the mint authority, then drops it). The card
 * is recorded `minting`, with the signed transaction's signature and last valid block
 * height, before the transaction is sent: a process killed after sending leaves a row the
 * sweep (sweepMintingCards) marks `minted` or `failed` from the chain, never an NFT
 * without its metadata. Only `minted` cards are listed.
 */
export async function mintCard(deps: ApiDeps, req: FastifyRequest, body: MintCardInput) {
  if ((body.companyId === undefined) === (body.company === undefined)) {
    throw badRequest("COMPANY_REQUIRED", "give exactly one of companyId (an existing company) and company (a new one)");
  }
  const owner = new PublicKey(body.owner);
  if (body.companyId && !(await deps.prisma.company.findUnique({ where: { id: body.companyId } }))) {
    throw notFound("company");
  }
  if (body.company) {
    const c = body.company;
    const taken = await deps.prisma.company.findFirst({ where: { OR: [{ name: c.name }, { ticker: c.ticker }] } });
    if (taken) throw conflict("COMPANY_EXISTS", `a company named ${taken.name} (${taken.ticker}) exists: use its id`);
  }

  const mint = Keypair.generate();
  const key = deps.platformKey;
  let tx: Transaction;
  let lastValidBlockHeight: number;
  try {
    const rentLamports = await deps.connection.getMinimumBalanceForRentExemption(cards.MINT_SIZE, "confirmed");
    const latest = await deps.connection.getLatestBlockhash("confirmed");
    lastValidBlockHeight = latest.lastValidBlockHeight;
    tx = new Transaction({ feePayer: key.publicKey, ...latest }).add(
      ...cards.mintCardIxs({ authority: key.publicKey, mint: mint.publicKey, owner, rentLamports }),
    );
    tx.sign(key, mint);
  } catch (e) {
    throw chainUnavailable(e);
  }
  const signature = bs58.encode(tx.signature as Buffer);

  let cardId: string;
  try {
    cardId = await deps.prisma.$transaction(async (db) => {
      let companyId = body.companyId;
      let sector: string;
      if (body.company) {
        const created = await db.company.create({ data: body.company });
        await audit(db, req, { action: "cards.company.create", resource: `company:${created.id}`, after: created });
        companyId = created.id;
        sector = created.sector;
      } else {
        sector = (await db.company.findUniqueOrThrow({ where: { id: companyId } })).sector;
      }
      const created = await db.card.create({
        data: {
          mint: mint.publicKey.toBase58(),
          status: "minting",
          mintSignature: signature,
          mintValidUntil: BigInt(lastValidBlockHeight),
          companyId: companyId as string,
          name: body.name,
          sector,
          rarity: body.rarity,
          metrics: (body.metrics ?? {}) as Prisma.InputJsonValue,
          imageUrl: body.imageUrl ?? null,
          owner: owner.toBase58(),
        },
      });
      await audit(db, req, {
        action: "cards.card.mint",
        resource: `card:${created.id}`,
        after: { ...created, signature },
      });
      return created.id;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      // Another admin created the same company between the check and now; nothing was sent.
      throw conflict("COMPANY_EXISTS", "a company with this name or ticker was just created: use its id");
    }
    throw e;
  }

  let outcome: Awaited<ReturnType<typeof confirmSignature>>;
  try {
    await deps.connection.sendRawTransaction(tx.serialize(), { preflightCommitment: "confirmed" });
    outcome = await confirmSignature(deps.connection, signature, lastValidBlockHeight);
  } catch (e) {
    // Sent or not, the sweep settles the row from the chain.
    req.log.error({ err: e, card: cardId, signature }, "card mint: sending failed; the sweep will settle it");
    throw chainUnavailable(e);
  }
  await settleMint(deps, cardId, outcome);
  if (!outcome.ok)
    throw new ApiError(502, "CHAIN_ERROR", `the mint transaction failed: ${JSON.stringify(outcome.err)}`);
  const row = await findCard(deps.pool, cardId);
  if (!row) throw new Error("the card just minted is gone");
  return {
    ...toCardDetail(row),
    ownerSource: "chain" as const,
    tokenAccount: getAssociatedTokenAddressSync(mint.publicKey, owner, true).toBase58(),
    signature,
  };
}

/** Records what became of a `minting` card's transaction (only while it is still `minting`). */
async function settleMint(deps: ApiDeps, cardId: string, outcome: Awaited<ReturnType<typeof confirmSignature>>) {
  await deps.prisma.card.updateMany({
    where: { id: cardId, status: "minting" },
    data: outcome.ok ? { status: "minted", ownerSlot: BigInt(outcome.slot) } : { status: "failed" },
  });
}

/**
 * Settles cards left `minting` (a process killed between sending and recording, or an RPC
 * that failed mid-confirmation): landed → `minted`; failed, or not landed once its
 * blockhash can no longer land → `failed`. Returns how many it settled.
 */
export async function sweepMintingCards(deps: ApiDeps): Promise<number> {
  const pending = await deps.prisma.card.findMany({
    where: { status: "minting" },
    select: { id: true, mintSignature: true, mintValidUntil: true },
    take: 100,
  });
  if (!pending.length) return 0;
  const signatures = pending.map((c) => c.mintSignature as string);
  const statuses = (await deps.connection.getSignatureStatuses(signatures, { searchTransactionHistory: true })).value;
  const height = await deps.connection.getBlockHeight("confirmed");
  let settled = 0;
  for (const [i, card] of pending.entries()) {
    const st = statuses[i];
    const landed = st && (st.confirmationStatus === "confirmed" || st.confirmationStatus === "finalized");
    if (landed) await settleMint(deps, card.id, st.err ? { ok: false, err: st.err } : { ok: true, slot: st.slot });
    else if (height > Number(card.mintValidUntil)) await settleMint(deps, card.id, { ok: false, err: "expired" });
    else continue;
    settled++;
  }
  return settled;
}
