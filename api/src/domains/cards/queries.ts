// Card reads in plain SQL: GET /cards is the hot path (benchmarked at ≥ 3,000
// req/s), so it is one keyset-paginated query over an index, prepared once per
// connection, with the company joined in the same statement.
import { createHash } from "node:crypto";
import type pg from "pg";
import { decodeCursor, encodeCursor } from "../../core/cursor.js";
import { badRequest } from "../../core/errors.js";
import { CARD_SORTS, type CardSort, RARITIES, type RarityName } from "./schemas.js";

export interface CardFilters {
  sector?: string;
  rarity?: RarityName;
  companyId?: string;
  owner?: string;
  q?: string;
  sort?: CardSort;
  limit?: number;
  cursor?: string;
}

interface CardRow {
  id: string;
  mint: string;
  name: string;
  sector: string;
  rarity: RarityName;
  metrics: Record<string, unknown>;
  image_url: string | null;
  owner: string | null;
  owner_slot: string | null;
  created_at: Date;
  company_id: string;
  company_name: string;
  company_ticker: string;
  company_sector: string;
  company_created_at: Date;
}

const COLUMNS = `c.id, c.mint, c.name, c.sector, c.rarity, c.metrics, c.image_url, c.owner, c.owner_slot, c.created_at,
  co.id AS company_id, co.name AS company_name, co.ticker AS company_ticker, co.sector AS company_sector,
  co.created_at AS company_created_at`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Order and keyset predicate per sort; each matches an index on cards. */
const SORTS: Record<CardSort, { order: string; keys: string; op: "<" | ">"; casts: string[] }> = {
  newest: {
    order: "c.created_at DESC, c.id DESC",
    keys: "(c.created_at, c.id)",
    op: "<",
    casts: ["timestamptz", "uuid"],
  },
  name: { order: "c.name ASC, c.id ASC", keys: "(c.name, c.id)", op: ">", casts: ["text", "uuid"] },
  rarity: {
    order: "c.rarity DESC, c.created_at DESC, c.id DESC",
    keys: "(c.rarity, c.created_at, c.id)",
    op: "<",
    casts: ['"Rarity"', "timestamptz", "uuid"],
  },
};

function cursorKey(row: CardRow, sort: CardSort): string[] {
  const at = row.created_at.toISOString();
  if (sort === "name") return [row.name, row.id];
  if (sort === "rarity") return [row.rarity, at, row.id];
  return [at, row.id];
}

/** The cursor's values, checked so that a forged cursor is a 400 and never a failed cast in SQL. */
function cursorValues(cursor: string | undefined, sort: CardSort): string[] | null {
  const arity = SORTS[sort].casts.length;
  const key = decodeCursor(cursor, arity);
  if (!key) return null;
  const values = key.map(String);
  const ok = values.every((v, i) => {
    const cast = SORTS[sort].casts[i];
    if (cast === "uuid") return UUID.test(v);
    if (cast === "timestamptz") return !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v);
    if (cast === '"Rarity"') return (RARITIES as readonly string[]).includes(v);
    return v.length <= 200;
  });
  if (!ok) throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
  return values;
}

const statementName = (text: string) => `cards_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;

export function toCard(row: CardRow) {
  return {
    id: row.id,
    mint: row.mint,
    name: row.name,
    sector: row.sector,
    rarity: row.rarity,
    metrics: row.metrics as Record<string, string | number | boolean | null>,
    imageUrl: row.image_url,
    owner: row.owner,
    ownerSlot: row.owner_slot === null ? null : Number(row.owner_slot),
    company: { id: row.company_id, name: row.company_name, ticker: row.company_ticker },
    createdAt: row.created_at.toISOString(),
  };
}

export function toCardDetail(row: CardRow) {
  return {
    ...toCard(row),
    company: {
      id: row.company_id,
      name: row.company_name,
      ticker: row.company_ticker,
      sector: row.company_sector,
      createdAt: row.company_created_at.toISOString(),
    },
  };
}

export async function listCards(pool: pg.Pool, f: CardFilters) {
  const sort: CardSort = f.sort && (CARD_SORTS as readonly string[]).includes(f.sort) ? f.sort : "newest";
  const limit = f.limit ?? 50;
  // Cards whose NFT is not (yet) on chain are not shown.
  const where: string[] = ["c.status = 'minted'"];
  const values: unknown[] = [];
  const param = (v: unknown, cast?: string) => {
    values.push(v);
    return cast ? `$${values.length}::${cast}` : `$${values.length}`;
  };
  if (f.sector !== undefined) where.push(`c.sector = ${param(f.sector)}`);
  if (f.rarity !== undefined) where.push(`c.rarity = ${param(f.rarity, '"Rarity"')}`);
  if (f.companyId !== undefined) where.push(`c.company_id = ${param(f.companyId, "uuid")}`);
  if (f.owner !== undefined) where.push(`c.owner = ${param(f.owner)}`);
  if (f.q !== undefined) where.push(`c.name ILIKE ${param(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`);
  const after = cursorValues(f.cursor, sort);
  const s = SORTS[sort];
  if (after) where.push(`${s.keys} ${s.op} (${after.map((v, i) => param(v, s.casts[i])).join(", ")})`);
  const text = `SELECT ${COLUMNS} FROM cards c JOIN companies co ON co.id = c.company_id
    WHERE ${where.join(" AND ")} ORDER BY ${s.order} LIMIT ${param(limit + 1, "int")}`;
  const { rows } = await pool.query<CardRow>({ name: statementName(text), text, values });
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(toCard), nextCursor: more && last ? encodeCursor(cursorKey(last, sort)) : null };
}

/** One card with its company, by id or by mint. */
export async function findCard(pool: pg.Pool, idOrMint: string): Promise<CardRow | null> {
  const byId = UUID.test(idOrMint);
  const text = `SELECT ${COLUMNS} FROM cards c JOIN companies co ON co.id = c.company_id WHERE ${byId ? "c.id = $1::uuid" : "c.mint = $1"} AND c.status = 'minted'`;
  const { rows } = await pool.query<CardRow>({ name: statementName(text), text, values: [idOrMint] });
  return rows[0] ?? null;
}

export type { CardRow };
