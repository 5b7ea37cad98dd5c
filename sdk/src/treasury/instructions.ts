import { BorshInstructionCoder } from "@coral-xyz/anchor";
import { type AccountMeta, type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { buildIx, readonly, signer, writable } from "../common/ix.js";
import { eceTreasuryIdl } from "../idl.js";
import { ECE_PAUSE_PROGRAM_ID, ECE_TOKEN_PROGRAM_ID, ECE_TREASURY_PROGRAM_ID, SPL_TOKEN_PROGRAM_ID } from "../ids.js";
import { pauseStatePda } from "../pause/pda.js";
import { eceMintPda, tokenConfigPda } from "../token/pda.js";
import { encodeAction, encodeEntry, encodeMember, encodeTier } from "./codec.js";
import { multisigPda, payoutPda, proposalPda, vaultPda } from "./pda.js";
import type { Member, PayoutEntry, ProposalAction, RiskTier } from "./types.js";

const coder = new BorshInstructionCoder(eceTreasuryIdl);

/** Overrides for tests and tooling that must send deliberately wrong accounts. */
export interface TreasuryTarget {
  programId?: PublicKey;
  pauseState?: PublicKey;
}

const programOf = (t: TreasuryTarget) => t.programId ?? ECE_TREASURY_PROGRAM_ID;
const pauseOf = (t: TreasuryTarget) => t.pauseState ?? pauseStatePda()[0];

export function createMultisigIx(
  p: {
    creator: PublicKey;
    createKey: PublicKey;
    members: Member[];
    threshold: number;
    timeLockSeconds: number;
    riskPolicy: RiskTier[];
    multisig?: PublicKey;
  } & TreasuryTarget,
): TransactionInstruction {
  const programId = programOf(p);
  return buildIx(
    coder,
    "create_multisig",
    {
      members: p.members.map(encodeMember),
      threshold: p.threshold,
      time_lock_seconds: p.timeLockSeconds,
      risk_policy: p.riskPolicy.map(encodeTier),
    },
    [
      signer(p.creator, true),
      signer(p.createKey),
      writable(p.multisig ?? multisigPda(p.createKey, programId)[0]),
      readonly(SystemProgram.programId),
      readonly(pauseOf(p)),
    ],
    programId,
  );
}

export function createVaultIx(
  p: { payer: PublicKey; multisig: PublicKey; mint: PublicKey; vault?: PublicKey } & TreasuryTarget,
): TransactionInstruction {
  const programId = programOf(p);
  return buildIx(
    coder,
    "create_vault",
    {},
    [
      signer(p.payer, true),
      readonly(p.multisig),
      readonly(p.mint),
      writable(p.vault ?? vaultPda(p.multisig, p.mint, programId)[0]),
      readonly(SPL_TOKEN_PROGRAM_ID),
      readonly(SystemProgram.programId),
      readonly(pauseOf(p)),
    ],
    programId,
  );
}

/** The address a new proposal gets: by mint and week for a payout batch, else
 * by the multisig's next index (`transactionIndex + 1`). */
export function newProposalAddress(
  multisig: PublicKey,
  action: ProposalAction,
  nextIndex: bigint,
  programId = ECE_TREASURY_PROGRAM_ID,
): PublicKey {
  return action.kind === "payoutBatch"
    ? payoutPda(multisig, action.mint, action.week, programId)[0]
    : proposalPda(multisig, nextIndex, programId)[0];
}

export function createProposalIx(
  p: {
    creator: PublicKey;
    multisig: PublicKey;
    action: ProposalAction;
    /** The multisig's `transactionIndex + 1`. */
    nextIndex: bigint;
    riskScore?: number;
    complianceHash?: Uint8Array;
    proposal?: PublicKey;
  } & TreasuryTarget,
): TransactionInstruction {
  const programId = programOf(p);
  return buildIx(
    coder,
    "create_proposal",
    {
      action: encodeAction(p.action),
      risk_score: p.riskScore ?? 0,
      compliance_hash: Array.from(p.complianceHash ?? new Uint8Array(32)),
    },
    [
      signer(p.creator, true),
      writable(p.multisig),
      writable(p.proposal ?? newProposalAddress(p.multisig, p.action, p.nextIndex, programId)),
      readonly(SystemProgram.programId),
      readonly(pauseOf(p)),
    ],
    programId,
  );
}

/** Adds entries to a draft payout batch; the creator pays the rent of the bytes they add. */
export function appendPayoutEntriesIx(
  p: { creator: PublicKey; proposal: PublicKey; entries: PayoutEntry[] } & TreasuryTarget,
): TransactionInstruction {
  return buildIx(
    coder,
    "append_payout_entries",
    { entries: p.entries.map(encodeEntry) },
    [signer(p.creator, true), writable(p.proposal), readonly(SystemProgram.programId), readonly(pauseOf(p))],
    programOf(p),
  );
}

type Vote = { member: PublicKey; multisig: PublicKey; proposal: PublicKey; signer?: boolean } & TreasuryTarget;

function voteIx(name: "approve" | "reject" | "cancel", p: Vote): TransactionInstruction {
  return buildIx(
    coder,
    name,
    {},
    [
      { pubkey: p.member, isSigner: p.signer ?? true, isWritable: false },
      readonly(p.multisig),
      writable(p.proposal),
      readonly(pauseOf(p)),
    ],
    programOf(p),
  );
}

export const approveIx = (p: Vote) => voteIx("approve", p);
export const rejectIx = (p: Vote) => voteIx("reject", p);
export const cancelIx = (p: Vote) => voteIx("cancel", p);

/** `execute` with the action's accounts given as `remaining`; the helpers below
 * build them for each action. */
export function executeIx(
  p: { executor: PublicKey; multisig: PublicKey; proposal: PublicKey; remaining: AccountMeta[] } & TreasuryTarget,
): TransactionInstruction {
  return buildIx(
    coder,
    "execute",
    {},
    [signer(p.executor), writable(p.multisig), writable(p.proposal), writable(pauseOf(p)), ...p.remaining],
    programOf(p),
  );
}

/** Accounts a Transfer needs: the vault, the destination token account, SPL Token. */
export function transferAccounts(multisig: PublicKey, mint: PublicKey, destination: PublicKey, programId?: PublicKey) {
  return [writable(vaultPda(multisig, mint, programId)[0]), writable(destination), readonly(SPL_TOKEN_PROGRAM_ID)];
}

/** Accounts one payout chunk needs: the vault, SPL Token, then the next recipients. */
export function payoutAccounts(multisig: PublicKey, mint: PublicKey, recipients: PublicKey[], programId?: PublicKey) {
  return [
    writable(vaultPda(multisig, mint, programId)[0]),
    readonly(SPL_TOKEN_PROGRAM_ID),
    ...recipients.map(writable),
  ];
}

/** Accounts a Pause action needs: the ece_pause program. */
export const pauseAccounts = (): AccountMeta[] => [readonly(ECE_PAUSE_PROGRAM_ID)];

/** Accounts a Token action needs: the token config, the ECE mint, ece_token. */
export const tokenAccounts = (): AccountMeta[] => [
  writable(tokenConfigPda()[0]),
  readonly(eceMintPda()[0]),
  readonly(ECE_TOKEN_PROGRAM_ID),
];

export function closeProposalIx(
  p: { multisig: PublicKey; proposal: PublicKey; rentCollector: PublicKey } & TreasuryTarget,
): TransactionInstruction {
  return buildIx(
    coder,
    "close_proposal",
    {},
    [readonly(p.multisig), writable(p.proposal), writable(p.rentCollector), readonly(pauseOf(p))],
    programOf(p),
  );
}
