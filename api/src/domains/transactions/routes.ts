// The auditor's explorer over the mirrored transactions: filtered, keyset-paginated
// lists, a decoded detail view and a streamed CSV export of a filtered set of any size.

import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { notFound } from "../../core/errors.js";
import { cachedPage, PageCache } from "../../core/page-cache.js";
import { errors, PageQuery, page, Signature } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { can, SECURED } from "../auth/guard.js";
import { csvStream } from "./csv.js";
import { checkFilters, cursorKey, daily, detail, keyCursor, listPage, summary, type TxFilters } from "./queries.js";
import { FilterFields, TxDetail, TxSummary } from "./schemas.js";

/** Rows per query of the CSV export. */
export const EXPORT_CHUNK = 500;

const ListQuery = Type.Object({ ...FilterFields, ...PageQuery }, { additionalProperties: false });
const ExportQuery = Type.Object(FilterFields, { additionalProperties: false });

const filtersOf = (q: TxFilters): TxFilters => {
  const f: TxFilters = {};
  for (const k of Object.keys(FilterFields) as Array<keyof TxFilters>)
    if (q[k] !== undefined) (f as Record<string, unknown>)[k] = q[k];
  return f;
};

/** Where the Solana Explorer shows a transaction of this cluster. */
function explorerUrl(signature: string, chainId: string, rpcUrl: string): string {
  const base = `https://explorer.solana.com/tx/${signature}`;
  if (chainId === "solana:mainnet") return base;
  if (chainId === "solana:devnet" || chainId === "solana:testnet") return `${base}?cluster=${chainId.slice(7)}`;
  return `${base}?cluster=custom&customUrl=${encodeURIComponent(rpcUrl)}`;
}

export default async function transactionsRoutes(app: App) {
  const { deps } = app;
  // Only what the caller may see is cached, and every auditor sees the same mirror.
  const pages = new PageCache(() => deps.config.listCacheMs);

  app.get(
    "/transactions",
    {
      preHandler: can("transactions:transaction:read"),
      schema: {
        tags: ["transactions"],
        summary: "Mirrored transactions, newest first, filtered; cursor pagination",
        security: SECURED,
        querystring: ListQuery,
        response: { 200: page(TxSummary), ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const { limit = 50, cursor } = req.query;
      const f = filtersOf(req.query);
      checkFilters(f);
      return cachedPage(pages, req, reply, async () => {
        const { rows, more } = await listPage(deps.pool, f, cursorKey(cursor), limit);
        const last = rows.at(-1);
        return { items: rows.map(summary), nextCursor: more && last ? keyCursor(last) : null };
      });
    },
  );

  app.get(
    "/transactions/export.csv",
    {
      preHandler: can("transactions:transaction:read", "transactions:transaction:export"),
      schema: {
        tags: ["transactions"],
        summary: "The filtered set as CSV (streamed; any size)",
        security: SECURED,
        querystring: ExportQuery,
        response: {
          200: {
            description: "CSV with a header row, newest first",
            content: { "text/csv": { schema: Type.String() } },
          },
          ...errors(400, 401, 403, 429),
        },
      },
    },
    async (req, reply) => {
      const f = filtersOf(req.query);
      checkFilters(f);
      await audit(deps.prisma, req, { action: "transactions.export", resource: "transactions", after: { filters: f } });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      return (
        reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="transactions-${stamp}.csv"`)
          .header("cache-control", "no-store")
          // The route's 200 is typed as the CSV text; Fastify pipes a stream as it is.
          .send(csvStream(deps.pool, f, EXPORT_CHUNK) as unknown as string)
      );
    },
  );

  app.get(
    "/transactions/daily",
    {
      preHandler: can("transactions:transaction:read"),
      schema: {
        tags: ["transactions"],
        summary: "Per UTC day: mirrored transactions, failures, and tokens moved by SPL transfers per mint",
        security: SECURED,
        querystring: Type.Object(
          { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                day: Type.String({ description: "YYYY-MM-DD (UTC)" }),
                transactions: Type.Integer(),
                failed: Type.Integer(),
                volume: Type.Record(Type.String(), Type.String({ description: "base units" }), {
                  description: "by mint",
                }),
              }),
            ),
          }),
          ...errors(400, 401, 403, 429),
        },
      },
    },
    async (req) => ({ items: await daily(deps.pool, req.query.days ?? 30) }),
  );

  app.get(
    "/transactions/:signature",
    {
      preHandler: can("transactions:transaction:read"),
      schema: {
        tags: ["transactions"],
        summary: "One transaction: decoded instructions, events, logs, links and its compliance record",
        security: SECURED,
        params: Type.Object({ signature: Signature }, { additionalProperties: false }),
        response: { 200: TxDetail, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const { signature } = req.params;
      const [found, check] = await Promise.all([
        detail(deps.pool, signature),
        deps.prisma.complianceCheck.findFirst({
          where: { subjectType: "transaction", subjectId: signature },
          orderBy: { createdAt: "desc" },
        }),
      ]);
      if (!found) throw notFound(`transaction ${signature}`);
      const { tx } = found;
      return {
        ...summary(tx),
        error: tx.error ?? null,
        signers: tx.signers,
        accounts: tx.accounts,
        logs: tx.logs,
        instructions: found.instructions.map((i) => ({
          index: i.index,
          innerIndex: i.inner_index,
          program: i.program,
          name: i.name,
          args: i.args ?? null,
          accounts: i.accounts,
          amount: i.amount,
          mint: i.mint,
          stackHeight: i.stack_height,
        })),
        events: found.events.map((e) => ({ ...e, data: e.data ?? null })),
        links: {
          self: `${req.protocol}://${req.host}/api/v1/transactions/${signature}`,
          explorer: explorerUrl(signature, deps.config.chainId, deps.config.rpcUrl),
        },
        compliance: check
          ? {
              id: check.id,
              score: check.score,
              decision: check.decision,
              reasons: check.reasons,
              recordHash: check.recordHash,
              ruleSetVersion: check.ruleSetVersion,
              reviewer: check.reviewer,
              reviewReason: check.reviewReason,
              reviewedAt: check.reviewedAt?.toISOString() ?? null,
              createdAt: check.createdAt.toISOString(),
            }
          : null,
      };
    },
  );
}
