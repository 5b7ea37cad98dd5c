// Request and response schemas of the cards domain.
import { Type } from "typebox";
import { DateTime, Nullable, PageQuery, Pubkey, Signature, StringEnum, Uuid } from "../../core/schemas.js";

export const RARITIES = ["common", "rare", "epic", "legendary"] as const;
export type RarityName = (typeof RARITIES)[number];
export const Rarity = StringEnum(["common", "rare", "epic", "legendary"]);

export const CARD_SORTS = ["newest", "name", "rarity"] as const;
export type CardSort = (typeof CARD_SORTS)[number];

/** Company metrics shown on a card: a small flat map of numbers, strings and booleans. */
export const Metrics = Type.Record(
  Type.String({ minLength: 1, maxLength: 64 }),
  // One schema with a type list, not a union: Ajv's coercion would turn `false` into 0 in an anyOf.
  Type.Unsafe<number | string | boolean | null>({ type: ["number", "string", "boolean", "null"], maxLength: 256 }),
  { maxProperties: 32 },
);

export const CompanyRef = Type.Object({ id: Uuid, name: Type.String(), ticker: Type.String() });
export const Company = Type.Object({
  id: Uuid,
  name: Type.String(),
  ticker: Type.String(),
  sector: Type.String(),
  createdAt: DateTime,
});

/** A company as listed: with the wallet its weekly payouts go to (the owner of the token accounts paid). */
export const CompanyListed = Type.Object({ ...Company.properties, payoutWallet: Nullable(Pubkey) });

export const PayoutWalletBody = Type.Object({ wallet: Pubkey }, { additionalProperties: false });

export const Card = Type.Object({
  id: Uuid,
  mint: Pubkey,
  name: Type.String(),
  sector: Type.String(),
  rarity: Rarity,
  metrics: Metrics,
  imageUrl: Nullable(Type.String()),
  /** Last owner seen on chain (the mirror). */
  owner: Nullable(Pubkey),
  ownerSlot: Nullable(Type.Integer()),
  company: CompanyRef,
  createdAt: DateTime,
});

export const CardDetail = Type.Object({
  ...Card.properties,
  company: Company,
  /** Where `owner` comes from: the chain, read for this request, or the mirror when the RPC did not answer. */
  ownerSource: StringEnum(["chain", "mirror"]),
  /** The token account holding the card (null when the chain was not read or nobody holds it). */
  tokenAccount: Nullable(Pubkey),
});

export const MintedCard = Type.Object({ ...CardDetail.properties, signature: Signature });

const Name = Type.String({ minLength: 1, maxLength: 120, pattern: "\\S" });
export const Sector = Type.String({ minLength: 1, maxLength: 60, pattern: "^[A-Za-z0-9][A-Za-z0-9 &/-]*$" });
const Ticker = Type.String({ pattern: "^[A-Z0-9]{1,10}$" });

export const ListCardsQuery = Type.Object(
  {
    sector: Type.Optional(Sector),
    rarity: Type.Optional(Rarity),
    companyId: Type.Optional(Uuid),
    owner: Type.Optional(Pubkey),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sort: Type.Optional(StringEnum(["newest", "name", "rarity"], { default: "newest" })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const CardParams = Type.Object(
  {
    card: Type.String({
      description: "card id (uuid) or its mint address",
      pattern:
        "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[1-9A-HJ-NP-Za-km-z]{32,44})$",
    }),
  },
  { additionalProperties: false },
);

export const MintCardBody = Type.Object(
  {
    companyId: Type.Optional(Uuid),
    company: Type.Optional(
      Type.Object({ name: Name, ticker: Ticker, sector: Sector }, { additionalProperties: false }),
    ),
    name: Name,
    rarity: Rarity,
    metrics: Type.Optional(Metrics),
    imageUrl: Type.Optional(Type.String({ format: "uri", pattern: "^https?://", maxLength: 2048 })),
    owner: Pubkey,
  },
  { additionalProperties: false, description: "exactly one of companyId and company" },
);

export const ListCompaniesQuery = Type.Object(
  { sector: Type.Optional(Sector), ...PageQuery },
  { additionalProperties: false },
);
