import type { Pool, PoolClient } from "pg";
import type { IndexedTx } from "../chain/decode.js";
import { applyMirror, type MirrorChanges } from "./mirror.js";

export interface CursorUpdate {
  address: string;
  kind: string;
  signature: string | null;
  slot: bigint;
}

const json = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x instanceof Date ? x.toISOString() : x));

/**
 * Writes a batch in one database transaction: transactions keyed by signature,
 * their instructions and events keyed by position, the mirror changes of the
 * transactions that were new, and the cursors. Anything already present is
 * left alone (ON CONFLICT DO NOTHING), so a batch replayed after a crash or by
 * a concurrent backfill changes nothing twice.
 */
export async function writeBatch(
  pool: Pool,
  txs: IndexedTx[],
  cursors: CursorUpdate[],
): Promise<{ inserted: IndexedTx[]; mirror: MirrorChanges }> {
  const db = await pool.connect();
  let failure: Error | undefined;
  try {
    return await write(db, txs, cursors);
  } catch (e) {
    failure = e as Error;
    throw e;
  } finally {
    // A connection that failed mid-transaction is discarded, not pooled.
    db.release(failure);
  }
}

async function write(
  db: PoolClient,
  txs: IndexedTx[],
  cursors: CursorUpdate[],
): Promise<{ inserted: IndexedTx[]; mirror: MirrorChanges }> {
  await db.query("BEGIN");
  try {
    const rows = txs.map((t) => ({
      signature: t.signature,
      slot: t.slot,
      block_time: t.blockTime,
      success: t.success,
      error: t.error,
      error_name: t.errorName,
      fee: t.fee,
      compute_units: t.computeUnits,
      signer: t.signer,
      signers: t.signers,
      programs: t.programs,
      program: t.program,
      instruction: t.instruction,
      accounts: t.accounts,
      logs: t.logs,
    }));
    // indexed_at is the row's own write time (not the transaction's start): lag is measured from it.
    const { rows: inserted } = await db.query<{ signature: string }>(
      `INSERT INTO chain_transactions
         (signature, slot, block_time, success, error, error_name, fee, compute_units, signer, signers,
          programs, program, instruction, accounts, logs, indexed_at)
       SELECT r.signature, r.slot, r.block_time, r.success, r.error, r.error_name, r.fee, r.compute_units, r.signer,
              ARRAY(SELECT jsonb_array_elements_text(r.signers)), ARRAY(SELECT jsonb_array_elements_text(r.programs)),
              r.program, r.instruction, ARRAY(SELECT jsonb_array_elements_text(r.accounts)),
              ARRAY(SELECT jsonb_array_elements_text(r.logs)), clock_timestamp()
         FROM jsonb_to_recordset($1::jsonb) AS r(signature text, slot bigint, block_time timestamptz, success boolean,
              error jsonb, error_name text, fee bigint, compute_units bigint, signer text, signers jsonb,
              programs jsonb, program text, instruction text, accounts jsonb, logs jsonb)
       ON CONFLICT (signature) DO NOTHING
       RETURNING signature`,
      [json(rows)],
    );
    const isNew = new Set(inserted.map((r) => r.signature));
    const fresh = txs.filter((t) => isNew.has(t.signature));

    const instructions = fresh.flatMap((t) =>
      t.instructions.map((i) => ({
        signature: t.signature,
        index: i.index,
        inner_index: i.innerIndex,
        slot: t.slot,
        block_time: t.blockTime,
        program: i.program,
        name: i.name,
        args: i.args,
        accounts: i.accounts,
        amount: i.amount,
        mint: i.mint,
        stack_height: i.stackHeight,
      })),
    );
    if (instructions.length > 0)
      await db.query(
        `INSERT INTO chain_instructions
           (signature, index, inner_index, slot, block_time, program, name, args, accounts, amount, mint, stack_height)
         SELECT r.signature, r.index, r.inner_index, r.slot, r.block_time, r.program, r.name, r.args,
                ARRAY(SELECT jsonb_array_elements_text(r.accounts)), r.amount, r.mint, r.stack_height
           FROM jsonb_to_recordset($1::jsonb) AS r(signature text, index int, inner_index int, slot bigint,
                block_time timestamptz, program text, name text, args jsonb, accounts jsonb, amount numeric,
                mint text, stack_height int)
         ON CONFLICT DO NOTHING`,
        [json(instructions)],
      );

    const events = fresh.flatMap((t) =>
      t.events.map((e) => ({
        signature: t.signature,
        index: e.index,
        slot: t.slot,
        block_time: t.blockTime,
        program: e.program,
        name: e.name,
        data: e.data,
        amount: typeof e.data.amount === "string" ? e.data.amount : null,
      })),
    );
    if (events.length > 0)
      await db.query(
        `INSERT INTO chain_events (signature, index, slot, block_time, program, name, data, amount)
         SELECT r.signature, r.index, r.slot, r.block_time, r.program, r.name, r.data, r.amount
           FROM jsonb_to_recordset($1::jsonb) AS r(signature text, index int, slot bigint, block_time timestamptz,
                program text, name text, data jsonb, amount numeric)
         ON CONFLICT DO NOTHING`,
        [json(events)],
      );

    const mirror = await applyMirror(db, fresh);

    if (cursors.length > 0)
      await db.query(
        `INSERT INTO indexer_cursors (address, kind, signature, slot, updated_at)
         SELECT r.address, r.kind, r.signature, r.slot, now()
           FROM jsonb_to_recordset($1::jsonb) AS r(address text, kind text, signature text, slot bigint)
         ON CONFLICT (address) DO UPDATE
           SET signature = excluded.signature, slot = excluded.slot, updated_at = now()`,
        [json(cursors)],
      );
    await db.query("COMMIT");
    return { inserted: fresh, mirror };
  } catch (e) {
    await db.query("ROLLBACK").catch(() => {});
    throw e;
  }
}
