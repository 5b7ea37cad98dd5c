import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IndexerMetrics } from "./metrics.js";

/** `/metrics` (Prometheus text) and `/health`: 200 while the last cycle
 * succeeded and the RPC circuit is closed, else 503. */
export async function startMetricsServer(
  metrics: IndexerMetrics,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
    } else if (req.method === "GET" && req.url === "/health") {
      const value = async (name: string) =>
        (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
      const circuit = await value("ece_indexer_rpc_circuit_state");
      const healthy = (await value("ece_indexer_healthy")) === 1 && circuit === 0;
      res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: healthy ? "ok" : "degraded",
          headSlot: await value("ece_indexer_head_slot"),
          indexedSlot: await value("ece_indexer_indexed_slot"),
          lagSeconds: await value("ece_indexer_lag_seconds"),
          rpcCircuit: ["closed", "half-open", "open"][circuit],
        }),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}
