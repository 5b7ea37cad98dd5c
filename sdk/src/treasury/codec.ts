// Between the SDK's TypeScript shapes and the Anchor coder's (IDL names,
// enum variants as keys, BN for 64-bit integers).
import type { PublicKey } from "@solana/web3.js";
import { big, u64 } from "../common/ix.js";
import type {
  ConfigAction,
  Member,
  PauseAction,
  PayoutEntry,
  ProposalAction,
  ProposalStatus,
  RiskTier,
  TokenAction,
} from "./types.js";

type Coded = Record<string, unknown>;
type BNLike = { toString(): string };

export const encodeMember = (m: Member): Coded => ({ key: m.key, permissions: m.permissions });
export const encodeTier = (t: RiskTier): Coded => ({ min_score: t.minScore, extra_approvals: t.extraApprovals });
export const encodeEntry = (e: PayoutEntry): Coded => ({ recipient: e.recipient, amount: u64(e.amount) });

function encodeConfig(a: ConfigAction): Coded {
  switch (a.kind) {
    case "addMember":
      return { AddMember: { member: encodeMember(a.member) } };
    case "removeMember":
      return { RemoveMember: { key: a.key } };
    case "setThreshold":
      return { SetThreshold: { threshold: a.threshold } };
    case "setTimeLock":
      return { SetTimeLock: { seconds: a.seconds } };
    case "setRiskPolicy":
      return { SetRiskPolicy: { tiers: a.tiers.map(encodeTier) } };
  }
}

const encodePause = (a: PauseAction): Coded =>
  a.kind === "unpause" ? { Unpause: {} } : { SetGuardians: { guardians: a.guardians } };

function encodeToken(a: TokenAction): Coded {
  switch (a.kind) {
    case "addMinter":
      return { AddMinter: { minter: a.minter } };
    case "removeMinter":
      return { RemoveMinter: { minter: a.minter } };
    case "setCap":
      return { SetCap: { cap: u64(a.cap) } };
    case "setAdmin":
      return { SetAdmin: { admin: a.admin } };
  }
}

export function encodeAction(a: ProposalAction): Coded {
  switch (a.kind) {
    case "transfer":
      return { Transfer: { mint: a.mint, to: a.to, amount: u64(a.amount) } };
    case "payoutBatch":
      return {
        PayoutBatch: {
          mint: a.mint,
          week: a.week,
          total_amount: u64(a.totalAmount),
          entry_count: a.entryCount,
          entries: a.entries.map(encodeEntry),
        },
      };
    case "config":
      return { Config: { actions: a.actions.map(encodeConfig) } };
    case "pause":
      return { Pause: { action: encodePause(a.action) } };
    case "token":
      return { Token: { action: encodeToken(a.action) } };
  }
}

/** The one key of a decoded enum value, and its fields. */
function variant(v: unknown): [string, Record<string, unknown>] {
  const [entry] = Object.entries(v as Record<string, Record<string, unknown>>);
  if (!entry) throw new Error("empty enum value");
  return entry;
}

export const decodeStatus = (v: unknown): ProposalStatus => variant(v)[0] as ProposalStatus;
export const decodeMember = (m: Coded): Member => ({ key: m.key as PublicKey, permissions: m.permissions as number });
export const decodeTier = (t: Coded): RiskTier => ({
  minScore: t.min_score as number,
  extraApprovals: t.extra_approvals as number,
});

export function decodeAction(v: unknown): ProposalAction {
  const [name, f] = variant(v);
  switch (name) {
    case "Transfer":
      return { kind: "transfer", mint: f.mint as PublicKey, to: f.to as PublicKey, amount: big(f.amount as BNLike) };
    case "PayoutBatch":
      return {
        kind: "payoutBatch",
        mint: f.mint as PublicKey,
        week: f.week as number,
        totalAmount: big(f.total_amount as BNLike),
        entryCount: f.entry_count as number,
        entries: (f.entries as Coded[]).map((e) => ({
          recipient: e.recipient as PublicKey,
          amount: big(e.amount as BNLike),
        })),
      };
    case "Config":
      return { kind: "config", actions: (f.actions as unknown[]).map(decodeConfig) };
    case "Pause": {
      const [p, pf] = variant(f.action);
      return {
        kind: "pause",
        action:
          p === "Unpause" ? { kind: "unpause" } : { kind: "setGuardians", guardians: pf.guardians as PublicKey[] },
      };
    }
    case "Token":
      return { kind: "token", action: decodeToken(f.action) };
    default:
      throw new Error(`unknown proposal action ${name}`);
  }
}

function decodeConfig(v: unknown): ConfigAction {
  const [name, f] = variant(v);
  switch (name) {
    case "AddMember":
      return { kind: "addMember", member: decodeMember(f.member as Coded) };
    case "RemoveMember":
      return { kind: "removeMember", key: f.key as PublicKey };
    case "SetThreshold":
      return { kind: "setThreshold", threshold: f.threshold as number };
    case "SetTimeLock":
      return { kind: "setTimeLock", seconds: f.seconds as number };
    case "SetRiskPolicy":
      return { kind: "setRiskPolicy", tiers: (f.tiers as Coded[]).map(decodeTier) };
    default:
      throw new Error(`unknown config action ${name}`);
  }
}

function decodeToken(v: unknown): TokenAction {
  const [name, f] = variant(v);
  switch (name) {
    case "AddMinter":
      return { kind: "addMinter", minter: f.minter as PublicKey };
    case "RemoveMinter":
      return { kind: "removeMinter", minter: f.minter as PublicKey };
    case "SetCap":
      return { kind: "setCap", cap: big(f.cap as BNLike) };
    case "SetAdmin":
      return { kind: "setAdmin", admin: f.admin as PublicKey };
    default:
      throw new Error(`unknown token action ${name}`);
  }
}
