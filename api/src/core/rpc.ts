// The API's RPC transport, under web3.js's Connection: a timeout per attempt,
// retries of what failed in transit (dropped connections, timeouts, 429, 5xx)
// with exponential backoff and full jitter, behind a circuit breaker that makes
// requests fail fast with 503 while the node is down instead of piling up.
import { backoffMs, CircuitBreaker, sleep } from "@ece/sdk";

export class RpcUnavailableError extends Error {
  override name = "RpcUnavailableError";
}

/** web3.js sometimes rewraps transport errors into a new Error with the original in its message. */
export const isRpcUnavailable = (e: unknown): boolean =>
  e instanceof RpcUnavailableError || (e instanceof Error && e.message.includes("RpcUnavailableError"));

export interface RpcTransportOptions {
  timeoutMs: number;
  attempts: number;
  baseMs?: number;
  capMs?: number;
}

export interface RpcTransport {
  fetch: typeof fetch;
  breaker: CircuitBreaker;
  /** Attempts by outcome, for /metrics. */
  outcomes: Record<"ok" | "retried" | "failed" | "rejected", number>;
}

export function rpcTransport(opts: RpcTransportOptions): RpcTransport {
  const breaker = new CircuitBreaker(5, 1_000, 30_000);
  const outcomes = { ok: 0, retried: 0, failed: 0, rejected: 0 };
  const baseMs = opts.baseMs ?? 100;
  const capMs = opts.capMs ?? 2_000;
  const transport: typeof fetch = async (input, init) => {
    let last = "";
    for (let attempt = 0; attempt < opts.attempts; attempt++) {
      if (!breaker.tryAcquire()) {
        outcomes.rejected++;
        throw new RpcUnavailableError("the Solana RPC is unavailable (circuit open after repeated failures)");
      }
      let wait = backoffMs(attempt, baseMs, capMs);
      try {
        const res = await fetch(input, { ...init, signal: AbortSignal.timeout(opts.timeoutMs) });
        if (res.status !== 429 && res.status < 500) {
          breaker.success();
          outcomes.ok++;
          return res;
        }
        last = `HTTP ${res.status}`;
        const retryAfter = Number(res.headers.get("retry-after"));
        if (res.status === 429 && Number.isFinite(retryAfter)) wait = Math.min(capMs, retryAfter * 1000);
        await res.arrayBuffer().catch(() => undefined);
      } catch (e) {
        last = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      breaker.failure();
      if (attempt + 1 < opts.attempts) {
        outcomes.retried++;
        await sleep(wait);
      }
    }
    outcomes.failed++;
    throw new RpcUnavailableError(`the Solana RPC did not answer after ${opts.attempts} attempts (${last})`);
  };
  return { fetch: transport, breaker, outcomes };
}
