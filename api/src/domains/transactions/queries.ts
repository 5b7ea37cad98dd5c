// The explorer's SQL: one parameterized query per page, keyset-paginated on
// (slot desc, signature desc), every filter answered by an index (see
// docs in api/README and the EXPLAIN notes in the transactions suite).
import type pg from "pg";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest } from "../../core/errors.js";

export interface TxFilters {
  wallet?: string;
  program?: string;
  instruction?: string;
  event?: string;
  from?: string;
  to?: string;
  minAmount?: string;
  maxAmount?: string;
  status?: "success" | "failed";
  commitment?: "confirmed" | "finalized" | "dropped";
}

export interface TxKey {
  slot: string;
  signature: string;
}

export interface TxRow {
  signature: string;
  slot: string;
  block_time: Date | null;
  success: boolean;
  error_name: string | null;
  fee: string;
  compute_units: string | null;
  signer: string;
  programs: string[];
  program: string | null;
  instruction: string | null;
  commitment: string;
}

const COLUMNS = `t.signature, t.slot, t.block_time, t.success, t.error_name, t.fee, t.compute_units, t.signer,
  t.programs, t.program, t.instruction, t.commitment`;

/** Refuses filter values the schema cannot: impossible ranges. */
export function checkFilters(f: TxFilters): void {
  if (f.minAmount !== undefined && f.maxAmount !== undefined && BigInt(f.minAmount) > BigInt(f.maxAmount))
    throw badRequest("BAD_RANGE", "minAmount is greater than maxAmount");
  if (f.from !== undefined && f.to !== undefined && Date.parse(f.from) > Date.parse(f.to))
    throw badRequest("BAD_RANGE", "from is later than to");
  for (const [name, v] of [
    ["from", f.from],
    ["to", f.to],
  ] as const)
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw badRequest("BAD_DATE", `${name} is not a date`);
}

/** The cursor's key: [slot, signature], both checked (a forged cursor is a 400, never a SQL error). */
export function cursorKey(cursor: string | undefined): TxKey | null {
  const key = decodeCursor(cursor, 2);
  if (!key) return null;
  const [slot, signature] = key;
  if (
    typeof slot !== "string" ||
    !/^[0-9]{1,19}$/.test(slot) ||
    typeof signature !== "string" ||
    signature.length > 100
  )
    throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
  return { slot, signature };
}

export const keyCursor = (row: TxRow) => encodeCursor([row.slot, row.signature]);

/**
 * WHERE clause and parameters. Why each form:
 * - wallet: the GIN index on accounts (`@>`), the fee payer being accounts[0];
 * - time range: exact block_time bounds, plus slot bounds read from the
 *   (block_time, slot) index, so a window in the past is a short backward scan of
 *   the slot index instead of a walk over every newer row (Solana's clock never
 *   goes back with slot, so the slot bounds never exclude a row in the window);
 * - event and amount: EXISTS, which the planner runs as a semi-join from
 *   chain_events (name, slot) / chain_instructions (amount) when selective, or
 *   as primary-key probes along the slot scan when not.
 */
export function whereClause(f: TxFilters, after: TxKey | null): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.wallet) where.push(`t.accounts @> ARRAY[${p(f.wallet)}]::text[]`);
  if (f.program) where.push(`t.programs @> ARRAY[${p(f.program)}]::text[]`);
  if (f.instruction) where.push(`t.instruction = ${p(f.instruction)}`);
  if (f.event)
    where.push(`EXISTS (SELECT 1 FROM chain_events e WHERE e.signature = t.signature AND e.name = ${p(f.event)})`);
  if (f.from) {
    const from = p(f.from);
    where.push(`t.block_time >= ${from}::timestamptz`);
    where.push(
      `t.slot >= COALESCE((SELECT s.slot FROM chain_transactions s WHERE s.block_time >= ${from}::timestamptz
                           ORDER BY s.block_time, s.slot LIMIT 1), 9223372036854775807)`,
    );
  }
  if (f.to) {
    const to = p(f.to);
    where.push(`t.block_time <= ${to}::timestamptz`);
    where.push(
      `t.slot <= COALESCE((SELECT s.slot FROM chain_transactions s WHERE s.block_time <= ${to}::timestamptz
                           ORDER BY s.block_time DESC, s.slot DESC LIMIT 1), -1)`,
    );
  }
  if (f.minAmount !== undefined || f.maxAmount !== undefined) {
    const conds = ["i.signature = t.signature"];
    if (f.minAmount !== undefined) conds.push(`i.amount >= ${p(f.minAmount)}::numeric`);
    if (f.maxAmount !== undefined) conds.push(`i.amount <= ${p(f.maxAmount)}::numeric`);
    where.push(`EXISTS (SELECT 1 FROM chain_instructions i WHERE ${conds.join(" AND ")})`);
  }
  if (f.status) where.push(f.status === "success" ? "t.success" : "NOT t.success");
  if (f.commitment) where.push(`t.commitment = ${p(f.commitment)}::"Commitment"`);
  if (after) where.push(`(t.slot, t.signature) < (${p(after.slot)}::bigint, ${p(after.signature)})`);
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", params };
}

