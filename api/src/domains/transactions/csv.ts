// CSV of explorer rows (RFC 4180: CRLF line ends, quoted when needed, quotes doubled).
import { Readable } from "node:stream";
import type pg from "pg";
import { allRows, type TxFilters, type TxRow } from "./queries.js";

export const CSV_HEADER = [
  "signature",
  "slot",
  "block_time",
  "success",
  "error_name",
  "fee",
  "compute_units",
  "signer",
  "program",
  "instruction",
  "programs",
  "commitment",
] as const;

export function csvField(v: string | number | boolean | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (values: Array<string | number | boolean | null>) => `${values.map(csvField).join(",")}\r\n`;

export const csvLine = (r: TxRow) =>
  line([
    r.signature,
    r.slot,
    r.block_time ? r.block_time.toISOString() : null,
    r.success,
    r.error_name,
    r.fee,
    r.compute_units,
    r.signer,
    r.program,
    r.instruction,
    r.programs.join(" "),
    r.commitment,
  ]);

/** The filtered set as a stream: one query per chunk, pulled only as fast as the client reads. */
export function csvStream(pool: pg.Pool, f: TxFilters, chunk?: number): Readable {
  async function* lines() {
    yield line([...CSV_HEADER]);
    for await (const rows of allRows(pool, f, chunk)) yield rows.map(csvLine).join("");
  }
  return Readable.from(lines(), { objectMode: false });
}
