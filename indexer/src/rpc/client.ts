import { type BreakerState, backoffMs, CircuitBreaker, sleep } from "@ece/sdk";
import type { Logger } from "pino";
import type { IndexerMetrics } from "../metrics.js";

export interface RpcOptions {
  url: string;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: Logger;
  metrics?: IndexerMetrics;
}

/** A JSON-RPC error the node returned that retrying will not fix. */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (${code})`);
  }
}

/** The node stayed unreachable or failing through every retry. */
export class RpcUnavailableError extends Error {}

class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

/** JSON-RPC codes a healthy retry can clear: node behind or unhealthy, block or
 * slot not yet available, internal errors. */
const RETRYABLE_CODES = new Set([-32603, -32005, -32004, -32007, -32009, -32014, -32016]);

interface Reply {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

/**
 * JSON-RPC over HTTP for the indexer: per-request timeouts, retries with
 * exponential backoff and jitter on timeouts, dropped connections, 429 (with
 * Retry-After) and 5xx, and a circuit breaker around the node. Only reads go
 * through it, so retrying a request whose reply was lost is always safe.
 */
export class RpcClient {
  readonly breaker: CircuitBreaker;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: RpcOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 5_000;
    this.breaker = new CircuitBreaker(5, 1_000, 30_000, (state) => {
      opts.metrics?.breakerState.set(BREAKER_GAUGE[state]);
      opts.log?.warn({ state }, "rpc circuit breaker");
    });
  }

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const [result] = await this.batch<T>(method, [params]);
    return result as T;
  }

  /** The same method for several parameter lists in one JSON-RPC batch; any
   * failed item retries the whole batch (reads only). */
  async batch<T>(method: string, paramsList: unknown[][]): Promise<T[]> {
    if (paramsList.length === 0) return [];
    for (let attempt = 0; ; attempt++) {
      await this.breaker.acquire();
      try {
        const results = await this.send<T>(method, paramsList);
        this.breaker.success();
        this.opts.metrics?.rpcRequests.inc({ method, outcome: "ok" });
        return results;
      } catch (e) {
        if (!(e instanceof Retryable)) {
          this.breaker.success(); // the node answered; the request was wrong
          this.opts.metrics?.rpcRequests.inc({ method, outcome: "error" });
          throw e;
        }
        this.breaker.failure();
        this.opts.metrics?.rpcRequests.inc({ method, outcome: "retry" });
        if (attempt + 1 >= this.maxAttempts)
          throw new RpcUnavailableError(`${method}: gave up after ${this.maxAttempts} attempts: ${e.message}`);
        const delay = Math.max(e.retryAfterMs, backoffMs(attempt, this.baseDelayMs, this.maxDelayMs));
        this.opts.log?.debug({ method, attempt, delay, reason: e.message }, "rpc retry");
        await sleep(delay);
      }
    }
  }

  private async send<T>(method: string, paramsList: unknown[][]): Promise<T[]> {
    const first = this.nextId;
    this.nextId += paramsList.length;
    const body = paramsList.map((params, i) => ({ jsonrpc: "2.0", id: first + i, method, params }));
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.opts.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(paramsList.length === 1 ? body[0] : body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      throw new Retryable(`${err.name}: ${err.cause?.code ?? err.message}`);
    }
    if (res.status === 429) {
      const after = Number(res.headers.get("retry-after"));
      throw new Retryable("HTTP 429", Number.isFinite(after) ? Math.min(after * 1000, this.maxDelayMs) : 0);
    }
    if (res.status >= 500) throw new Retryable(`HTTP ${res.status}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A body cut short by a dropped connection is as good as no reply.
      throw new Retryable(`HTTP ${res.status}: reply is not JSON`);
    }
    if (res.status !== 200 && !(typeof parsed === "object" && parsed && "error" in parsed))
      throw new RpcError(method, res.status, `HTTP ${res.status}`);
    const replies = (Array.isArray(parsed) ? parsed : [parsed]) as Reply[];
    const byId = new Map(replies.map((r) => [r.id, r]));
    return paramsList.map((_, i) => {
      const reply = byId.get(first + i) ?? (replies.length === 1 && paramsList.length === 1 ? replies[0] : undefined);
      if (!reply) throw new Retryable(`no reply for request ${first + i}`);
      if (reply.error) {
        if (RETRYABLE_CODES.has(reply.error.code)) throw new Retryable(`${reply.error.code} ${reply.error.message}`);
        throw new RpcError(method, reply.error.code, reply.error.message);
      }
      return reply.result as T;
    });
  }
}
