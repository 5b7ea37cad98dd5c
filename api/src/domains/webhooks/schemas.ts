import { Type } from "typebox";
import { DateTime, Pubkey, Uuid } from "../../core/schemas.js";

/** A chain event name (PayoutPaid, Minted, …), an API event type (sale.completed, …) or "*". */
export const EventType = Type.String({ pattern: "^(\\*|[A-Za-z][A-Za-z0-9_.:-]{0,63})$", maxLength: 64 });

export const CreateBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 2048, description: "http(s) URL that receives POSTed events" }),
    eventTypes: Type.Array(EventType, { minItems: 1, maxItems: 50, uniqueItems: true }),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 200, description: "HMAC key; generated (and returned once) if absent" }),
    ),
  },
  { additionalProperties: false },
);

export const Subscription = Type.Object({
  id: Uuid,
  owner: Pubkey,
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: DateTime,
});

export const CreatedSubscription = Type.Object({
  ...Subscription.properties,
  secret: Type.String({ description: "shown once: keep it to verify x-ece-signature" }),
});

export const Delivery = Type.Object({
  id: Uuid,
  subscriptionId: Uuid,
  eventType: Type.String(),
  eventId: Type.String(),
  payload: Type.Unknown(),
  status: Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]),
  attempts: Type.Integer(),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  deliveredAt: Type.Union([DateTime, Type.Null()]),
});
