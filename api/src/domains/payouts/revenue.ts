// What a week earned and who earned it, read from Postgres: the fees that marketplace
// sales paid into the treasury vaults (as the chain mirror recorded the SPL transfers),
// each company's card sales volume, and the battles its cards won.
import { SPL_TOKEN_PROGRAM_ID } from "@ece/sdk";
import type pg from "pg";
import type { Platform } from "../../platform.js";
import type { CompanyWeek } from "./formula.js";
import type { IsoWeek } from "./week.js";

export interface MintRevenue {
  mint: string;
  vault: string;
  /** Base units paid into the vault by the week's sales. */
  amount: bigint;
  sales: number;
}

export class MirrorBehind extends Error {}

/** Token transfers of a sale's transaction whose destination is the vault (transfer: accounts[2], checked: [3]). */
const FEES = `
  SELECT s.currency AS mint, count(DISTINCT s.id)::int AS sales, coalesce(sum(i.amount), 0)::text AS amount
    FROM sales s
    JOIN chain_transactions t ON t.signature = s.signature AND t.success AND t.commitment <> 'dropped'
    JOIN chain_instructions i ON i.signature = s.signature AND i.program = $4
         AND ((i.name = 'transfer' AND i.accounts[2] = $3) OR (i.name = 'transferChecked' AND i.accounts[3] = $3))
   WHERE s.currency = $5 AND t.block_time >= $1 AND t.block_time < $2
   GROUP BY s.currency`;

export async function weekRevenue(pool: pg.Pool, platform: Platform, week: IsoWeek): Promise<MintRevenue[]> {
  // Every sale recorded in the week must be in the mirror, or its fee would be missed for good.
  const missing = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sales s
      WHERE s.sold_at >= $1 AND s.sold_at < $2
        AND NOT EXISTS (SELECT 1 FROM chain_transactions t WHERE t.signature = s.signature)`,
    [week.start, week.end],
  );
  const behind = missing.rows[0]?.n ?? 0;
  if (behind > 0)
    throw new MirrorBehind(
      `the indexer has not mirrored ${behind} sale(s) of ${week.label} yet; retry when it catches up`,
    );
  const out: MintRevenue[] = [];
  for (const [mint, vault] of [
    [platform.usdcMint, platform.vaults.usdc],
    [platform.eceMint, platform.vaults.ece],
  ] as const) {
    const { rows } = await pool.query<{ mint: string; sales: number; amount: string }>(FEES, [
      week.start,
      week.end,
      vault.toBase58(),
      SPL_TOKEN_PROGRAM_ID.toBase58(),
      mint.toBase58(),
    ]);
    const r = rows[0];
    if (r && BigInt(r.amount) > 0n)
      out.push({ mint: mint.toBase58(), vault: vault.toBase58(), amount: BigInt(r.amount), sales: r.sales });
  }
  return out;
}

/** Every company with sales in `mint` or a battle won in the week, with its payout wallet. */
export async function companyWeeks(
  pool: pg.Pool,
  mint: string,
  week: IsoWeek,
): Promise<Array<CompanyWeek & { payoutWallet: string | null; name: string }>> {
  const { rows } = await pool.query<{
    id: string;
    name: string;
    payout_wallet: string | null;
    volume: string;
    wins: number;
  }>(
    `WITH volume AS (
       SELECT c.company_id, sum(s.price) AS volume
         FROM sales s JOIN cards c ON c.id = s.card_id
         JOIN chain_transactions t ON t.signature = s.signature AND t.success AND t.commitment <> 'dropped'
        WHERE s.currency = $1 AND t.block_time >= $2 AND t.block_time < $3
        GROUP BY c.company_id),
     wins AS (
       SELECT c.company_id, count(*)::int AS wins
         FROM battles b JOIN cards c ON c.id = CASE b.winner WHEN 'a' THEN b.card_a_id ELSE b.card_b_id END
        WHERE b.status = 'closed' AND b.winner IS NOT NULL AND b.closed_at >= $2 AND b.closed_at < $3
        GROUP BY c.company_id)
     SELECT co.id::text, co.name, co.payout_wallet, coalesce(v.volume, 0)::text AS volume, coalesce(w.wins, 0) AS wins
       FROM companies co
       LEFT JOIN volume v ON v.company_id = co.id
       LEFT JOIN wins w ON w.company_id = co.id
      WHERE v.company_id IS NOT NULL OR w.company_id IS NOT NULL
      ORDER BY co.id`,
    [mint, week.start, week.end],
  );
  return rows.map((r) => ({
    companyId: r.id,
    name: r.name,
    payoutWallet: r.payout_wallet,
    volume: BigInt(r.volume),
    battleWins: r.wins,
  }));
}
