import pg from "pg";
import pino, { type Logger } from "pino";
import type { IndexerConfig } from "./config.js";
import { IndexerMetrics } from "./metrics.js";
import { RpcClient } from "./rpc/client.js";

export interface Runtime {
  log: Logger;
  pool: pg.Pool;
  rpc: RpcClient;
  metrics: IndexerMetrics;
}

/** JSON logs on stderr: stdout is for what a command reports. */
export const stderrLogger = (name: string): Logger => pino({ name }, pino.destination(2));

export const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");

/** The database (checked to have our schema) and the RPC client every command uses. */
export async function openRuntime(config: IndexerConfig, log: Logger): Promise<Runtime> {
  const metrics = new IndexerMetrics();
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
  pool.on("error", (e) => log.warn({ err: e.message }, "idle database connection failed"));
  try {
    const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass('chain_transactions')::text AS t");
    if (!rows[0]?.t) throw new Error("it has no ECE schema: run `npm run db:migrate`");
  } catch (e) {
    await pool.end();
    throw new Error(`database ${redact(config.databaseUrl)}: ${(e as Error).message}`);
  }
  const rpc = new RpcClient({ url: config.rpcUrl, timeoutMs: config.rpcTimeoutMs, log, metrics });
  return { log, pool, rpc, metrics };
}
