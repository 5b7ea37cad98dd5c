// Request and response schemas of the users domain.
import { Type } from "typebox";
import { Amount, DateTime, Nullable, Pubkey, StringEnum, Uuid } from "../../core/schemas.js";

/** Preferences are the web app's own settings: an object, bounded so it cannot grow without limit. */
export const PREFERENCES_MAX_BYTES = 4096;

export const Profile = Type.Object({
  wallet: Pubkey,
  displayName: Nullable(Type.String()),
  email: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  kycStatus: StringEnum(["none", "pending", "verified", "rejected"]),
  preferences: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
});

export const ProfilePatch = Type.Object(
  {
    // Nullable gives one schema typed [string, null]: with type coercion on, a union would turn "" into null.
    displayName: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 64,
          // No control characters (Postgres text refuses NUL), no leading or trailing blanks.
          pattern: "^[^\\s\\x00-\\x1f](?:[^\\x00-\\x1f]*[^\\s\\x00-\\x1f])?$",
        }),
      ),
    ),
    email: Type.Optional(Nullable(Type.String({ format: "email", maxLength: 254 }))),
    preferences: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        maxProperties: 50,
        description: `replaces the stored preferences; at most 50 keys and ${PREFERENCES_MAX_BYTES} bytes of JSON`,
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TokenBalance = Type.Object({
  mint: Pubkey,
  amount: Amount,
  decimals: Type.Integer(),
  /** Token accounts of this mint the wallet owns (the associated one or any other). */
  accounts: Type.Integer(),
});

export const Balances = Type.Object({
  wallet: Pubkey,
  /** The slot every balance was read at (confirmed). */
  slot: Type.Integer(),
  sol: Type.Object({ lamports: Amount }),
  ece: TokenBalance,
  usdc: TokenBalance,
});

export const WalletParams = Type.Object({ wallet: Pubkey }, { additionalProperties: false });

/** Off-chain roles an admin can grant; `signer` is accepted by the schema only to be refused with a clear error. */
export const RolesBody = Type.Object(
  {
    roles: Type.Array(StringEnum(["user", "auditor", "developer", "admin", "signer"]), {
      maxItems: 5,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);

export const RolesResponse = Type.Object({
  wallet: Pubkey,
  /** The stored off-chain roles (always with `user`); `signer` comes from the chain at sign-in. */
  roles: Type.Array(Type.String()),
});

export const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  data: Type.Unknown(),
  readAt: Nullable(DateTime),
  createdAt: DateTime,
});

export const NotificationParams = Type.Object({ id: Uuid }, { additionalProperties: false });
