import type { Pool } from "pg";
import type { IndexerMetrics } from "../metrics.js";
import type { RpcClient } from "../rpc/client.js";

interface Status {
  confirmationStatus?: string | null;
  err?: unknown;
}

/**
 * The second pass: rows mirrored at `confirmed` whose slot the node has
 * finalized are checked with getSignatureStatuses and marked `finalized`, or
 * `dropped` if the finalized chain does not have them (a fork we saw confirmed
 * that lost). Returns how many rows it settled.
 */
export async function finalizePass(rpc: RpcClient, pool: Pool, metrics: IndexerMetrics, limit = 1024): Promise<number> {
  const finalizedSlot = await rpc.call<number>("getSlot", [{ commitment: "finalized" }]);
  const { rows } = await pool.query<{ signature: string; slot: string }>(
    `SELECT signature, slot FROM chain_transactions
      WHERE commitment = 'confirmed' AND slot <= $1 ORDER BY slot LIMIT $2`,
    [finalizedSlot, limit],
  );
  if (rows.length === 0) return 0;
  // A node that no longer keeps a slot's history cannot say it was dropped.
  const firstAvailable = await rpc.call<number>("getFirstAvailableBlock", []);
  const finalized: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < rows.length; i += 256) {
    const chunk = rows.slice(i, i + 256);
    const { value } = await rpc.call<{ value: (Status | null)[] }>("getSignatureStatuses", [
      chunk.map((r) => r.signature),
      { searchTransactionHistory: true },
    ]);
    chunk.forEach((r, j) => {
      const status = value[j];
      if (status?.confirmationStatus === "finalized") finalized.push(r.signature);
      else if (!status && Number(r.slot) >= firstAvailable) dropped.push(r.signature);
    });
  }
  for (const [commitment, signatures] of [
    ["finalized", finalized],
    ["dropped", dropped],
  ] as const) {
    if (signatures.length === 0) continue;
    await pool.query(
      `UPDATE chain_transactions SET commitment = $1::"Commitment" WHERE signature = ANY($2) AND commitment = 'confirmed'`,
      [commitment, signatures],
    );
    metrics.finalized.inc({ commitment }, signatures.length);
  }
  return finalized.length + dropped.length;
}
