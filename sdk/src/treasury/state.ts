import { BorshAccountsCoder } from "@coral-xyz/anchor";
import type { AccountInfo, PublicKey } from "@solana/web3.js";
import { big } from "../common/ix.js";
import { eceTreasuryIdl } from "../idl.js";
import { ECE_TREASURY_PROGRAM_ID } from "../ids.js";
import { decodeAction, decodeMember, decodeStatus, decodeTier } from "./codec.js";
import {
  ALL_VOTERS,
  type Member,
  Permission,
  type ProposalAction,
  type ProposalStatus,
  type RiskTier,
} from "./types.js";

const coder = new BorshAccountsCoder(eceTreasuryIdl);
type Raw = Record<string, unknown>;
const num = (r: Raw, k: string) => r[k] as number;
const key = (r: Raw, k: string) => r[k] as PublicKey;
const u64 = (r: Raw, k: string) => big(r[k] as { toString(): string });
const list = (r: Raw, k: string, count: string) => (r[k] as Raw[]).slice(0, num(r, count));
type Account = Pick<AccountInfo<Buffer>, "data" | "owner">;

export interface Multisig {
  createKey: PublicKey;
  bump: number;
  threshold: number;
  timeLockSeconds: number;
  transactionIndex: bigint;
  staleTransactionIndex: bigint;
  riskPolicy: RiskTier[];
  members: Member[];
}

export interface Proposal {
  multisig: PublicKey;
  index: bigint;
  creator: PublicKey;
  status: ProposalStatus;
  riskScore: number;
  required: number;
  voters: number;
  approvals: number;
  rejections: number;
  cancellations: number;
  approvedMask: number;
  rejectedMask: number;
  cancelledMask: number;
  createdAt: bigint;
  approvedAt: bigint;
  executedAt: bigint;
  complianceHash: Uint8Array;
  executedEntries: number;
  loadedEntries: number;
  loadedAmount: bigint;
  paidAmount: bigint;
  action: ProposalAction;
}

function owned(account: Account, programId: PublicKey, what: string) {
  if (!account.owner.equals(programId))
    throw new Error(`${what} is owned by ${account.owner.toBase58()}, not ${programId.toBase58()}`);
}

/** Decodes a `Multisig` account; throws if the owner or discriminator is wrong. */
export function decodeMultisig(account: Account, programId = ECE_TREASURY_PROGRAM_ID): Multisig {
  owned(account, programId, "multisig");
  const r = coder.decode<Raw>("Multisig", account.data);
  return {
    createKey: key(r, "create_key"),
    bump: num(r, "bump"),
    threshold: num(r, "threshold"),
    timeLockSeconds: num(r, "time_lock_seconds"),
    transactionIndex: u64(r, "transaction_index"),
    staleTransactionIndex: u64(r, "stale_transaction_index"),
    riskPolicy: list(r, "risk_tiers", "risk_tier_count").map(decodeTier),
    members: list(r, "members", "member_count").map(decodeMember),
  };
}

/** Decodes a `Proposal` account; throws if the owner or discriminator is wrong. */
export function decodeProposal(account: Account, programId = ECE_TREASURY_PROGRAM_ID): Proposal {
  owned(account, programId, "proposal");
  const r = coder.decode<Raw>("Proposal", account.data);
  return {
    multisig: key(r, "multisig"),
    index: u64(r, "index"),
    creator: key(r, "creator"),
    status: decodeStatus(r.status),
    riskScore: num(r, "risk_score"),
    required: num(r, "required"),
    voters: num(r, "voters"),
    approvals: num(r, "approvals"),
    rejections: num(r, "rejections"),
    cancellations: num(r, "cancellations"),
    approvedMask: num(r, "approved_mask"),
    rejectedMask: num(r, "rejected_mask"),
    cancelledMask: num(r, "cancelled_mask"),
    createdAt: u64(r, "created_at"),
    approvedAt: u64(r, "approved_at"),
    executedAt: u64(r, "executed_at"),
    complianceHash: Uint8Array.from(r.compliance_hash as number[]),
    executedEntries: num(r, "executed_entries"),
    loadedEntries: num(r, "loaded_entries"),
    loadedAmount: u64(r, "loaded_amount"),
    paidAmount: u64(r, "paid_amount"),
    action: decodeAction(r.action),
  };
}

export const voters = (m: Pick<Multisig, "members">): number =>
  m.members.filter((x) => (x.permissions & Permission.Vote) !== 0).length;

/** Approvals a proposal with `riskScore` needs — the program's rule, for UIs and
 * services that show it before a proposal exists. */
export function requiredApprovals(
  m: Pick<Multisig, "members" | "threshold" | "riskPolicy">,
  riskScore: number,
): number {
  const v = voters(m);
  let required = m.threshold;
  for (const tier of m.riskPolicy) {
    if (riskScore >= tier.minScore)
      required = tier.extraApprovals === ALL_VOTERS ? v : Math.min(v, m.threshold + tier.extraApprovals);
  }
  return Math.max(required, m.threshold);
}

/** Created before the last executed config change: can no longer be voted on or executed. */
export const isStale = (p: Pick<Proposal, "index">, m: Pick<Multisig, "staleTransactionIndex">): boolean =>
  p.index <= m.staleTransactionIndex;
