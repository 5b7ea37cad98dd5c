// Schemas shared by the domains; every route's body, params, query and responses
// are TypeBox schemas, which Fastify validates and the OpenAPI document describes.
import bs58 from "bs58";
import { type Static, type TSchema, Type } from "typebox";

/** Format `solana-pubkey`: base58 that decodes to exactly 32 bytes (the pattern alone lets through
 * strings `new PublicKey` refuses, which would reach handlers and fail there). */
export const PUBKEY_FORMAT = "solana-pubkey";
export function isPubkey(s: string): boolean {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(s)) return false;
  return bs58.decode(s).length === 32;
}

/** A base58 Solana address (32 bytes). */
export const Pubkey = Type.String({
  pattern: "^[1-9A-HJ-NP-Za-km-z]{32,44}$",
  format: PUBKEY_FORMAT,
  description: "base58 address",
});
/** A base58 transaction signature. */
export const Signature = Type.String({ pattern: "^[1-9A-HJ-NP-Za-km-z]{64,88}$", description: "base58 signature" });
export const Uuid = Type.String({ format: "uuid" });
/** Token amounts in base units, as decimal strings (they exceed 2^53). */
export const Amount = Type.String({ pattern: "^[0-9]{1,20}$", description: "base units" });
export const DateTime = Type.String({ format: "date-time" });

/** X or null, written `type: [X, "null"]`: the serializer writes that directly, where an
 * anyOf (Type.Union with Type.Null) costs an Ajv check per value — on every item of every page. */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: unknown }).type;
  if (typeof type !== "string") return Type.Union([schema, Type.Null()]);
  const { enum: values } = schema as { enum?: unknown[] };
  return Type.Unsafe<Static<T> | null>({
    ...schema,
    type: [type, "null"],
    ...(values ? { enum: [...values, null] } : {}),
  });
}

/** One of fixed strings, written `type: string, enum: [...]` (a union of literals would be an anyOf, see Nullable). */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.String(),
    }),
  },
  { $id: "Error" },
);

/** Cursor pagination: `limit` items and the opaque cursor of the next page (null at the end). */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};

export const page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** An unsigned (or platform-partially-signed) transaction for the wallet to sign and send. */
export const BuiltTransaction = Type.Object({
  transaction: Type.String({ description: "base64 wire transaction (legacy message)" }),
  blockhash: Type.String(),
  lastValidBlockHeight: Type.Integer(),
  /** Who must still sign. */
  signers: Type.Array(Type.String()),
});

/** Error responses every route may answer with. */
export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref("Error")])) as Record<number, TSchema>;
