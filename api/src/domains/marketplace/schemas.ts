// Request and response schemas of the marketplace.
import { Type } from "typebox";
import {
  Amount,
  BuiltTransaction,
  DateTime,
  Nullable,
  PageQuery,
  Pubkey,
  Signature,
  StringEnum,
  Uuid,
} from "../../core/schemas.js";
import { Rarity } from "../cards/schemas.js";

export const Currency = StringEnum(["ECE", "USDC"]);
export type CurrencyName = "ECE" | "USDC";

export const ListingStatus = StringEnum(["active", "sold", "cancelled", "expired"]);

export const Listing = Type.Object({
  id: Uuid,
  card: Type.Object({ id: Uuid, mint: Pubkey, name: Type.String(), rarity: Rarity, sector: Type.String() }),
  seller: Pubkey,
  currency: Currency,
  currencyMint: Pubkey,
  price: Amount,
  /** Platform fee at the current rate (paid into the treasury vault) and what the seller receives. */
  fee: Amount,
  sellerReceives: Amount,
  /** `expired` once expiresAt has passed, even before anything records it. */
  status: ListingStatus,
  /** `verified` once the delegate approval was seen on chain (buy checks it on chain again). */
  approval: StringEnum(["pending", "verified"]),
  approveSignature: Nullable(Signature),
  expiresAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const Sale = Type.Object({
  id: Uuid,
  listingId: Uuid,
  cardId: Uuid,
  seller: Pubkey,
  buyer: Pubkey,
  currency: Currency,
  currencyMint: Pubkey,
  price: Amount,
  fee: Amount,
  signature: Signature,
  slot: Nullable(Type.Integer()),
  soldAt: DateTime,
});

export const ListingWithTransaction = Type.Object({
  listing: Listing,
  /** Approve the platform delegate for the one card token: sign and send, then POST …/confirm. */
  transaction: BuiltTransaction,
});

export const CancelResult = Type.Object({
  listing: Listing,
  /** Revoke of the delegate approval, null when the seller no longer holds the card or nothing is approved. */
  transaction: Nullable(BuiltTransaction),
});

export const BuyResult = Type.Object({
  listing: Listing,
  /** The sale, already signed by the platform delegate: the buyer signs, sends, then POST …/settle. */
  transaction: BuiltTransaction,
});

export const CreateListingBody = Type.Object(
  {
    cardId: Uuid,
    currency: Currency,
    price: Amount,
    expiresAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

export const SignatureBody = Type.Object({ signature: Signature }, { additionalProperties: false });

export const ListingParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ListListingsQuery = Type.Object(
  {
    status: Type.Optional(ListingStatus),
    seller: Type.Optional(Pubkey),
    cardId: Type.Optional(Uuid),
    currency: Type.Optional(Currency),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ListSalesQuery = Type.Object(
  {
    cardId: Type.Optional(Uuid),
    buyer: Type.Optional(Pubkey),
    seller: Type.Optional(Pubkey),
    ...PageQuery,
  },
  { additionalProperties: false },
);
