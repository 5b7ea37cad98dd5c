import { parseArgs } from "node:util";
import { DEFAULT_DATABASE_URL } from "@ece/db";
import { wsUrlFor } from "@ece/sdk";

export interface IndexerConfig {
  rpcUrl: string;
  wsUrl: string;
  databaseUrl: string;
  redisUrl: string;
  /** 0 picks a free port (printed in the ready line). */
  metricsPort: number;
  fromSlot: number;
  batchSize: number;
  pollMs: number;
  finalizeMs: number;
  /** How often the mirror is compared with account state; 0 turns it off. */
  checkMs: number;
  rpcTimeoutMs: number;
  /** indexer:reconcile: how long a mirror that is catching up may take to agree. */
  waitMs: number;
}

/** Flags override environment variables, which override localnet defaults. */
export function readConfig(argv: string[], env = process.env): IndexerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      rpc: { type: "string" },
      ws: { type: "string" },
      database: { type: "string" },
      redis: { type: "string" },
      "metrics-port": { type: "string" },
      "from-slot": { type: "string" },
      "batch-size": { type: "string" },
      "poll-ms": { type: "string" },
      "finalize-ms": { type: "string" },
      "check-ms": { type: "string" },
      "rpc-timeout-ms": { type: "string" },
      "wait-ms": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
    return n;
  };
  const rpcUrl = values.rpc ?? env.RPC_URL ?? "http://127.0.0.1:8899";
  return {
    rpcUrl,
    wsUrl: values.ws ?? env.WS_URL ?? wsUrlFor(rpcUrl),
    databaseUrl: values.database ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    redisUrl: values.redis ?? env.REDIS_URL ?? "redis://127.0.0.1:6379",
    metricsPort: int("metrics-port", values["metrics-port"] ?? env.INDEXER_METRICS_PORT, 9464),
    fromSlot: int("from-slot", values["from-slot"], 0),
    batchSize: int("batch-size", values["batch-size"], 250),
    pollMs: int("poll-ms", values["poll-ms"], 1_000),
    finalizeMs: int("finalize-ms", values["finalize-ms"], 2_000),
    checkMs: int("check-ms", values["check-ms"], 60_000),
    rpcTimeoutMs: int("rpc-timeout-ms", values["rpc-timeout-ms"], 10_000),
    waitMs: int("wait-ms", values["wait-ms"], 15_000),
  };
}
