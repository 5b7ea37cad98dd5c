// The cards domain: list and detail (public; the owner comes from the chain),
// admins mint new card NFTs; companies behind the cards.

import type { Company } from "@ece/db";
import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest, forbidden, notFound } from "../../core/errors.js";
import { cachedPage, PageCache } from "../../core/page-cache.js";
import { runPeriodically } from "../../core/periodic.js";
import { errors, page, Uuid } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { caller, can, SECURED } from "../auth/guard.js";
import { listCards } from "./queries.js";
import {
  Card,
  CardDetail,
  CardParams,
  CompanyListed,
  ListCardsQuery,
  ListCompaniesQuery,
  MintCardBody,
  MintedCard,
  PayoutWalletBody,
} from "./schemas.js";
import { cardDetail, mintCard, sweepMintingCards } from "./service.js";

export default async function cardsRoutes(app: App) {
  const { deps } = app;
  const pages = new PageCache(() => deps.config.listCacheMs);

  // Mints a killed process left `minting` are settled from the chain at start and then regularly.
  runPeriodically(app, "card mint sweep", 30_000, async () => {
    if ((await sweepMintingCards(deps)) > 0) pages.clear();
  });

  app.get(
    "/cards",
    {
      schema: {
        tags: ["cards"],
        summary: "Cards, filtered and sorted, one page at a time (keyset cursor)",
        description:
          "Public; a session works too. `owner` is the mirror's last owner seen on chain (GET /cards/{card} reads the chain).",
        querystring: ListCardsQuery,
        response: { 200: page(Card), ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => cachedPage(pages, req, reply, () => listCards(deps.pool, req.query)),
  );

  app.get(
    "/cards/:card",
    {
      schema: {
        tags: ["cards"],
        summary: "One card by id or mint, its company, and its owner read from the chain",
        params: CardParams,
        response: { 200: CardDetail, ...errors(400, 401, 404, 429) },
      },
    },
    async (req) => cardDetail(deps, req, req.params.card),
  );

  app.post(
    "/cards",
    {
      preHandler: can("cards:card:mint"),
      schema: {
        tags: ["cards"],
        summary: "Mint a new card NFT (supply 1, decimals 0) to a wallet and record its metadata",
        description:
          "The platform key creates the mint, mints the one token to the owner's associated account and drops the mint authority, in one transaction.",
        security: SECURED,
        body: MintCardBody,
        response: { 201: MintedCard, ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (req, reply) => {
      const minted = await mintCard(deps, req, req.body);
      pages.clear();
      return reply.status(201).send(minted);
    },
  );

  app.get(
    "/companies",
    {
      schema: {
        tags: ["cards"],
        summary: "Companies behind the cards, by name",
        querystring: ListCompaniesQuery,
        response: { 200: page(CompanyListed), ...errors(400, 401, 429) },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const after = decodeCursor(req.query.cursor, 2);
      const rows = await deps.prisma.company.findMany({
        where: {
          ...(req.query.sector ? { sector: req.query.sector } : {}),
          ...(after
            ? {
                OR: [
                  { name: { gt: String(after[0]) } },
                  { name: String(after[0]), id: { gt: uuidOr400(String(after[1])) } },
                ],
              }
            : {}),
        },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take: limit + 1,
      });
      const more = rows.length > limit;
      const items = (more ? rows.slice(0, limit) : rows).map(companyListed);
      const last = items[items.length - 1];
      return { items, nextCursor: more && last ? encodeCursor([last.name, last.id]) : null };
    },
  );

  app.put(
    "/companies/:id/payout-wallet",
    {
      preHandler: can(),
      schema: {
        tags: ["cards"],
        summary: "Register the wallet a company's weekly payouts go to (its owner or an admin)",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        body: PayoutWalletBody,
        response: { 200: CompanyListed, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const me = caller(req);
      const before = await deps.prisma.company.findUnique({ where: { id: req.params.id }, include: { owner: true } });
      if (!before) throw notFound("company");
      if (before.owner?.wallet !== me.wallet && !me.permissions.has("cards:company:manage"))
        throw forbidden("only the company's owner or an admin may set its payout wallet");
      const c = await deps.prisma.$transaction(async (tx) => {
        const after = await tx.company.update({ where: { id: before.id }, data: { payoutWallet: req.body.wallet } });
        await audit(tx, req, {
          action: "cards.company.payout_wallet",
          resource: `company:${before.id}`,
          before: { payoutWallet: before.payoutWallet },
          after: { payoutWallet: after.payoutWallet },
        });
        return after;
      });
      pages.clear();
      return companyListed(c);
    },
  );
}

const companyListed = (c: Company) => ({
  id: c.id,
  name: c.name,
  ticker: c.ticker,
  sector: c.sector,
  payoutWallet: c.payoutWallet,
  createdAt: c.createdAt.toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A forged cursor is a 400, never a failed uuid cast in SQL. */
function uuidOr400(v: string): string {
  if (!UUID.test(v)) throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
  return v;
}
