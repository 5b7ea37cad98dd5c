// Scoring (load inputs → engine → store), recomputation from stored inputs, the review
// queue and reviewers' decisions.
import type { ComplianceCheck as CheckRow, Prisma } from "@ece/db";
import type { FastifyRequest } from "fastify";
import { audit } from "../../core/audit.js";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest, conflict, notFound } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import {
  type BatchInputs,
  type ComplianceInputs,
  type ComplianceResult,
  CURRENT_RULES,
  canonicalJson,
  type DenyList,
  decisionFor,
  type Reason,
  readDenyList,
  ruleSet,
  type SubjectType,
  score,
  scoreBatch,
} from "./engine/index.js";
import { loadInputs, loadPayoutInputs, type Subject } from "./loader.js";

const denyLists = new WeakMap<object, DenyList>();

/** The deny-list named by the config, read once per process. */
export function denyListOf(deps: Pick<ApiDeps, "config">): DenyList {
  let list = denyLists.get(deps.config);
  if (!list) {
    list = readDenyList(deps.config.complianceDenyList ?? undefined);
    denyLists.set(deps.config, list);
  }
  return list;
}

export function checkView(c: CheckRow) {
  const inputs = c.inputs as unknown as ComplianceInputs;
  const rules = ruleSet(c.ruleSetVersion);
  return {
    id: c.id,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    wallet: typeof inputs?.wallet === "string" ? inputs.wallet : null,
    score: c.score,
    reasons: c.reasons as unknown as Reason[],
    engineDecision: rules
      ? decisionFor(c.score, rules)
      : c.score >= 70
        ? "block"
        : c.score >= 40
          ? "review"
          : "approve",
    decision: c.decision,
    ruleSetVersion: c.ruleSetVersion,
    recordHash: c.recordHash,
    inputs: c.inputs,
    reviewer: c.reviewer,
    reviewReason: c.reviewReason,
    reviewedAt: c.reviewedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

/** The stored form of a result: with its inputs and rule-set version, so it can be recomputed. */
function checkRow(
  subject: { type: SubjectType; id: string },
  inputs: ComplianceInputs | BatchInputs,
  r: ComplianceResult,
): Prisma.ComplianceCheckCreateInput {
  return {
    subjectType: subject.type,
    subjectId: subject.id,
    score: r.score,
    reasons: r.reasons as unknown as Prisma.InputJsonValue,
    inputs: inputs as unknown as Prisma.InputJsonValue,
    ruleSetVersion: r.ruleSetVersion,
    decision: r.decision,
    recordHash: r.recordHash,
  };
}

/** Scores the subject with the current rule set and stores the result; null if it does not exist. */
export async function scoreSubject(deps: ApiDeps, req: FastifyRequest, subject: Subject) {
  const inputs = await loadInputs(deps, denyListOf(deps), subject);
  if (!inputs) return null;
  const r = score(inputs, CURRENT_RULES);
  const check = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.complianceCheck.create({ data: checkRow(subject, inputs, r) });
    await audit(tx, req, {
      action: "compliance.score",
      resource: `compliance_check:${created.id}`,
      after: { subject, score: r.score, decision: r.decision, recordHash: r.recordHash },
    });
    return created;
  });
  return checkView(check);
}

type Tx = Prisma.TransactionClient;

/**
 * Scores payouts in bulk (five queries to load, one insert to store) as of `asOf`, inside
 * the caller's database transaction so the checks land with whatever the caller records.
 * The insert is one statement over arrays: Prisma's createMany took three quarters of the
 * time for a 10,000-payout run (see docs/benchmarks.md, payouts).
 */
