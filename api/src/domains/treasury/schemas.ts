// Treasury shapes: the multisig, vaults, proposals, payout runs and build requests.
import { treasury } from "@ece/sdk";
import { Type } from "typebox";
import { Amount, BuiltTransaction, DateTime, Nullable, PUBKEY_FORMAT, Pubkey, StringEnum } from "../../core/schemas.js";

const PUBKEY = "^[1-9A-HJ-NP-Za-km-z]{32,44}$";

const U64 = Type.String({ pattern: "^[0-9]{1,20}$", description: "u64 as a decimal string" });

const Status = StringEnum(["Draft", "Active", "Approved", "Rejected", "Cancelled", "Executing", "Executed"]);
const Kind = StringEnum(["transfer", "payoutBatch", "config", "pause", "token"]);

export const RiskTier = Type.Object({
  minScore: Type.Integer(),
  extraApprovals: Type.Integer({ description: "255: every voter" }),
});

export const Member = Type.Object({
  key: Pubkey,
  permissions: Type.Integer({ description: "bits: 1 propose, 2 vote, 4 execute" }),
  permissionNames: Type.Array(StringEnum(["propose", "vote", "execute"])),
});

export const MultisigView = Type.Object({
  address: Pubkey,
  createKey: Pubkey,
  threshold: Type.Integer(),
  timeLockSeconds: Type.Integer(),
  transactionIndex: U64,
  staleTransactionIndex: U64,
  riskPolicy: Type.Array(RiskTier),
  voters: Type.Integer(),
  members: Type.Array(Member),
  source: StringEnum(["chain", "mirror"], {
    description: "chain: read from the account now (the chain wins); mirror: the chain could not be read",
  }),
  mirrorInSync: Nullable(Type.Boolean()),
  mirrorDifferences: Type.Array(Type.String()),
  mirrorSlot: Nullable(Type.Integer()),
});

export const VaultView = Type.Object({
  address: Pubkey,
  currency: Nullable(StringEnum(["ECE", "USDC"])),
  mint: Pubkey,
  decimals: Nullable(Type.Integer()),
  balance: Nullable(Amount),
  mirrorBalance: Nullable(Amount),
  mirrorSlot: Nullable(Type.Integer()),
  mirrorInSync: Nullable(Type.Boolean()),
});

export const ProposalSummary = Type.Object({
  address: Pubkey,
  index: Type.String({ description: "the multisig's transaction index of the proposal" }),
  kind: Type.String(),
  creator: Type.String(),
  status: Status,
  riskScore: Type.Integer(),
  required: Type.Integer(),
  approvals: Type.Integer(),
  rejections: Type.Integer(),
  cancellations: Type.Integer(),
  week: Nullable(Type.Integer()),
  mint: Nullable(Type.String()),
  entryCount: Nullable(Type.Integer()),
  loadedEntries: Nullable(Type.Integer()),
  executedEntries: Type.Integer(),
  paidAmount: Amount,
  closed: Type.Boolean(),
  createdSignature: Type.String(),
  createdSlot: Type.Integer(),
  slot: Type.Integer(),
  updatedAt: DateTime,
});

export const ProposalQuery = Type.Object(
  {
    status: Type.Optional(Status),
    kind: Type.Optional(Kind),
    week: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

export const Vote = Type.Object({
  member: Type.String(),
  vote: StringEnum(["approve", "reject", "cancel"]),
  signature: Type.String(),
  slot: Type.Integer(),
});

export const PayoutView = Type.Object({
  id: Type.String(),
  week: Type.String(),
  recipient: Type.String(),
  recipientTokenAccount: Nullable(Type.String()),
  mint: Type.String(),
  amount: Amount,
  companyId: Nullable(Type.String()),
  proposal: Nullable(Type.String()),
  entryIndex: Nullable(Type.Integer()),
  status: Type.String(),
  signature: Nullable(Type.String()),
  paidSlot: Nullable(Type.Integer()),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const ProposalDetail = Type.Object({
  ...ProposalSummary.properties,
  votes: Type.Array(Vote),
  payouts: Type.Array(PayoutView),
  chain: Nullable(
    Type.Object(
      {
        status: Status,
        required: Type.Integer(),
        approvals: Type.Integer(),
        rejections: Type.Integer(),
        cancellations: Type.Integer(),
        executedEntries: Type.Integer(),
        loadedEntries: Type.Integer(),
        paidAmount: Amount,
        createdAt: Type.Integer({ description: "unix seconds" }),
        approvedAt: Type.Integer({ description: "unix seconds; 0 until approved" }),
        executedAt: Type.Integer({ description: "unix seconds; 0 until executed" }),
        complianceHash: Type.String({ description: "hex" }),
        action: Type.Unknown({ description: "the proposal's action: keys base58, amounts as decimal strings" }),
      },
      { description: "the account now (null once closed); the chain wins over the mirror fields above" },
    ),
  ),
  mirrorInSync: Nullable(Type.Boolean()),
});

const MintRef = Type.String({
  pattern: "^(ECE|USDC|[1-9A-HJ-NP-Za-km-z]{32,44})$",
  description: '"ECE", "USDC" or a mint address',
});
export const CreateProposalBody = Type.Object(
  {
    action: Type.Union([
      Type.Object(
        {
          kind: Type.Literal("transfer"),
          mint: MintRef,
          to: Type.String({
            pattern: PUBKEY,
            format: PUBKEY_FORMAT,
            description: "the recipient wallet (paid into its associated token account)",
          }),
          amount: Amount,
        },
        { additionalProperties: false, title: "TransferAction" },
      ),
      Type.Object(
        {
          kind: Type.Literal("payoutBatch"),
          mint: MintRef,
          week: Type.Integer({ minimum: 0, maximum: 4294967295 }),
          entries: Type.Array(
            Type.Object(
              {
                recipient: Type.String({
                  pattern: PUBKEY,
                  format: PUBKEY_FORMAT,
                  description: "recipient token account",
                }),
                amount: Amount,
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: treasury.MAX_PAYOUT_ENTRIES },
          ),
        },
        { additionalProperties: false, title: "PayoutBatchAction" },
      ),
      Type.Object(
        { kind: Type.Literal("unpause", { description: "a Pause proposal that lifts the emergency pause" }) },
        { additionalProperties: false, title: "UnpauseAction" },
      ),
    ]),
    riskScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 0 })),
    complianceHash: Type.Optional(
      Type.String({ pattern: "^[0-9a-fA-F]{64}$", description: "sha256 of the compliance record, hex" }),
    ),
  },
  { additionalProperties: false },
);

export const BuildResponse = Type.Object({
  proposal: Pubkey,
  index: Nullable(Type.String()),
  transactions: Type.Array(BuiltTransaction, {
    description: "send in this order, each confirmed before the next",
  }),
});

export const PayoutRunView = Type.Object({
  id: Type.String(),
  week: Type.String(),
  status: Type.String(),
  revenue: Type.Unknown(),
  formula: Type.Unknown(),
  riskScore: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  payoutCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const PauseView = Type.Object({
  address: Pubkey,
  paused: Type.Boolean(),
  reason: Type.Integer(),
  authority: Type.String(),
  guardians: Type.Array(Type.String()),
  lastChangedBy: Type.String(),
  lastChangedSlot: Type.Integer(),
  source: StringEnum(["chain", "mirror"]),
  mirrorInSync: Nullable(Type.Boolean()),
});

export const AddressParams = Type.Object({ address: Pubkey }, { additionalProperties: false });
