// A local webhook receiver for the suites, and the subscriber's HMAC check.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver; `status(delivery, n)` answers the n-th request (1-based) of a delivery. */
export async function receiver(status: (delivery: string, n: number) => number) {
  const got: Received[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      got.push({ headers: req.headers, body });
      const id = String(req.headers["x-ece-delivery"]);
      const n = (counts.get(id) ?? 0) + 1;
      counts.set(id, n);
      res.statusCode = status(id, n);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What a subscriber does with each request: recompute the HMAC over timestamp and raw body. */
export function verified(r: Received, secret: string): boolean {
  const ts = String(r.headers["x-ece-timestamp"]);
  const expected = createHmac("sha256", secret).update(`${ts}.${r.body}`).digest("hex");
  return expected === r.headers["x-ece-signature"];
}
