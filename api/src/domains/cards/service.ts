// Card logic: the owner read from the chain (the mirror follows it), and minting
// a new card NFT with the platform key.

import { Prisma } from "@ece/db";
import { cards, confirmSignature } from "@ece/sdk";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, PublicKey, Transaction } from "@solana/web3.js";
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

/** Mints the NFT (platform key pays and is the mint authority, then drops it), then records card and company. */
export async function mintCard(deps: ApiDeps, req: FastifyRequest, body: MintCardInput) {
  if ((body.companyId === undefined) === (body.company === undefined)) {
    throw badRequest("COMPANY_REQUIRED", "give exactly one of companyId (an existing company) and company (a new one)");
  }
  const owner = new PublicKey(body.owner);
  let companyId = body.companyId;
  let sector: string;
  if (companyId) {
    const company = await deps.prisma.company.findUnique({ where: { id: companyId } });
    if (!company) throw notFound("company");
    sector = company.sector;
  } else {
    const c = body.company as NonNullable<MintCardInput["company"]>;
    const taken = await deps.prisma.company.findFirst({ where: { OR: [{ name: c.name }, { ticker: c.ticker }] } });
    if (taken) throw conflict("COMPANY_EXISTS", `a company named ${taken.name} (${taken.ticker}) exists: use its id`);
    sector = c.sector;
  }

  const mint = Keypair.generate();
  const key = deps.platformKey;
  let signature: string;
  let slot: number;
  try {
    const rentLamports = await deps.connection.getMinimumBalanceForRentExemption(cards.MINT_SIZE, "confirmed");
    const { blockhash, lastValidBlockHeight } = await deps.connection.getLatestBlockhash("confirmed");
    const tx = new Transaction({ feePayer: key.publicKey, blockhash, lastValidBlockHeight }).add(
      ...cards.mintCardIxs({ authority: key.publicKey, mint: mint.publicKey, owner, rentLamports }),
    );
    tx.sign(key, mint);
    signature = await deps.connection.sendRawTransaction(tx.serialize(), { preflightCommitment: "confirmed" });
    const confirmed = await confirmSignature(deps.connection, signature, lastValidBlockHeight);
    if (!confirmed.ok) throw new Error(`mint transaction failed: ${JSON.stringify(confirmed.err)}`);
    slot = confirmed.slot;
  } catch (e) {
    req.log.error({ err: e }, "card mint failed on chain");
    throw chainUnavailable(e);
  }

  try {
    const card = await deps.prisma.$transaction(async (db) => {
      if (!companyId) {
        const c = body.company as NonNullable<MintCardInput["company"]>;
        const created = await db.company.create({ data: { name: c.name, ticker: c.ticker, sector: c.sector } });
        companyId = created.id;
        await audit(db, req, { action: "cards.company.create", resource: `company:${created.id}`, after: created });
      }
      const created = await db.card.create({
        data: {
          mint: mint.publicKey.toBase58(),
          companyId,
          name: body.name,
          sector,
          rarity: body.rarity,
          metrics: (body.metrics ?? {}) as Prisma.InputJsonValue,
          imageUrl: body.imageUrl ?? null,
          owner: owner.toBase58(),
          ownerSlot: BigInt(slot),
        },
      });
      await audit(db, req, {
        action: "cards.card.mint",
        resource: `card:${created.id}`,
        after: { ...created, signature },
      });
      return created;
    });
    const row = await findCard(deps.pool, card.id);
    if (!row) throw new Error("the card just created is gone");
    return {
      ...toCardDetail(row),
      ownerSource: "chain" as const,
      tokenAccount: getAssociatedTokenAddressSync(mint.publicKey, owner, true).toBase58(),
      signature,
    };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      // Another admin created the same company between the check and now; the minted NFT stays unrecorded.
      req.log.error({ mint: mint.publicKey.toBase58(), signature }, "card minted but not recorded: company exists");
      throw conflict("COMPANY_EXISTS", "a company with this name or ticker was just created: use its id");
    }
    throw e;
  }
}
