// The explorer's filters and rows, as TypeBox schemas.
import { Type } from "typebox";
import { Amount, DateTime, Nullable, PUBKEY_FORMAT, Pubkey, Signature, StringEnum } from "../../core/schemas.js";

const NAME = "^[A-Za-z0-9_]{1,64}$";
// The shared schemas' patterns, repeated here to carry per-filter descriptions.
const PUBKEY = "^[1-9A-HJ-NP-Za-km-z]{32,44}$";
const AMOUNT = "^[0-9]{1,20}$";

/** Filters shared by the list and the CSV export. */
export const FilterFields = {
  wallet: Type.Optional(
    Type.String({
      pattern: PUBKEY,
      format: PUBKEY_FORMAT,
      description: "a signer or any account the transaction names",
    }),
  ),
  program: Type.Optional(
    Type.String({
      pattern: PUBKEY,
      format: PUBKEY_FORMAT,
      description: "an ECE program the transaction invoked (top level or by CPI)",
    }),
  ),
  instruction: Type.Optional(
    Type.String({
      pattern: NAME,
      description: "the transaction's main instruction: its first ECE instruction (IDL name, e.g. create_proposal)",
    }),
  ),
  event: Type.Optional(
    Type.String({ pattern: NAME, description: "an event the transaction emitted (e.g. ProposalExecuted)" }),
  ),
  from: Type.Optional(Type.String({ format: "date-time", description: "block time ≥ from" })),
  to: Type.Optional(Type.String({ format: "date-time", description: "block time ≤ to" })),
  minAmount: Type.Optional(
    Type.String({ pattern: AMOUNT, description: "some instruction moves ≥ minAmount base units" }),
  ),
  maxAmount: Type.Optional(
    Type.String({
      pattern: AMOUNT,
      description: "some instruction moves ≤ maxAmount base units (with minAmount: the same instruction)",
    }),
  ),
  status: Type.Optional(StringEnum(["success", "failed"])),
  commitment: Type.Optional(StringEnum(["confirmed", "finalized", "dropped"])),
};

export const TxSummary = Type.Object({
  signature: Signature,
  slot: Type.Integer(),
  blockTime: Nullable(DateTime),
  success: Type.Boolean(),
  errorName: Nullable(Type.String()),
  fee: Type.Integer({ description: "lamports" }),
  computeUnits: Nullable(Type.Integer()),
  signer: Pubkey,
  programs: Type.Array(Type.String()),
  program: Nullable(Type.String()),
  instruction: Nullable(Type.String()),
  commitment: Type.String(),
});

export const TxDetail = Type.Object({
  ...TxSummary.properties,
  error: Type.Unknown({ description: "the transaction error as the RPC returned it (null on success)" }),
  signers: Type.Array(Type.String()),
  accounts: Type.Array(Type.String()),
  logs: Type.Array(Type.String()),
  instructions: Type.Array(
    Type.Object({
      index: Type.Integer(),
      innerIndex: Type.Integer({ description: "-1: top level; else position among the CPIs of `index`" }),
      program: Type.String(),
      name: Nullable(Type.String()),
      args: Type.Unknown(),
      accounts: Type.Array(Type.String()),
      amount: Nullable(Amount),
      mint: Nullable(Type.String()),
      stackHeight: Nullable(Type.Integer()),
    }),
  ),
  events: Type.Array(
    Type.Object({
      index: Type.Integer(),
      program: Type.String(),
      name: Type.String(),
      data: Type.Unknown(),
      amount: Nullable(Amount),
    }),
  ),
  links: Type.Object({
    self: Type.String({ description: "this record in the API" }),
    explorer: Type.String({ description: "the transaction in the Solana Explorer (custom cluster on a localnet)" }),
  }),
  compliance: Nullable(
    Type.Object({
      id: Type.String(),
      score: Type.Integer({ minimum: 0, maximum: 100 }),
      decision: Type.String(),
      reasons: Type.Unknown(),
      recordHash: Type.String(),
      ruleSetVersion: Type.String(),
      reviewer: Nullable(Type.String()),
      reviewReason: Nullable(Type.String()),
      reviewedAt: Nullable(DateTime),
      createdAt: DateTime,
    }),
  ),
});
