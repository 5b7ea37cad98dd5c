// The HTTP side: JSON-RPC on POST /, Agave's GET /health, CORS for browser
// wallets and the web app, and a body limit answered with a JSON-RPC error.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Dispatcher } from "./rpc/dispatch.js";
import { Code } from "./rpc/errors.js";

/** Agave's MAX_REQUEST_BODY_SIZE. */
export const MAX_REQUEST_BODY = 50 * 1024;

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "content-type, solana-client",
  "access-control-max-age": "86400",
};

function reply(res: ServerResponse, status: number, body: string | null, type = "application/json"): void {
  res.writeHead(
    status,
    body === null ? CORS : { ...CORS, "content-type": type, "content-length": Buffer.byteLength(body) },
  );
  res.end(body ?? undefined);
}

function rpcError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
}

export function createRpcServer(dispatcher: Dispatcher, healthy: () => boolean): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "OPTIONS") return reply(res, 204, null);
    if (req.method === "GET" && req.url === "/health")
      return reply(res, 200, healthy() ? "ok" : "unknown", "text/plain");
    if (req.method !== "POST") {
      return reply(
        res,
        405,
        rpcError(Code.invalidRequest, "Used HTTP Method is not allowed. POST or OPTIONS is required"),
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_REQUEST_BODY) {
        tooLarge = true;
        reply(res, 413, rpcError(Code.invalidRequest, `Request body too large; max ${MAX_REQUEST_BODY} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return;
      const body =
        chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
      const out = dispatcher.handle(body);
      reply(res, 200, out ?? "");
    });
    req.on("error", () => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