/** One page (`limit` rows) after `after`; `more` tells whether another page exists. */
export async function listPage(
  pool: pg.Pool,
  f: TxFilters,
  after: TxKey | null,
  limit: number,
): Promise<{ rows: TxRow[]; more: boolean }> {
  const { sql, params } = whereClause(f, after);
  params.push(limit + 1);
  const { rows } = await pool.query<TxRow>(
    `SELECT ${COLUMNS} FROM chain_transactions t ${sql} ORDER BY t.slot DESC, t.signature DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > limit;
  if (more) rows.pop();
  return { rows, more };
}

/** Every row of a filtered set, a chunk at a time (constant memory for any size). */
export async function* allRows(pool: pg.Pool, f: TxFilters, chunk = 1000): AsyncGenerator<TxRow[]> {
  let after: TxKey | null = null;
  for (;;) {
    const { rows, more } = await listPage(pool, f, after, chunk);
    if (rows.length) yield rows;
    if (!more) return;
    const last = rows.at(-1) as TxRow;
    after = { slot: last.slot, signature: last.signature };
  }
}

export const summary = (r: TxRow) => ({
  signature: r.signature,
  slot: Number(r.slot),
  blockTime: r.block_time ? r.block_time.toISOString() : null,
  success: r.success,
  errorName: r.error_name,
  fee: Number(r.fee),
  computeUnits: r.compute_units === null ? null : Number(r.compute_units),
  signer: r.signer,
  programs: r.programs,
  program: r.program,
  instruction: r.instruction,
  commitment: r.commitment,
});

export interface TxDetailRows {
  tx: TxRow & { error: unknown; signers: string[]; accounts: string[]; logs: string[] };
  instructions: Array<{
    index: number;
    inner_index: number;
    program: string;
    name: string | null;
    args: unknown;
    accounts: string[];
    amount: string | null;
    mint: string | null;
    stack_height: number | null;
  }>;
  events: Array<{ index: number; program: string; name: string; data: unknown; amount: string | null }>;
}

export async function detail(pool: pg.Pool, signature: string): Promise<TxDetailRows | null> {
  const [tx, instructions, events] = await Promise.all([
    pool.query<TxDetailRows["tx"]>(
      `SELECT ${COLUMNS}, t.error, t.signers, t.accounts, t.logs FROM chain_transactions t WHERE t.signature = $1`,
      [signature],
    ),
    pool.query<TxDetailRows["instructions"][number]>(
      `SELECT index, inner_index, program, name, args, accounts, amount::text AS amount, mint, stack_height
         FROM chain_instructions WHERE signature = $1 ORDER BY index, inner_index`,
      [signature],
    ),
    pool.query<TxDetailRows["events"][number]>(
      `SELECT index, program, name, data, amount::text AS amount FROM chain_events WHERE signature = $1 ORDER BY index`,
      [signature],
    ),
  ]);
  const row = tx.rows[0];
  if (!row) return null;
  return { tx: row, instructions: instructions.rows, events: events.rows };
}

/**
 * Per UTC day of the last `days`: mirrored transactions (and failures), and the tokens moved
 * by SPL transfers in successful ones, per mint (base units). Days without activity are zeros.
 */
export async function daily(pool: pg.Pool, days: number, now = new Date()) {
  const { rows } = await pool.query<{
    day: string;
    transactions: number;
    failed: number;
    volume: Record<string, string>;
  }>(
    `WITH bounds AS (SELECT date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') - ($2::int - 1) * interval '1 day' AS lo,
                            date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') + interval '1 day' AS hi),
          d AS (SELECT generate_series(lo, hi - interval '1 day', interval '1 day') AS day FROM bounds),
          t AS (SELECT date_trunc('day', block_time AT TIME ZONE 'UTC') AS day, count(*)::int AS n,
                       count(*) FILTER (WHERE NOT success)::int AS failed
                  FROM chain_transactions, bounds
                 WHERE block_time AT TIME ZONE 'UTC' >= lo AND block_time AT TIME ZONE 'UTC' < hi
                   AND commitment <> 'dropped'
                 GROUP BY 1),
          v AS (SELECT date_trunc('day', i.block_time AT TIME ZONE 'UTC') AS day, i.mint, sum(i.amount)::text AS amount
                  FROM chain_instructions i
                  JOIN chain_transactions x ON x.signature = i.signature AND x.success AND x.commitment <> 'dropped', bounds
                 WHERE i.block_time AT TIME ZONE 'UTC' >= lo AND i.block_time AT TIME ZONE 'UTC' < hi
                   AND i.name IN ('transfer', 'transferChecked') AND i.mint IS NOT NULL AND i.amount IS NOT NULL
                 GROUP BY 1, 2)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(t.n, 0) AS transactions, coalesce(t.failed, 0) AS failed,
            coalesce((SELECT json_object_agg(v.mint, v.amount) FROM v WHERE v.day = d.day), '{}') AS volume
       FROM d LEFT JOIN t ON t.day = d.day
      ORDER BY d.day`,
    [now, days],
  );
  return rows;
}
