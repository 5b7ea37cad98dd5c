import type { PublicKey } from "@solana/web3.js";

/** Member permission bits (as Squads v4: Initiate, Vote, Execute). */
export const Permission = { Propose: 1, Vote: 2, Execute: 4, All: 7 } as const;

/** `extraApprovals` meaning "every voter must approve". */
export const ALL_VOTERS = 255;

export interface Member {
  key: PublicKey;
  permissions: number;
}

export interface RiskTier {
  minScore: number;
  extraApprovals: number;
}

/** Entries of one payout batch at most (the program's `MAX_PAYOUT_ENTRIES`). */
export const MAX_PAYOUT_ENTRIES = 2_000;

export interface PayoutEntry {
  /** Recipient token account. */
  recipient: PublicKey;
  amount: bigint;
}

export type ConfigAction =
  | { kind: "addMember"; member: Member }
  | { kind: "removeMember"; key: PublicKey }
  | { kind: "setThreshold"; threshold: number }
  | { kind: "setTimeLock"; seconds: number }
  | { kind: "setRiskPolicy"; tiers: RiskTier[] };

export type PauseAction = { kind: "unpause" } | { kind: "setGuardians"; guardians: PublicKey[] };

export type TokenAction =
  | { kind: "addMinter"; minter: PublicKey }
  | { kind: "removeMinter"; minter: PublicKey }
  | { kind: "setCap"; cap: bigint }
  | { kind: "setAdmin"; admin: PublicKey };

export type ProposalAction =
  | { kind: "transfer"; mint: PublicKey; to: PublicKey; amount: bigint }
  | {
      kind: "payoutBatch";
      mint: PublicKey;
      week: number;
      totalAmount: bigint;
      /** Entries in the whole batch; `entries` may hold only the first ones. */
      entryCount: number;
      /** The entries loaded so far: a draft's account holds only these. */
      entries: PayoutEntry[];
    }
  | { kind: "config"; actions: ConfigAction[] }
  | { kind: "pause"; action: PauseAction }
  | { kind: "token"; action: TokenAction };

export type ProposalStatus = "Draft" | "Active" | "Approved" | "Rejected" | "Cancelled" | "Executing" | "Executed";

/** `ProposalAction` variant numbers, as in the `kind` field of events. */
export const PROPOSAL_KINDS = ["transfer", "payoutBatch", "config", "pause", "token"] as const;
