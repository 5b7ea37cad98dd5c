// What a deployment should leave on chain, and the shape every step has: look
// at the chain, then either report the state as already right, fail because it
// exists but differs (never overwrite), or say what it will send and cost.
import { treasury } from "@ece/sdk";
import type { Keypair, PublicKey } from "@solana/web3.js";
import type { Chain } from "./chain.js";
import { EXECUTOR, PROPOSER } from "./wallets.js";

const { Permission, ALL_VOTERS } = treasury;

/** ECE as in the tests (tests/src/platform.ts): 6 decimals, cap 10^15 base units = 1e9 ECE. */
export const ECE_DECIMALS = 6;
export const ECE_CAP = 10n ** 15n;
export const DEFAULT_THRESHOLD = 2;
/** 0 keeps localnet flows immediate; pass --time-lock for a real cluster. */
export const DEFAULT_TIME_LOCK_SECONDS = 0;
/** The risk policy: score ≥ 40 → one more approval, ≥ 70 → every voter. */
export const DEFAULT_POLICY: treasury.RiskTier[] = [
  { minScore: 40, extraApprovals: 1 },
  { minScore: 70, extraApprovals: ALL_VOTERS },
];

export interface Target {
  deployer: Keypair;
  createKey: Keypair;
  multisig: PublicKey;
  /** signer-1..3 with every permission, executor with execute only, proposer with propose only. */
  members: Array<{ name: string; key: PublicKey; permissions: number }>;
  threshold: number;
  timeLockSeconds: number;
  riskPolicy: treasury.RiskTier[];
  guardians: Array<{ name: string; key: PublicKey }>;
  eceDecimals: number;
  eceCap: bigint;
  usdcMint: PublicKey;
}

/** The single-permission members; every other member (the signers) holds all three. */
const ROLE_PERMISSIONS: Record<string, number> = { [EXECUTOR]: Permission.Execute, [PROPOSER]: Permission.Propose };

export function memberPermissions(name: string): number {
  return ROLE_PERMISSIONS[name] ?? Permission.All;
}

export function permissionNames(bits: number): string[] {
  return (["Propose", "Vote", "Execute"] as const).filter((p) => (bits & Permission[p]) !== 0);
}

export interface StepContext {
  chain: Chain;
  target: Target;
  log: (line: string) => void;
}

/** A step's verdict after reading the chain. */
export type StepPlan =
  | { step: string; status: "done"; detail: string }
  | {
      step: string;
      status: "todo";
      detail: string;
      /** Lamports the deployer spends (rent and fees), for the funds check. */
      cost: number;
      run: () => Promise<void>;
    };

/** Signature fee per signature (the cluster's default base fee). */
export const LAMPORTS_PER_SIGNATURE = 5_000;
