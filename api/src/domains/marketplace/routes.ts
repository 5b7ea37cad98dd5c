// The marketplace: list a card (approve the platform delegate), confirm, cancel
// (revoke), buy (one atomic transaction co-signed by the delegate), settle, and
// the listing and sale history.

import { runPeriodically } from "../../core/periodic.js";
import { errors, page } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { can, SECURED } from "../auth/guard.js";
import {
  BuyResult,
  CancelResult,
  CreateListingBody,
  Listing,
  ListingParams,
  ListingWithTransaction,
  ListListingsQuery,
  ListSalesQuery,
  Sale,
  SignatureBody,
} from "./schemas.js";
import {
  buyListing,
  cancelListing,
  confirmListing,
  createListing,
  getListing,
  listListings,
  listSales,
  settleListing,
} from "./service.js";
import { sweepListings } from "./sweep.js";

export default async function marketplaceRoutes(app: App) {
  const { deps } = app;
  const tags = ["marketplace"];

  // Sales nobody settled are found on chain at start and then regularly.
  runPeriodically(app, "marketplace sweep", 60_000, () => sweepListings(deps));

  app.post(
    "/marketplace/listings",
    {
      preHandler: can("marketplace:listing:write"),
      schema: {
        tags,
        summary: "List a card you hold: returns the approve transaction (platform delegate, 1 token) to sign",
        security: SECURED,
        body: CreateListingBody,
        response: { 201: ListingWithTransaction, ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (req, reply) => reply.status(201).send(await createListing(deps, req, req.body)),
  );

  app.post(
    "/marketplace/listings/:id/confirm",
    {
      preHandler: can("marketplace:listing:write"),
      schema: {
        tags,
        summary: "Record the approve transaction once the chain shows the platform as the card's delegate",
        security: SECURED,
        params: ListingParams,
        body: SignatureBody,
        response: { 200: Listing, ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (req) => confirmListing(deps, req, req.params.id, req.body.signature),
  );

  app.post(
    "/marketplace/listings/:id/cancel",
    {
      preHandler: can("marketplace:listing:write"),
      schema: {
        tags,
        summary: "Cancel your listing: returns the revoke transaction to sign",
        security: SECURED,
        params: ListingParams,
        response: { 200: CancelResult, ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (req) => cancelListing(deps, req, req.params.id),
  );

  app.post(
    "/marketplace/listings/:id/buy",
    {
      preHandler: can("marketplace:sale:buy"),
      schema: {
        tags,
        summary: "Buy: the sale as one transaction, already signed by the platform delegate, for your wallet to sign",
        description:
          "Price and currency are the listing's. The delegate signs only while the listing is active and unexpired, the seller holds the card and the approval is on chain.",
        security: SECURED,
        params: ListingParams,
        response: { 200: BuyResult, ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (req) => buyListing(deps, req, req.params.id),
  );

  app.post(
    "/marketplace/listings/:id/settle",
    {
      preHandler: can("marketplace:sale:buy"),
      schema: {
        tags,
        summary: "Record the sale a confirmed transaction made (checked against its token balances); idempotent",
        security: SECURED,
        params: ListingParams,
        body: SignatureBody,
        response: { 200: Sale, ...errors(400, 401, 403, 404, 409, 429, 502) },
      },
    },
    async (req) => settleListing(deps, req, req.params.id, req.body.signature),
  );

  app.get(
    "/marketplace/listings",
    {
      schema: {
        tags,
        summary: "Listings, newest first (seller=<your wallet> for your own)",
        querystring: ListListingsQuery,
        response: { 200: page(Listing), ...errors(400, 401, 429) },
      },
    },
    async (req) => listListings(deps, req.query),
  );

  app.get(
    "/marketplace/listings/:id",
    {
      schema: {
        tags,
        summary: "One listing",
        params: ListingParams,
        response: { 200: Listing, ...errors(400, 401, 404, 429) },
      },
    },
    async (req) => getListing(deps, req.params.id),
  );

  app.get(
    "/marketplace/sales",
    {
      schema: {
        tags,
        summary: "Sales, newest first",
        querystring: ListSalesQuery,
        response: { 200: page(Sale), ...errors(400, 401, 429) },
      },
    },
    async (req) => listSales(deps, req.query),
  );
}
