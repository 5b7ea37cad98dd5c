// Marketplace logic. Postgres holds listings and sales; the chain decides who
// holds a card and whether the platform is its delegate, so every step that
// matters (list, buy, settle) reads the chain, never the request body.
import { type Card, type Listing as ListingRow, Prisma, type Sale as SaleRow } from "@ece/db";
import { marketplace } from "@ece/sdk";
import { type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import { type AuditActor, audit } from "../../core/audit.js";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { currencies } from "../../platform.js";
import { caller } from "../auth/guard.js";
import { type CardHolder, cardHolder, toKey } from "../cards/chain.js";
import { chainUnavailable, syncOwner } from "../cards/service.js";
import { publishEvent } from "../events/bus.js";
import type { CurrencyName } from "./schemas.js";

const U64_MAX = (1n << 64n) - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Live events for the web app (SSE) and webhooks. Best effort: a Redis hiccup must not fail a change
 * that is already committed. */
async function publish(deps: ApiDeps, req: AuditActor & { log?: FastifyBaseLogger }, type: string, data: unknown) {
  await publishEvent(deps, { type, data }).catch((err) => req.log?.warn({ err, type }, "event not published"));
}

type ListingWithCard = ListingRow & { card: Card };

function currencyOf(
  deps: ApiDeps,
  mint: string,
): { name: CurrencyName; mint: PublicKey; decimals: number; vault: PublicKey } {
  for (const [name, c] of Object.entries(currencies(deps.platform))) {
    if (c.mint.toBase58() === mint) return { name: name as CurrencyName, ...c };
  }
  throw new Error(`listing priced in an unknown mint ${mint}`);
}

const feeOf = (deps: ApiDeps, price: bigint) => marketplace.feeOf(price, deps.config.marketplaceFeeBps);
const isExpired = (l: Pick<ListingRow, "expiresAt">, now = Date.now()) =>
  l.expiresAt !== null && l.expiresAt.getTime() <= now;

export function toListing(deps: ApiDeps, l: ListingWithCard) {
  const price = BigInt(l.price.toFixed());
  const fee = feeOf(deps, price);
  const c = currencyOf(deps, l.currency);
  return {
    id: l.id,
    card: { id: l.card.id, mint: l.card.mint, name: l.card.name, rarity: l.card.rarity, sector: l.card.sector },
    seller: l.seller,
    currency: c.name,
    currencyMint: l.currency,
    price: price.toString(),
    fee: fee.toString(),
    sellerReceives: (price - fee).toString(),
    status: l.status === "active" && isExpired(l) ? ("expired" as const) : l.status,
    approval: l.approveSignature ? ("verified" as const) : ("pending" as const),
    approveSignature: l.approveSignature,
    expiresAt: l.expiresAt?.toISOString() ?? null,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

export function toSale(deps: ApiDeps, s: SaleRow) {
  return {
    id: s.id,
    listingId: s.listingId,
    cardId: s.cardId,
    seller: s.seller,
    buyer: s.buyer,
    currency: currencyOf(deps, s.currency).name,
    currencyMint: s.currency,
    price: s.price.toFixed(),
    fee: s.fee.toFixed(),
    signature: s.signature,
    slot: s.slot === null ? null : Number(s.slot),
    soldAt: s.soldAt.toISOString(),
  };
}

/** An unsigned (or delegate-signed) legacy transaction for `feePayer`'s wallet. */
async function build(deps: ApiDeps, feePayer: PublicKey, ixs: TransactionInstruction[], cosign = false) {
  const { blockhash, lastValidBlockHeight } = await deps.connection.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer, blockhash, lastValidBlockHeight }).add(...ixs);
  if (cosign) tx.partialSign(deps.platformKey);
  return {
    transaction: tx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString("base64"),
    blockhash,
    lastValidBlockHeight,
    signers: [feePayer.toBase58()],
  };
}

async function holderOf(deps: ApiDeps, mint: string): Promise<CardHolder | null> {
  try {
    return await cardHolder(deps.connection, toKey(mint));
  } catch (e) {
    throw chainUnavailable(e);
  }
}

const delegated = (deps: ApiDeps, h: CardHolder | null, seller: string) =>
  h !== null &&
  h.owner.toBase58() === seller &&
  h.delegate?.equals(deps.platformKey.publicKey) === true &&
  h.delegatedAmount >= 1n &&
  !h.frozen;

async function loadListing(deps: ApiDeps, id: string): Promise<ListingWithCard> {
  const l = await deps.prisma.listing.findUnique({ where: { id }, include: { card: true } });
  if (!l) throw notFound("listing");
  return l;
}

export async function getListing(deps: ApiDeps, id: string) {
  return toListing(deps, await loadListing(deps, id));
}

export interface CreateListingInput {
  cardId: string;
  currency: CurrencyName;
  price: string;
  expiresAt?: string;
}

export async function createListing(deps: ApiDeps, req: FastifyRequest, body: CreateListingInput) {
  const me = caller(req);
  const price = BigInt(body.price);
  if (price <= 0n || price > U64_MAX) throw badRequest("BAD_PRICE", "price must be between 1 and 2^64 − 1 base units");
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw badRequest("BAD_EXPIRY", "expiresAt must be in the future");
  const currency = currencies(deps.platform)[body.currency];
  const card = await deps.prisma.card.findUnique({ where: { id: body.cardId, status: "minted" } });
  if (!card) throw notFound("card");
  const holder = await holderOf(deps, card.mint);
  if (!holder || holder.owner.toBase58() !== me.wallet) {
    throw forbidden("you do not hold this card on chain", "NOT_CARD_OWNER");
  }
  if (holder.frozen) throw conflict("CARD_FROZEN", "the card's token account is frozen");
  await syncOwner(deps, req, card, me.wallet, holder.slot);

  const listing = await deps.prisma.$transaction(async (db) => {
    // One listing at a time per card: the card row lock serialises concurrent listings.
    await db.$queryRaw`SELECT id FROM cards WHERE id = ${card.id}::uuid FOR UPDATE`;
    const open = await db.listing.findMany({ where: { cardId: card.id, status: "active" } });
    for (const o of open) {
      if (o.seller === me.wallet && !isExpired(o)) {
        throw conflict("ALREADY_LISTED", "this card already has an active listing: cancel it first", {
          listingId: o.id,
        });
      }
      // Listings by a previous holder, or expired ones, can never sell: close them.
      const status = isExpired(o) ? "expired" : "cancelled";
      await db.listing.update({ where: { id: o.id }, data: { status } });
      await audit(db, req, {
        action: `marketplace.listing.${status === "expired" ? "expire" : "close_stale"}`,
        resource: `listing:${o.id}`,
        before: { status: o.status, seller: o.seller },
        after: { status },
      });
    }
    const created = await db.listing.create({
      data: {
        cardId: card.id,
        seller: me.wallet,
        currency: currency.mint.toBase58(),
        price: new Prisma.Decimal(price.toString()),
        expiresAt,
      },
      include: { card: true },
    });
    await audit(db, req, { action: "marketplace.listing.create", resource: `listing:${created.id}`, after: created });
    return created;
  });
  const transaction = await build(deps, holder.owner, [
    marketplace.approveListingIx({
      seller: holder.owner,
      tokenAccount: holder.tokenAccount,
      cardMint: toKey(card.mint),
      delegate: deps.platformKey.publicKey,
    }),
  ]);
  return { listing: toListing(deps, listing), transaction };
}

async function landed(deps: ApiDeps, signature: string) {
  let tx: Awaited<ReturnType<ApiDeps["connection"]["getTransaction"]>>;
  try {
    tx = await deps.connection.getTransaction(signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
  } catch (e) {
    throw chainUnavailable(e);
  }
  if (!tx?.meta) throw conflict("TX_NOT_FOUND", "the transaction is not confirmed (yet): retry once it is");
  if (tx.meta.err) throw conflict("TX_FAILED", "the transaction failed on chain", { err: tx.meta.err });
  const keys = tx.transaction.message.getAccountKeys({ accountKeysFromLookups: tx.meta.loadedAddresses });
  const all = [
    ...keys.staticAccountKeys,
    ...(keys.accountKeysFromLookups?.writable ?? []),
    ...(keys.accountKeysFromLookups?.readonly ?? []),
  ];
  const signers = keys.staticAccountKeys
    .slice(0, tx.transaction.message.header.numRequiredSignatures)
    .map((k) => k.toBase58());
  return { tx, meta: tx.meta, accountKeys: all.map((k) => k.toBase58()), signers };
}

/** Records the seller's approve transaction once the chain shows the platform as delegate for the token. */
export async function confirmListing(deps: ApiDeps, req: FastifyRequest, id: string, signature: string) {
  const me = caller(req);
  const l = await loadListing(deps, id);
  if (l.seller !== me.wallet) throw forbidden("only the seller confirms a listing", "NOT_SELLER");
  if (l.status !== "active") throw conflict("LISTING_NOT_ACTIVE", `the listing is ${l.status}`);
  if (l.approveSignature === signature) return toListing(deps, l);
  const { signers, accountKeys } = await landed(deps, signature);
  const holder = await holderOf(deps, l.card.mint);
  if (!signers.includes(l.seller) || !holder || !accountKeys.includes(holder.tokenAccount.toBase58())) {
    throw conflict("NOT_AN_APPROVAL", "this transaction is not the seller's approval for the card's token account");
  }
  if (!delegated(deps, holder, l.seller)) {
    throw conflict("APPROVAL_MISSING", "the chain does not show the platform as delegate for this card");
  }
  const updated = await deps.prisma.$transaction(async (db) => {
    const u = await db.listing.update({
      where: { id },
      data: { approveSignature: signature },
      include: { card: true },
    });
    await audit(db, req, {
      action: "marketplace.listing.confirm",
      resource: `listing:${id}`,
      before: { approveSignature: l.approveSignature },
      after: { approveSignature: signature },
    });
    return u;
  });
  const listing = toListing(deps, updated);
  await publish(deps, req, "listing.active", listing);
  return listing;
}

export async function cancelListing(deps: ApiDeps, req: FastifyRequest, id: string) {
  const me = caller(req);
  const l = await loadListing(deps, id);
  if (l.seller !== me.wallet) throw forbidden("only the seller cancels a listing", "NOT_SELLER");
  if (l.status !== "active") throw conflict("LISTING_NOT_ACTIVE", `the listing is ${l.status}`);
  const holder = await holderOf(deps, l.card.mint);
  const updated = await deps.prisma.$transaction(async (db) => {
    const u = await db.listing.updateMany({ where: { id, status: "active" }, data: { status: "cancelled" } });
    if (u.count !== 1) throw conflict("LISTING_NOT_ACTIVE", "the listing changed meanwhile");
    await audit(db, req, {
      action: "marketplace.listing.cancel",
      resource: `listing:${id}`,
      before: { status: "active" },
      after: { status: "cancelled" },
    });
    return db.listing.findUniqueOrThrow({ where: { id }, include: { card: true } });
  });
  // Belt and braces: the API co-signs nothing for a cancelled listing, and the revoke clears the approval on chain too.
  const transaction =
    holder && holder.owner.toBase58() === me.wallet && holder.delegate
      ? await build(deps, holder.owner, [
          marketplace.revokeListingIx({ seller: holder.owner, tokenAccount: holder.tokenAccount }),
        ])
      : null;
  const listing = toListing(deps, updated);
  await publish(deps, req, "listing.cancelled", listing);
  return { listing, transaction };
}

/** Closes an active listing whose expiry passed (audited), then refuses with 409. */
async function refuseExpired(deps: ApiDeps, req: FastifyRequest, l: ListingWithCard): Promise<never> {
  const u = await deps.prisma.listing.updateMany({
    where: { id: l.id, status: "active" },
    data: { status: "expired" },
  });
  if (u.count === 1) {
    await audit(deps.prisma, req, {
      action: "marketplace.listing.expire",
      resource: `listing:${l.id}`,
      before: { status: "active" },
      after: { status: "expired" },
    });
  }
  throw conflict("LISTING_EXPIRED", `the listing expired at ${l.expiresAt?.toISOString()}`);
}

/**
 * The sale as one transaction, co-signed by the platform delegate only after
 * every check: the listing is active and not expired, the buyer is not the
 * seller, the seller still holds the card and the approval is in place on chain.
 * Price and currency come from the listing row.
 */
export async function buyListing(deps: ApiDeps, req: FastifyRequest, id: string) {
  const me = caller(req);
  const l = await loadListing(deps, id);
  if (l.status !== "active") throw conflict("LISTING_NOT_ACTIVE", `the listing is ${l.status}`);
  if (isExpired(l)) await refuseExpired(deps, req, l);
  if (l.seller === me.wallet) throw conflict("OWN_LISTING", "you cannot buy your own listing");
  const holder = await holderOf(deps, l.card.mint);
  if (!holder || holder.owner.toBase58() !== l.seller) {
    throw conflict("SELLER_NOT_HOLDER", "the seller no longer holds this card");
  }
  if (!delegated(deps, holder, l.seller)) {
    throw conflict("APPROVAL_MISSING", "the seller's approval of the platform delegate is not on chain");
  }
  const price = BigInt(l.price.toFixed());
  const fee = feeOf(deps, price);
  const currency = currencyOf(deps, l.currency);
  const buyer = toKey(me.wallet);
  const transaction = await build(
    deps,
    buyer,
    marketplace.buyIxs({
      buyer,
      seller: holder.owner,
      sellerCardAccount: holder.tokenAccount,
      cardMint: toKey(l.card.mint),
      delegate: deps.platformKey.publicKey,
      currencyMint: currency.mint,
      currencyDecimals: currency.decimals,
      vault: currency.vault,
      price,
      fee,
    }),
    true,
  );
  await audit(deps.prisma, req, {
    action: "marketplace.sale.cosign",
    resource: `listing:${l.id}`,
    after: { buyer: me.wallet, price: price.toString(), fee: fee.toString(), blockhash: transaction.blockhash },
  });
  return { listing: toListing(deps, l), transaction };
}

/** Records the sale a confirmed transaction made, after checking its token balances did exactly this sale. */
export async function settleListing(deps: ApiDeps, req: AuditActor, id: string, signature: string) {
  const l = await loadListing(deps, id);
  const existing = await deps.prisma.sale.findUnique({ where: { signature } });
  if (existing) {
    if (existing.listingId !== l.id) throw conflict("SIGNATURE_USED", "this transaction settled another listing");
    return toSale(deps, existing);
  }
  if (l.status === "sold") throw conflict("ALREADY_SOLD", "the listing was sold in another transaction");
  const { tx, meta, accountKeys, signers } = await landed(deps, signature);
  if (!signers.includes(deps.platformKey.publicKey.toBase58())) {
    throw conflict("NOT_A_SALE", "the platform delegate did not sign this transaction");
  }
  const changes = marketplace.tokenBalanceChanges(accountKeys, meta.preTokenBalances, meta.postTokenBalances);
  const buyer = changes.find((c) => c.mint === l.card.mint && c.post === 1n && c.pre === 0n)?.owner;
  if (!buyer || buyer === l.seller) throw conflict("SALE_MISMATCH", "the card did not move to a buyer");
  const price = BigInt(l.price.toFixed());
  const fee = feeOf(deps, price);
  const currency = currencyOf(deps, l.currency);
  const problems = marketplace.saleMismatches(changes, {
    seller: l.seller,
    buyer,
    cardMint: l.card.mint,
    currencyMint: l.currency,
    vault: currency.vault.toBase58(),
    price,
    fee,
  });
  if (problems.length) throw conflict("SALE_MISMATCH", "the transaction is not this sale", { problems });
  try {
    const sale = await deps.prisma.$transaction(async (db) => {
      const s = await db.sale.create({
        data: {
          listingId: l.id,
          cardId: l.cardId,
          seller: l.seller,
          buyer,
          currency: l.currency,
          price: l.price,
          fee: new Prisma.Decimal(fee.toString()),
          signature,
          slot: BigInt(tx.slot),
        },
      });
      await db.listing.update({ where: { id: l.id }, data: { status: "sold" } });
      // The chain wins, unless the mirror already holds a newer owner.
      await db.card.updateMany({
        where: { id: l.cardId, OR: [{ ownerSlot: null }, { ownerSlot: { lte: BigInt(tx.slot) } }] },
        data: { owner: buyer, ownerSlot: BigInt(tx.slot) },
      });
      await audit(db, req, {
        action: "marketplace.sale.settle",
        resource: `listing:${l.id}`,
        before: { status: l.status, owner: l.card.owner },
        after: { status: "sold", sale: s.id, buyer, signature },
      });
      return s;
    });
    const settled = toSale(deps, sale);
    await publish(deps, req, "sale.completed", settled);
    return settled;
  } catch (e) {
    // A concurrent settle of the same transaction won the race: answer as it did.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      const s = await deps.prisma.sale.findUnique({ where: { signature } });
      if (s && s.listingId === l.id) return toSale(deps, s);
      throw conflict("ALREADY_SOLD", "the listing was sold in another transaction");
    }
    throw e;
  }
}

function keyset(cursor: string | undefined, field: "createdAt" | "soldAt") {
  const key = decodeCursor(cursor, 2);
  if (!key) return {};
  const [at, id] = key.map(String) as [string, string];
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || !UUID.test(id)) {
    throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
  }
  return { OR: [{ [field]: { lt: when } }, { [field]: when, id: { lt: id } }] };
}

