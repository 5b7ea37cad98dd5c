// Reads of the treasury mirror (Prisma) and their API shapes.
import type { Prisma } from "@ece/db";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";

type ProposalRow = Prisma.TreasuryProposalGetPayload<object>;
type PayoutRow = Prisma.PayoutGetPayload<object>;

export function proposalView(p: ProposalRow) {
  return {
    address: p.address,
    index: p.index.toString(),
    kind: p.kind,
    creator: p.creator,
    status: p.status,
    riskScore: p.riskScore,
    required: p.required,
    approvals: p.approvals,
    rejections: p.rejections,
    cancellations: p.cancellations,
    week: p.week,
    mint: p.mint,
    entryCount: p.entryCount,
    loadedEntries: p.loadedEntries,
    executedEntries: p.executedEntries,
    paidAmount: p.paidAmount.toFixed(),
    closed: p.closed,
    createdSignature: p.createdSignature,
    createdSlot: Number(p.createdSlot),
    slot: Number(p.slot),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function payoutView(p: PayoutRow) {
  return {
    id: p.id,
    week: p.week,
    recipient: p.recipient,
    recipientTokenAccount: p.recipientTokenAccount,
    mint: p.mint,
    amount: p.amount.toFixed(),
    companyId: p.companyId,
    proposal: p.proposal,
    entryIndex: p.entryIndex,
    status: p.status,
    signature: p.signature,
    paidSlot: p.paidSlot === null ? null : Number(p.paidSlot),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export interface ProposalFilters {
  status?: ProposalRow["status"];
  kind?: string;
  week?: number;
  limit?: number;
  cursor?: string;
}

/** Proposals of the platform multisig, newest index first, keyset on index. */
export async function listProposals(deps: ApiDeps, q: ProposalFilters) {
  const limit = q.limit ?? 50;
  const key = decodeCursor(q.cursor, 1);
  let before: bigint | null = null;
  if (key) {
    const [index] = key;
    if (typeof index !== "string" || !/^-?[0-9]{1,20}$/.test(index))
      throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
    before = BigInt(index);
  }
  const rows = await deps.prisma.treasuryProposal.findMany({
    where: {
      multisig: deps.platform.multisig.toBase58(),
      ...(q.status ? { status: q.status } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.week !== undefined ? { week: q.week } : {}),
      ...(before !== null ? { index: { lt: before } } : {}),
    },
    orderBy: { index: "desc" },
    take: limit + 1,
  });
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(proposalView),
    nextCursor: more && last ? encodeCursor([last.index.toString()]) : null,
  };
}

export async function proposalWithVotes(deps: ApiDeps, address: string) {
  return deps.prisma.treasuryProposal.findUnique({
    where: { address },
    include: {
      votes: { orderBy: { slot: "asc" } },
      payouts: { orderBy: [{ entryIndex: "asc" }, { createdAt: "asc" }] },
    },
  });
}

/** The mirror's member row of `wallet` in the platform multisig (null: not a member). */
export async function mirrorMember(deps: ApiDeps, wallet: string) {
  return deps.prisma.treasuryMember.findUnique({
    where: { multisig_member: { multisig: deps.platform.multisig.toBase58(), member: wallet } },
  });
}

export async function listPayoutRuns(deps: ApiDeps, q: { limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const key = decodeCursor(q.cursor, 1);
  if (key && typeof key[0] !== "string") throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
  const rows = await deps.prisma.payoutRun.findMany({
    where: key ? { week: { lt: key[0] as string } } : {},
    orderBy: { week: "desc" },
    take: limit + 1,
    include: { _count: { select: { payouts: true } } },
  });
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(runView), nextCursor: more && last ? encodeCursor([last.week]) : null };
}

export function runView(r: Prisma.PayoutRunGetPayload<{ include: { _count: { select: { payouts: true } } } }>) {
  return {
    id: r.id,
    week: r.week,
    status: r.status,
    revenue: r.revenue,
    formula: r.formula,
    riskScore: r.riskScore,
    error: r.error,
    payoutCount: r._count.payouts,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function payoutRun(deps: ApiDeps, week: string) {
  return deps.prisma.payoutRun.findUnique({
    where: { week },
    include: { _count: { select: { payouts: true } }, payouts: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
}
