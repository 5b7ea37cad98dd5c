import type { Logger } from "pino";
import type { IndexerMetrics } from "../metrics.js";
import type { RpcClient } from "../rpc/client.js";
import { decodeTransaction, type IndexedTx } from "./decode.js";
import type { RpcTransaction } from "./rpc-types.js";

/** getTransaction calls per JSON-RPC batch request, and batch requests in flight. */
const CHUNK = 50;
const CONCURRENCY = 4;

/**
 * Fetches and decodes transactions in order, in JSON-RPC batches with bounded
 * concurrency. Stops at the first one the node does not return yet, so the
 * caller never writes past a hole.
 */
export async function fetchTransactions(
  o: { rpc: RpcClient; log: Logger; metrics: IndexerMetrics },
  signatures: string[],
): Promise<IndexedTx[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < signatures.length; i += CHUNK) chunks.push(signatures.slice(i, i + CHUNK));
  const results: (RpcTransaction | null)[][] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const i = next++;
      results[i] = await o.rpc.batch<RpcTransaction | null>(
        "getTransaction",
        (chunks[i] as string[]).map((s) => [
          s,
          { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
        ]),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
  const txs: IndexedTx[] = [];
  for (const raw of results.flat()) {
    if (!raw) break;
    txs.push(
      decodeTransaction(raw, (skip) => {
        o.metrics.skipped.inc({ what: skip.what });
        o.log.warn(skip, "skipped undecodable data");
      }),
    );
  }
  return txs;
}
