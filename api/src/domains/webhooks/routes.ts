// Webhooks: subscriptions (own only) and their delivery log; the dispatcher and the
// delivery worker run for the life of the app.

import { randomBytes } from "node:crypto";
import type { Prisma, WebhookDelivery, WebhookSubscription } from "@ece/db";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest, conflict, notFound } from "../../core/errors.js";
import { errors, PageQuery, page, Uuid } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { caller, can, SECURED } from "../auth/guard.js";
import { refusedDestination } from "./destination.js";
import { WebhookDispatcher } from "./dispatcher.js";
import { CreateBody, CreatedSubscription, Delivery, Subscription } from "./schemas.js";

const tags = ["webhooks"];
const MAX_PER_OWNER = 25;

const view = (s: WebhookSubscription) => ({
  id: s.id,
  owner: s.owner,
  url: s.url,
  eventTypes: s.eventTypes,
  active: s.active,
  createdAt: s.createdAt.toISOString(),
});

const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  eventType: d.eventType,
  eventId: d.eventId,
  payload: d.payload,
  status: d.status,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  lastError: d.lastError,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw badRequest("BAD_URL", "url is not a URL");
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw badRequest("BAD_URL", "url must be http or https");
  if (u.username || u.password) throw badRequest("BAD_URL", "url must not carry credentials");
  return u.toString();
}

export default async function webhooksRoutes(app: App) {
  const { deps } = app;
  const dispatcher = new WebhookDispatcher(deps, app.log);
  await dispatcher.start();
  app.addHook("onClose", async () => dispatcher.close());

  /** The caller's subscription (others' are not found, so their ids leak nothing). */
  async function own(req: FastifyRequest, id: string): Promise<WebhookSubscription> {
    const me = caller(req);
    const s = await deps.prisma.webhookSubscription.findUnique({ where: { id } });
    if (!s || (s.owner !== me.wallet && !me.permissions.has("webhooks:subscription:read-any")))
      throw notFound("webhook subscription");
    return s;
  }

  app.post(
    "/webhooks",
    {
      preHandler: can("webhooks:subscription:manage"),
      schema: {
        tags,
        summary: "Subscribe a URL to event types; deliveries are signed with the secret (returned once)",
        description:
          "Each delivery is a POST of JSON with headers x-ece-event, x-ece-delivery, x-ece-timestamp and " +
          'x-ece-signature = hex HMAC-SHA256(secret, timestamp + "." + body). Retried with exponential backoff ' +
          "until a 2xx answer.",
        security: SECURED,
        body: CreateBody,
        response: { 201: CreatedSubscription, ...errors(400, 401, 403, 409, 429) },
      },
    },
    async (req, reply) => {
      const me = caller(req);
      const url = checkUrl(req.body.url);
      const refused = await refusedDestination(url, deps.config.webhookAllowPrivate);
      if (refused) throw badRequest("BAD_URL", refused);
      const count = await deps.prisma.webhookSubscription.count({ where: { owner: me.wallet } });
      if (count >= MAX_PER_OWNER) throw conflict("LIMIT_REACHED", `at most ${MAX_PER_OWNER} subscriptions per wallet`);
      const secret = req.body.secret ?? `whsec_${randomBytes(32).toString("hex")}`;
      const s = await deps.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
        const created = await tx.webhookSubscription.create({
          data: { owner: me.wallet, url, eventTypes: req.body.eventTypes, secret },
        });
        await audit(tx, req, {
          action: "webhooks.subscribe",
          resource: `webhook:${created.id}`,
          after: { url, eventTypes: created.eventTypes },
        });
        return created;
      });
      return reply.status(201).send({ ...view(s), secret });
    },
  );

  app.get(
    "/webhooks",
    {
      preHandler: can("webhooks:subscription:manage"),
      schema: {
        tags,
        summary: "Your subscriptions",
        security: SECURED,
        response: { 200: Type.Object({ items: Type.Array(Subscription) }), ...errors(401, 403, 429) },
      },
    },
    async (req) => {
      const rows = await deps.prisma.webhookSubscription.findMany({
        where: { owner: caller(req).wallet },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      });
      return { items: rows.map(view) };
    },
  );

  app.get(
    "/webhooks/:id",
    {
      preHandler: can("webhooks:subscription:manage"),
      schema: {
        tags,
        summary: "One of your subscriptions",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: { 200: Subscription, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => view(await own(req, req.params.id)),
  );

  app.delete(
    "/webhooks/:id",
    {
      preHandler: can("webhooks:subscription:manage"),
      schema: {
        tags,
        summary: "Delete one of your subscriptions (and its delivery log)",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req, reply) => {
      const me = caller(req);
      const s = await deps.prisma.webhookSubscription.findUnique({ where: { id: req.params.id } });
      if (!s || s.owner !== me.wallet) throw notFound("webhook subscription");
      await deps.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
        await tx.webhookSubscription.delete({ where: { id: s.id } });
        await audit(tx, req, {
          action: "webhooks.unsubscribe",
          resource: `webhook:${s.id}`,
          before: { url: s.url, eventTypes: s.eventTypes },
        });
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/webhooks/:id/deliveries",
    {
      preHandler: can("webhooks:subscription:manage"),
      schema: {
        tags,
        summary: "The delivery log of one of your subscriptions, newest first",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(
              Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: page(Delivery), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const s = await own(req, req.params.id);
      const limit = req.query.limit ?? 50;
      const after = decodeCursor(req.query.cursor, 2);
      const where: Prisma.WebhookDeliveryWhereInput = { subscriptionId: s.id };
      if (req.query.status) where.status = req.query.status;
      if (after) {
        const at = new Date(String(after[0]));
        if (Number.isNaN(at.getTime())) throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
        where.OR = [{ createdAt: { lt: at } }, { createdAt: at, id: { gt: String(after[1]) } }];
      }
      const rows = await deps.prisma.webhookDelivery.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        take: limit + 1,
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(deliveryView),
        nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },
  );
}
