// EXPLAIN ANALYZE of the explorer's query (the API's own SQL builder) for each
// filter combination, on a database seeded with many transactions:
//   DATABASE_URL=… npx tsx scripts/src/bench/explain-transactions.ts
// Prints the best of 5 execution times and the indexes each plan uses; exits 1
// if a plan scans a whole table.
import pg from "pg";
import { type TxFilters, type TxKey, whereClause } from "../../../api/src/domains/transactions/queries.js";

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/ece" });
const one = async <T>(sql: string): Promise<T> => (await pool.query(sql)).rows[0] as T;

const busiest = await one<{ signer: string }>(
  "SELECT signer FROM chain_transactions GROUP BY signer ORDER BY count(*) DESC LIMIT 1",
);
const quiet = await one<{ signer: string }>(
  "SELECT signer FROM chain_transactions GROUP BY signer ORDER BY count(*) ASC LIMIT 1",
);
const programs = (
  await pool.query<{ p: string }>(
    "SELECT p FROM (SELECT unnest(programs) AS p FROM chain_transactions ORDER BY slot DESC LIMIT 10000) x GROUP BY p ORDER BY count(*)",
  )
).rows.map((r) => r.p);
const times = await one<{ lo: Date; hi: Date }>(
  "SELECT min(block_time) AS lo, max(block_time) AS hi FROM chain_transactions",
);
const at = (f: number) => new Date(times.lo.getTime() + (times.hi.getTime() - times.lo.getTime()) * f).toISOString();
const amount = await one<{ p50: string; p51: string }>(
  `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY amount)::text AS p50,
          percentile_disc(0.501) WITHIN GROUP (ORDER BY amount)::text AS p51
     FROM (SELECT amount FROM chain_instructions WHERE amount IS NOT NULL LIMIT 100000) x`,
);
const rare = programs[0];
const common = programs.at(-1);

const cases: Record<string, TxFilters> = {
  "no filter": {},
  "wallet (busiest)": { wallet: busiest.signer },
  "wallet (quiet)": { wallet: quiet.signer },
  "program (common)": { program: common },
  "program (rare)": { program: rare },
  "program + instruction approve": { program: common, instruction: "approve" },
  "instruction approve": { instruction: "approve" },
  "event ProposalExecuted": { event: "ProposalExecuted" },
  "status failed": { status: "failed" },
  "commitment confirmed": { commitment: "confirmed" },
  "time: a window in the past": { from: at(0.2), to: at(0.3) },
  "time: to in the past": { to: at(0.1) },
  "time: recent from": { from: at(0.95) },
  "amount ≥ median": { minAmount: amount.p50 },
  "amount narrow range": { minAmount: amount.p50, maxAmount: amount.p51 },
  "wallet + failed": { wallet: busiest.signer, status: "failed" },
  "program + failed + window": { program: common, status: "failed", from: at(0.4), to: at(0.6) },
};

let fullScans = 0;
const mid = await one<{ slot: string; signature: string }>(
  "SELECT slot::text, signature FROM chain_transactions ORDER BY slot DESC OFFSET 500 LIMIT 1",
);
for (const [name, f] of Object.entries(cases)) {
  for (const after of [null, mid] as Array<TxKey | null>) {
    const { sql, params } = whereClause(f, after);
    params.push(51);
    const text = `EXPLAIN (ANALYZE, FORMAT JSON) SELECT t.signature FROM chain_transactions t ${sql}
                  ORDER BY t.slot DESC, t.signature DESC LIMIT $${params.length}`;
    let best = Number.POSITIVE_INFINITY;
    const used: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await pool.query(text, params);
      const p = r.rows[0]["QUERY PLAN"][0] as { "Execution Time": number; Plan: PlanNode };
      best = Math.min(best, p["Execution Time"]);
      used.length = 0;
      const walk = (n: PlanNode) => {
        if (n["Index Name"]) used.push(n["Index Name"]);
        if (n["Node Type"] === "Seq Scan") {
          used.push(`SEQ SCAN ${n["Relation Name"]}`);
          if (i === 0) fullScans++;
        }
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(p.Plan);
    }
    console.log(
      `${`${name}${after ? " (page 11)" : ""}`.padEnd(42)} ${best.toFixed(3).padStart(9)} ms  ${used.join(", ")}`,
    );
  }
}
await pool.end();
process.exit(fullScans > 0 ? 1 : 0);