export interface ListingFilters {
  status?: "active" | "sold" | "cancelled" | "expired";
  seller?: string;
  cardId?: string;
  currency?: CurrencyName;
  limit?: number;
  cursor?: string;
}

export async function listListings(deps: ApiDeps, f: ListingFilters) {
  const limit = f.limit ?? 50;
  const now = new Date();
  // Expiry is applied when read: an active listing past its expiry is listed as expired.
  const status: Prisma.ListingWhereInput =
    f.status === "active"
      ? { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }
      : f.status === "expired"
        ? { OR: [{ status: "expired" }, { status: "active", expiresAt: { lte: now } }] }
        : f.status
          ? { status: f.status }
          : {};
  const rows = await deps.prisma.listing.findMany({
    where: {
      AND: [
        status,
        f.seller ? { seller: f.seller } : {},
        f.cardId ? { cardId: f.cardId } : {},
        f.currency ? { currency: currencies(deps.platform)[f.currency].mint.toBase58() } : {},
        keyset(f.cursor, "createdAt"),
      ],
    },
    include: { card: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map((l) => toListing(deps, l)),
    nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

export async function listSales(
  deps: ApiDeps,
  f: { cardId?: string; buyer?: string; seller?: string; limit?: number; cursor?: string },
) {
  const limit = f.limit ?? 50;
  const rows = await deps.prisma.sale.findMany({
    where: {
      AND: [
        f.cardId ? { cardId: f.cardId } : {},
        f.buyer ? { buyer: f.buyer } : {},
        f.seller ? { seller: f.seller } : {},
        keyset(f.cursor, "soldAt"),
      ],
    },
    orderBy: [{ soldAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map((s) => toSale(deps, s)),
    nextCursor: more && last ? encodeCursor([last.soldAt.toISOString(), last.id]) : null,
  };
}
