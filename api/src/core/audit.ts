// The append-only audit log: every state-changing request and every treasury action.
import type { Prisma, PrismaClient } from "@ece/db";
import type { FastifyRequest } from "fastify";

export interface AuditEntry {
  action: string;
  resource: string;
  before?: unknown;
  after?: unknown;
}

type Db = Pick<PrismaClient, "auditLog"> | Prisma.TransactionClient;

const json = (v: unknown) =>
  v === undefined
    ? undefined
    : (JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as Prisma.InputJsonValue);

/** Appends one entry for the request's actor (the signed-in wallet, else "anonymous"). */
export async function audit(db: Db, req: FastifyRequest, e: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: req.auth?.wallet ?? "anonymous",
      action: e.action,
      resource: e.resource,
      before: json(e.before),
      after: json(e.after),
      requestId: String(req.id),
    },
  });
}
