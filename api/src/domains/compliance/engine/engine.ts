// The compliance risk engine: a pure function of its inputs and a versioned rule set.
// No clock, no I/O, no randomness — the inputs carry the evaluation time — so an
// auditor who replays the stored inputs with the same rule-set version gets the same
// score, reasons, decision and record hash.
import { createHash } from "node:crypto";

export type KycInput = "none" | "pending" | "verified" | "rejected" | "unknown";
export type SubjectType = "transaction" | "payout" | "wallet" | "batch";
export type EngineDecision = "approve" | "review" | "block";

/** A token amount in base units (a decimal string: amounts exceed 2^53). */
export interface TokenAmount {
  base: string;
  decimals: number;
  mint: string | null;
}

export interface ComplianceInputs {
  subject: { type: SubjectType; id: string };
  /** Evaluation time: windows (24 h, 7 d, wallet age) are measured back from it. */
  asOf: string;
  /** The wallet assessed (a transaction's signer, a payout's recipient, the wallet itself). */
  wallet: string;
  /** The subject's own amount, if it has one. */
  amount: TokenAmount | null;
  kyc: KycInput;
  denyList: { version: string; listed: boolean; reason: string | null };
  /** First time the wallet was seen (chain or sign-up); null if never. */
  walletFirstSeen: string | null;
  /** The wallet's other activity in the 7 days before asOf (the subject excluded). */
  history: Array<{ ref: string; at: string; amount: TokenAmount | null }>;
  /** Earlier checks of other subjects for this wallet that were flagged and not cleared by a reviewer. */
  priorFlags: { review: number; block: number };
  /** Payouts: the batch (same run and mint) the payout belongs to. */
  batch: { entries: number; total: TokenAmount; recipientAmount: TokenAmount } | null;
}

export interface RuleSet {
  version: string;
  decision: { reviewAt: number; blockAt: number };
  amount: { high: number; highPoints: number; veryHigh: number; veryHighPoints: number };
  kyc: { requiredAbove: number; unverifiedHighValuePoints: number; rejectedPoints: number; unverifiedPoints: number };
  denyList: { points: number };
  velocity: {
    count24h: number;
    count24hPoints: number;
    volume24h: number;
    volume24hPoints: number;
    count7d: number;
    count7dPoints: number;
    volume7d: number;
    volume7dPoints: number;
  };
  structuring: { threshold: number; margin: number; windowHours: number; minCount: number; points: number };
  walletAge: { newHours: number; newPoints: number; youngDays: number; youngPoints: number; unseenPoints: number };
  priorFlags: { reviewPoints: number; blockPoints: number; maxPoints: number };
  concentration: { minEntries: number; share: number; points: number };
  roundAmount: { unit: number; min: number; points: number };
}

export interface Reason {
  rule: string;
  points: number;
  detail: string;
}

export interface ComplianceResult {
  score: number;
  reasons: Reason[];
  decision: EngineDecision;
  ruleSetVersion: string;
  recordHash: string;
}

const HOUR = 3_600_000;

/** Whole token units of an amount (deterministic float arithmetic). */
export function units(a: TokenAmount): number {
  return Number(BigInt(a.base)) / 10 ** a.decimals;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, ""));

export function decisionFor(score: number, rules: RuleSet): EngineDecision {
  if (score >= rules.decision.blockAt) return "block";
  if (score >= rules.decision.reviewAt) return "review";
  return "approve";
}

