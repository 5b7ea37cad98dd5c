import { Type } from "typebox";
import { DateTime, Pubkey, Uuid } from "../../core/schemas.js";

export const Reason = Type.Object({ rule: Type.String(), points: Type.Integer(), detail: Type.String() });

export const ComplianceCheck = Type.Object({
  id: Uuid,
  subjectType: Type.Union([
    Type.Literal("transaction"),
    Type.Literal("payout"),
    Type.Literal("wallet"),
    Type.Literal("batch"),
  ]),
  subjectId: Type.String(),
  wallet: Type.Union([Pubkey, Type.Null()]),
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  reasons: Type.Array(Reason),
  /** What the rules said (approve < 40 ≤ review < 70 ≤ block). */
  engineDecision: Type.Union([Type.Literal("approve"), Type.Literal("review"), Type.Literal("block")]),
  /** The standing decision: the engine's, or a reviewer's once decided. */
  decision: Type.Union([
    Type.Literal("approve"),
    Type.Literal("review"),
    Type.Literal("block"),
    Type.Literal("override"),
  ]),
  ruleSetVersion: Type.String(),
  recordHash: Type.String({ pattern: "^[0-9a-f]{64}$" }),
  inputs: Type.Unknown({ description: "everything the rules read (see the engine's ComplianceInputs)" }),
  reviewer: Type.Union([Pubkey, Type.Null()]),
  reviewReason: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
});

export const Recomputed = Type.Object({
  check: ComplianceCheck,
  recomputed: Type.Object({
    score: Type.Integer(),
    reasons: Type.Array(Reason),
    decision: Type.String(),
    ruleSetVersion: Type.String(),
    recordHash: Type.String(),
  }),
  /** Same score, reasons, decision and record hash as stored. */
  equal: Type.Boolean(),
});

export const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal("approve"), Type.Literal("block"), Type.Literal("override")], {
      description: "override lets a blocked subject through; approve clears a review",
    }),
    reason: Type.String({ minLength: 10, maxLength: 2000, description: "why (written, at least 10 characters)" }),
  },
  { additionalProperties: false },
);