export async function scorePayouts(deps: ApiDeps, tx: Tx, payoutIds: string[], asOf: Date) {
  const all = await loadPayoutInputs(deps, denyListOf(deps), payoutIds, asOf);
  const scored = all.map((inputs) => ({ inputs, r: score(inputs, CURRENT_RULES) }));
  const column = <T>(f: (x: (typeof scored)[number]) => T) => scored.map(f);
  return tx.$queryRaw<Array<Pick<CheckRow, "id" | "subjectId" | "score" | "decision" | "reasons">>>`
    INSERT INTO compliance_checks (id, subject_type, subject_id, score, reasons, inputs, rule_set_version, decision, record_hash)
    SELECT gen_random_uuid(), 'payout', x.subject_id, x.score, x.reasons::jsonb, x.inputs::jsonb, x.rules,
           x.decision::"ComplianceDecision", x.hash
      FROM unnest(${column((x) => x.inputs.subject.id)}::text[], ${column((x) => x.r.score)}::int[],
                  ${column((x) => JSON.stringify(x.r.reasons))}::text[], ${column((x) => JSON.stringify(x.inputs))}::text[],
                  ${column((x) => x.r.ruleSetVersion)}::text[], ${column((x) => x.r.decision)}::text[],
                  ${column((x) => x.r.recordHash)}::text[])
           AS x(subject_id, score, reasons, inputs, rules, decision, hash)
    RETURNING id::text, subject_id AS "subjectId", score, decision, reasons`;
}

/** Scores a batch from its payees' stored checks and stores the result. */
export async function storeBatchCheck(tx: Tx, inputs: BatchInputs) {
  const r = scoreBatch(inputs, CURRENT_RULES);
  return tx.complianceCheck.create({ data: checkRow(inputs.subject, inputs, r) });
}

export async function getCheck(deps: ApiDeps, id: string) {
  return deps.prisma.complianceCheck.findUnique({ where: { id } });
}

/** Replays the stored inputs through the stored rule-set version. */
export function recompute(check: CheckRow) {
  const rules = ruleSet(check.ruleSetVersion);
  if (!rules) throw conflict("RULE_SET_UNKNOWN", `rule set ${check.ruleSetVersion} is not published in this build`);
  const r =
    check.subjectType === "batch"
      ? scoreBatch(check.inputs as unknown as BatchInputs, rules)
      : score(check.inputs as unknown as ComplianceInputs, rules);
  const engineDecision = decisionFor(check.score, rules);
  const equal =
    r.recordHash === check.recordHash &&
    r.score === check.score &&
    r.decision === engineDecision &&
    canonicalJson(r.reasons) === canonicalJson(check.reasons); // jsonb reorders keys;
  return { check: checkView(check), recomputed: r, equal };
}

export async function reviewQueue(deps: ApiDeps, q: { limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  const where: Prisma.ComplianceCheckWhereInput = { decision: { in: ["review", "block"] }, reviewedAt: null };
  if (after) {
    const at = new Date(String(after[0]));
    if (Number.isNaN(at.getTime())) throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
    where.OR = [{ createdAt: { gt: at } }, { createdAt: at, id: { gt: String(after[1]) } }];
  }
  // Oldest first: a queue.
  const rows = await deps.prisma.complianceCheck.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(checkView),
    nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

/** A reviewer's decision on a flagged check: once, with a written reason, audited with before and after. */
export async function decide(
  deps: ApiDeps,
  req: FastifyRequest,
  id: string,
  body: { decision: "approve" | "block" | "override"; reason: string },
  reviewer: string,
) {
  const reason = body.reason.trim();
  if (reason.length < 10) throw badRequest("REASON_REQUIRED", "a decision needs a written reason (10+ characters)");
  return deps.prisma.$transaction(async (tx) => {
    // Row lock: two reviewers deciding at once → the second sees the first's decision.
    const locked = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT id::text FROM compliance_checks WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked.length) throw notFound("compliance check");
    const before = (await tx.complianceCheck.findUniqueOrThrow({ where: { id } })) as CheckRow;
    if (before.reviewedAt) {
      throw conflict("ALREADY_DECIDED", `decided ${before.decision} by ${before.reviewer} already`, {
        decision: before.decision,
        reviewer: before.reviewer,
      });
    }
    if (before.decision !== "review" && before.decision !== "block")
      throw conflict("NOT_UNDER_REVIEW", `the check was ${before.decision}d by the rules; nothing to decide`);
    if (body.decision === "override" && before.decision !== "block")
      throw badRequest("OVERRIDE_NOT_BLOCKED", "override is for blocked checks; approve or block a review");
    const after = await tx.complianceCheck.update({
      where: { id },
      data: { decision: body.decision, reviewer, reviewReason: reason, reviewedAt: new Date() },
    });
    await audit(tx, req, {
      action: "compliance.decide",
      resource: `compliance_check:${id}`,
      before: { decision: before.decision, score: before.score },
      after: { decision: after.decision, reason, reviewer },
    });
    return checkView(after);
  });
}
