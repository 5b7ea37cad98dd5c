// Request and response schemas of the battles domain.
import { Type } from "typebox";
import {
  Amount,
  BuiltTransaction,
  DateTime,
  Nullable,
  Pubkey,
  Signature,
  StringEnum,
  Uuid,
} from "../../core/schemas.js";

export const Side = StringEnum(["a", "b"]);
export const Status = StringEnum(["scheduled", "live", "closed", "cancelled"]);

const CardRef = Type.Object({ id: Uuid, name: Type.String(), mint: Pubkey, companyId: Uuid });

export const BattleView = Type.Object({
  id: Uuid,
  title: Type.String(),
  cardA: CardRef,
  cardB: CardRef,
  startsAt: DateTime,
  endsAt: DateTime,
  /** From the clock: scheduled before startsAt, live until endsAt, closed after (or once closed). */
  status: Status,
  winner: Nullable(Side),
  /** Sums of vote weights (ECE base units at the snapshot slot). */
  tallyA: Amount,
  tallyB: Amount,
  votes: Type.Integer(),
  participants: Type.Integer(),
  /** The slot of the ECE balances votes are weighed with; null until the battle's first read or vote while live. */
  snapshotSlot: Nullable(Type.String()),
  rewardProposal: Nullable(Pubkey),
  createdBy: Pubkey,
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
});

export const CreateBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120, pattern: "^[^\\x00-\\x1f]+$" }),
    cardAId: Uuid,
    cardBId: Uuid,
    startsAt: DateTime,
    endsAt: DateTime,
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

export const JoinBody = Type.Object({ side: Side, cardId: Type.Optional(Uuid) }, { additionalProperties: false });

export const Participation = Type.Object({
  battleId: Uuid,
  wallet: Pubkey,
  side: Side,
  cardId: Nullable(Uuid),
  joinedAt: DateTime,
});

export const VoteMessageQuery = Type.Object({ side: Side }, { additionalProperties: false });

export const VoteMessage = Type.Object({
  message: Type.String(),
  nonce: Type.String(),
  expiresAt: DateTime,
});

export const VoteBody = Type.Object(
  {
    side: Side,
    message: Type.String({ minLength: 1, maxLength: 1024 }),
    signature: Signature,
  },
  { additionalProperties: false },
);

export const VoteView = Type.Object({
  battleId: Uuid,
  wallet: Pubkey,
  side: Side,
  /** The voter's ECE balance (base units) at the snapshot slot. */
  weight: Amount,
  snapshotSlot: Type.String(),
  votedAt: DateTime,
  tallyA: Amount,
  tallyB: Amount,
});

export const RewardBody = Type.Object(
  {
    mint: StringEnum(["ECE", "USDC"]),
    totalAmount: Amount,
  },
  { additionalProperties: false },
);

export const RewardProposal = Type.Object({
  battleId: Uuid,
  /** The treasury proposal the transaction creates. */
  proposal: Pubkey,
  index: Type.String(),
  mint: Pubkey,
  /** The winning card's company payout wallet, and its associated token account the transfer pays. */
  to: Pubkey,
  destination: Pubkey,
  amount: Amount,
  transaction: BuiltTransaction,
});