/** Evaluates every rule in a fixed order; only rules that add points are reported. */
export function evaluate(inputs: ComplianceInputs, rules: RuleSet): Omit<ComplianceResult, "recordHash"> {
  const reasons: Reason[] = [];
  const add = (rule: string, points: number, detail: string) => {
    if (points > 0) reasons.push({ rule, points, detail });
  };
  const asOf = Date.parse(inputs.asOf);
  const amount = inputs.amount ? units(inputs.amount) : null;

  // Deny-list / sanctions.
  if (inputs.denyList.listed)
    add(
      "deny_list",
      rules.denyList.points,
      `wallet is on ${inputs.denyList.version}${inputs.denyList.reason ? `: ${inputs.denyList.reason}` : ""}`,
    );

  // Amount against thresholds.
  if (amount !== null) {
    if (amount >= rules.amount.veryHigh)
      add("amount.very_high", rules.amount.veryHighPoints, `amount ${fmt(amount)} ≥ ${rules.amount.veryHigh}`);
    else if (amount >= rules.amount.high)
      add("amount.high", rules.amount.highPoints, `amount ${fmt(amount)} ≥ ${rules.amount.high}`);
  }

  // KYC: rejected always counts; high value needs verified KYC.
  if (inputs.kyc === "rejected") add("kyc.rejected", rules.kyc.rejectedPoints, "KYC was rejected");
  else if (inputs.kyc !== "verified") {
    if (amount !== null && amount >= rules.kyc.requiredAbove)
      add(
        "kyc.unverified_high_value",
        rules.kyc.unverifiedHighValuePoints,
        `amount ${fmt(amount)} ≥ ${rules.kyc.requiredAbove} needs verified KYC; status is ${inputs.kyc}`,
      );
    else add("kyc.unverified", rules.kyc.unverifiedPoints, `KYC status is ${inputs.kyc}`);
  }

  // Activity: the history plus the subject itself when it moves an amount.
  const activity = inputs.history.map((h) => ({ t: Date.parse(h.at), amount: h.amount ? units(h.amount) : 0 }));
  if (amount !== null) activity.push({ t: asOf, amount });
  const within = (hours: number) => activity.filter((a) => a.t <= asOf && a.t > asOf - hours * HOUR);
  const sum = (xs: Array<{ amount: number }>) => xs.reduce((s, x) => s + x.amount, 0);

  const v = rules.velocity;
  const day = within(24);
  const week = within(24 * 7);
  if (day.length > v.count24h)
    add("velocity.count_24h", v.count24hPoints, `${day.length} transactions in 24 h > ${v.count24h}`);
  if (sum(day) > v.volume24h)
    add("velocity.volume_24h", v.volume24hPoints, `volume ${fmt(sum(day))} in 24 h > ${v.volume24h}`);
  if (week.length > v.count7d)
    add("velocity.count_7d", v.count7dPoints, `${week.length} transactions in 7 d > ${v.count7d}`);
  if (sum(week) > v.volume7d)
    add("velocity.volume_7d", v.volume7dPoints, `volume ${fmt(sum(week))} in 7 d > ${v.volume7d}`);

  // Structuring: several amounts just under a reporting threshold in a short window.
  const s = rules.structuring;
  const floor = s.threshold * (1 - s.margin);
  const under = within(s.windowHours).filter((a) => a.amount >= floor && a.amount < s.threshold);
  if (under.length >= s.minCount)
    add(
      "structuring",
      s.points,
      `${under.length} amounts in [${fmt(floor)}, ${s.threshold}) within ${s.windowHours} h`,
    );

  // Wallet age.
  const w = rules.walletAge;
  if (inputs.walletFirstSeen === null) add("wallet_age.unseen", w.unseenPoints, "wallet has no recorded history");
  else {
    const ageHours = (asOf - Date.parse(inputs.walletFirstSeen)) / HOUR;
    if (ageHours < w.newHours)
      add("wallet_age.new", w.newPoints, `wallet first seen ${fmt(Math.max(0, Math.floor(ageHours)))} h ago`);
    else if (ageHours < w.youngDays * 24)
      add("wallet_age.young", w.youngPoints, `wallet first seen ${fmt(Math.floor(ageHours / 24))} d ago`);
  }

  // Prior flags on the counterparty.
  const p = rules.priorFlags;
  const flagPoints = Math.min(
    p.maxPoints,
    inputs.priorFlags.review * p.reviewPoints + inputs.priorFlags.block * p.blockPoints,
  );
  add(
    "prior_flags",
    flagPoints,
    `${inputs.priorFlags.review} earlier check(s) under review, ${inputs.priorFlags.block} blocked`,
  );

  // Concentration of a batch on one recipient.
  const c = rules.concentration;
  if (inputs.batch && inputs.batch.entries >= c.minEntries) {
    const total = units(inputs.batch.total);
    const share = total > 0 ? units(inputs.batch.recipientAmount) / total : 0;
    if (share >= c.share)
      add(
        "concentration",
        c.points,
        `recipient receives ${fmt(Math.round(share * 1000) / 10)}% of a ${inputs.batch.entries}-entry batch`,
      );
  }

  // Round amounts.
  const r = rules.roundAmount;
  if (amount !== null && amount >= r.min && amount % r.unit === 0)
    add("round_amount", r.points, `amount ${fmt(amount)} is a multiple of ${r.unit}`);

  const score = Math.min(
    100,
    reasons.reduce((t, x) => t + x.points, 0),
  );
  return { score, reasons, decision: decisionFor(score, rules), ruleSetVersion: rules.version };
}

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
}

/** sha256 (hex) of the canonical record: what was scored, with what, and what came out. */
export function recordHash(inputs: ComplianceInputs | BatchInputs, r: Omit<ComplianceResult, "recordHash">): string {
  const record = {
    subject: inputs.subject,
    inputs,
    ruleSetVersion: r.ruleSetVersion,
    score: r.score,
    reasons: r.reasons,
    decision: r.decision,
  };
  return createHash("sha256").update(canonicalJson(record)).digest("hex");
}

/** inputs → { score 0–100, reasons, decision, ruleSetVersion, recordHash }. */
export function score(inputs: ComplianceInputs, rules: RuleSet): ComplianceResult {
  const r = evaluate(inputs, rules);
  return { ...r, recordHash: recordHash(inputs, r) };
}

/** A payout batch: the payouts it carries, each with its own stored check. */
export interface BatchInputs {
  subject: { type: "batch"; id: string };
  asOf: string;
  mint: string;
  entries: Array<{
    payout: string;
    recipient: string;
    amount: string;
    check: string;
    score: number;
    decision: string;
    recordHash: string;
  }>;
}

/**
 * A batch is as risky as its riskiest payee: its score is the highest payee score (so
 * one escalated payee raises the approvals the whole batch needs on chain), and its
 * record hash commits to every payee's record hash.
 */
export function scoreBatch(inputs: BatchInputs, rules: RuleSet): ComplianceResult {
  const top = inputs.entries.reduce<BatchInputs["entries"][number] | null>(
    (m, e) => (m === null || e.score > m.score ? e : m),
    null,
  );
  const reasons: Reason[] =
    top && top.score > 0
      ? [
          {
            rule: "batch.max_payee",
            points: top.score,
            detail: `payout ${top.payout} to ${top.recipient} scored ${top.score}`,
          },
        ]
      : [];
  const score = top?.score ?? 0;
  const r = { score, reasons, decision: decisionFor(score, rules), ruleSetVersion: rules.version };
  return { ...r, recordHash: recordHash(inputs, r) };
}
