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

/** Who acts: a request (its signed-in wallet, else "anonymous"), or a background job of the API. */
export type AuditActor = Pick<FastifyRequest, "auth" | "id"> & { system?: string };

/** The actor of a background job's entries (`system:<name>`). */
export const systemActor = (name: string): AuditActor => ({
  auth: null,
  id: `${name}-${Date.now()}`,
  system: `system:${name}`,
});

const json = (v: unknown) =>
  v === undefined
    ? undefined
    : (JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x))) as Prisma.InputJsonValue);

/** Appends one entry for the actor. */
export async function audit(db: Db, req: AuditActor, e: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: req.auth?.wallet ?? req.system ?? "anonymous",
      action: e.action,
      resource: e.resource,
      before: json(e.before),
      after: json(e.after),
      requestId: String(req.id),
    },
  });
}
