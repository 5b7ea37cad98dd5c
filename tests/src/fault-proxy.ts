// A fault-injecting proxy for Solana JSON-RPC (HTTP) and PubSub (WebSocket)
// traffic: tests put it between a client (the indexer) and a real node to prove
// the client survives throttling, 5xx, dropped connections, lost and reordered
// notifications and closed subscriptions. Faults are drawn from a seeded PRNG, so
// a failing run can be replayed (given the same order of requests).
import { Agent, createServer, type IncomingHttpHeaders, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { type RawData, WebSocketServer } from "ws";

export interface FaultPlan {
  /** Probability 0..1 per HTTP request of each fault; evaluated in this order, at most one fault per request. */
  http429?: number; // reply 429 with Retry-After: 0 and a JSON body, request not forwarded
  http500?: number; // reply 500 (or 502/503 alternately), not forwarded
  dropConnection?: number; // destroy the client socket without a response (request not forwarded)
  dropAfterForward?: number; // forward the request, then destroy the client socket instead of replying (the upstream DID execute it)
  delayMs?: [number, number]; // uniform random extra delay range applied to every forwarded request
  /** WebSocket: probability per upstream->client message of dropping that message. */
  wsDropMessage?: number;
  /** WebSocket: close every client WebSocket connection after a random lifetime in this range (ms). */
  wsCloseAfterMs?: [number, number];
  /** WebSocket: hold each upstream->client message for a random delay in this range, so notifications can arrive out of order. */
  wsReorderMs?: [number, number];
}

export interface FaultProxy {
  httpUrl: string;
  wsUrl: string;
  /** Changes the faults at runtime ({} heals); WebSocket lifetimes are re-drawn for open connections. */
  setPlan(plan: FaultPlan): void;
  /** `forwarded` counts every request sent upstream, including those dropped after forwarding. */
  stats(): {
    forwarded: number;
    http429: number;
    http500: number;
    dropped: number;
    droppedAfterForward: number;
    wsDropped: number;
    wsClosed: number;
    wsConnections: number;
  };
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Per-connection headers that must not be copied across the proxy (the bodies are
// relayed whole, so node recomputes the lengths).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"]);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

interface Link {
  client: WebSocket;
  upstream: WebSocket;
  closeTimer?: NodeJS.Timeout;
}

export async function startFaultProxy(opts: {
  upstreamHttp: string;
  upstreamWs: string;
  plan?: FaultPlan;
  seed?: number;
}): Promise<FaultProxy> {
  let plan: FaultPlan = opts.plan ?? {};
  const random = mulberry32(opts.seed ?? Date.now());
  const chance = (p: number | undefined) => p !== undefined && p > 0 && random() < p;
  const within = ([min, max]: [number, number]) => min + random() * (max - min);
  const counts = {
    forwarded: 0,
    http429: 0,
    http500: 0,
    dropped: 0,
    droppedAfterForward: 0,
    wsDropped: 0,
    wsClosed: 0,
    wsConnections: 0,
  };
  let closed = false;

  // Every pending delay, so close() can cancel them and leave no timer behind.
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };
  const cancel = (t: NodeJS.Timeout | undefined) => {
    clearTimeout(t);
    if (t) timers.delete(t);
  };
  // A delay cancelled by close() never resolves: its request's socket is destroyed anyway.
  const sleep = (ms: number) => new Promise<void>((resolve) => later(ms, resolve));

  // ---- HTTP ----
  const agent = new Agent({ keepAlive: true });
  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      counts.forwarded++;
      const req = request(new URL(path, opts.upstreamHttp), { method, headers: endToEnd(headers), agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });

  const reply = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
  const jsonError = (code: number, message: string) =>
    JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });

  let serverErrors = 0;
  const httpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const p = plan;
      if (chance(p.http429)) {
        counts.http429++;
        return reply(res, 429, jsonError(429, "Too many requests"), { "retry-after": "0" });
      }
      if (chance(p.http500)) {
        counts.http500++;
        const status = [500, 502, 503][serverErrors++ % 3] as number;
        return reply(res, status, jsonError(status, "Internal error (injected)"));
      }
      // The body was read first, so the client sees the connection reset, not a write error.
      if (chance(p.dropConnection)) {
        counts.dropped++;
        return req.socket.destroy();
      }
      const dropAfter = chance(p.dropAfterForward);
      if (p.delayMs) await sleep(within(p.delayMs));
      try {
        const up = await forward(req.method ?? "POST", req.url ?? "/", req.headers, Buffer.concat(chunks));
        if (dropAfter) {
          counts.droppedAfterForward++;
          return req.socket.destroy();
        }
        res.writeHead(up.status, endToEnd(up.headers)).end(up.body);
      } catch (e) {
        if (dropAfter) return req.socket.destroy();
        if (!res.headersSent && !closed) reply(res, 502, jsonError(502, `upstream: ${(e as Error).message}`));
      }
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));

  // ---- WebSocket ----
  const links = new Set<Link>();
  const armClose = (link: Link) => {
    cancel(link.closeTimer);
    if (!plan.wsCloseAfterMs) return;
    link.closeTimer = later(within(plan.wsCloseAfterMs), () => {
      counts.wsClosed++;
      // 1001 "going away", as a node restarting or a load balancer recycling would.
      link.client.close(1001, "closed by fault proxy");
    });
  };
  // ws refuses to send close codes 1005/1006 (no code, abnormal): those become 1000.
  const relayCode = (code: number) => (code === 1005 || code === 1006 ? 1000 : code);
  const closeSide = (ws: WebSocket, code: number) => {
    if (ws.readyState === WebSocket.OPEN) ws.close(relayCode(code));
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  };

  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (client) => {
    counts.wsConnections++;
    const upstream = new WebSocket(opts.upstreamWs);
    const link: Link = { client, upstream };
    links.add(link);
    armClose(link);
    // Client messages sent before the upstream is open wait for it, in order.
    const pending: Array<[RawData, boolean]> = [];
    client.on("message", (data, isBinary) => {
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary: isBinary });
      else pending.push([data, isBinary]);
    });
    upstream.on("open", () => {
      for (const [data, isBinary] of pending.splice(0)) upstream.send(data, { binary: isBinary });
    });
    upstream.on("message", (data, isBinary) => {
      const p = plan;
      if (chance(p.wsDropMessage)) {
        counts.wsDropped++;
        return;
      }
      const deliver = () => {
        if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
      };
      if (p.wsReorderMs) later(within(p.wsReorderMs), deliver);
      else deliver();
    });
    client.on("close", (code) => {
      links.delete(link);
      cancel(link.closeTimer);
      closeSide(upstream, code);
    });
    upstream.on("close", (code) => closeSide(client, code));
    // An upstream that cannot be reached (or fails) closes the client: 1011 "internal error".
    upstream.on("error", () => closeSide(client, 1011));
    client.on("error", () => closeSide(upstream, 1000));
  });
  await new Promise<void>((resolve) => wss.once("listening", resolve));

  const httpPort = (httpServer.address() as AddressInfo).port;
  const wsPort = (wss.address() as AddressInfo).port;
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    setPlan(next) {
      plan = next;
      for (const link of links) armClose(link);
    },
    stats: () => ({ ...counts }),
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const { client, upstream } of links) {
        client.terminate();
        upstream.terminate();
      }
      links.clear();
      agent.destroy();
      httpServer.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => httpServer.close(() => resolve())),
        new Promise<void>((resolve) => wss.close(() => resolve())),
      ]);
    },
  };
}
