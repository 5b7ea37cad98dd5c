// A closed-loop HTTP load generator over keep-alive connections: `concurrency`
// callers each send their next request when the previous one is answered.
import { Agent, request } from "node:http";

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function post(agent: Agent, url: URL, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends `next()` bodies for `seconds` (after `warmupSeconds` not counted). */
export async function closedLoop(
  rpcUrl: string,
  opts: {
    concurrency: number;
    seconds: number;
    warmupSeconds: number;
    body: (i: number) => string;
    ok: (response: string) => boolean;
  },
): Promise<LoadResult> {
  const url = new URL(rpcUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const start = performance.now();
  const warmEnd = start + opts.warmupSeconds * 1000;
  const end = warmEnd + opts.seconds * 1000;
  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      const response = await post(agent, url, opts.body(counter++));
      const t1 = performance.now();
      if (t0 >= warmEnd) {
        latencies.push(t1 - t0);
        if (!opts.ok(response)) errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    seconds: opts.seconds,
    perSecond: sorted.length / opts.seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? 0,
    errors,
  };
}
