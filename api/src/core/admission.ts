// Admission of every request, in one Redis round trip: the rate limits (fixed
// one-minute windows per client IP and per signed-in wallet, shared by every API
// instance) and, for a session, that it has not been signed out.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiDeps } from "../deps.js";
import { revokedKey } from "../domains/auth/sessions.js";
import { ApiError, unauthorized } from "./errors.js";

const WINDOW_S = 60;
const EXEMPT = new Set(["/health", "/ready", "/metrics"]);

export function admission(deps: ApiDeps) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (EXEMPT.has(req.url)) return;
    const window = Math.floor(Date.now() / 1000 / WINDOW_S);
    const buckets: Array<[string, number]> = [[`rl:ip:${req.ip}:${window}`, deps.config.rateLimitPerIp]];
    if (req.auth) buckets.push([`rl:wallet:${req.auth.wallet}:${window}`, deps.config.rateLimitPerWallet]);
    const multi = deps.redis.multi();
    for (const [key] of buckets) multi.incr(key).expire(key, WINDOW_S + 1);
    if (req.auth) multi.exists(revokedKey(req.auth.sessionId));
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await multi.exec();
    } catch (err) {
      // A session cannot be checked without Redis; anonymous requests are served
      // unlimited rather than refused (/ready reports the outage).
      if (req.auth) throw new ApiError(503, "SESSION_STORE_UNAVAILABLE", "sessions cannot be checked right now; retry");
      req.log.warn({ err }, "rate limiter unavailable");
      return;
    }
    if (req.auth && Number(results?.[buckets.length * 2]?.[1] ?? 0) > 0) {
      throw unauthorized("the session was signed out", "SESSION_ENDED");
    }
    const reset = (window + 1) * WINDOW_S - Math.floor(Date.now() / 1000);
    let tightest = Number.POSITIVE_INFINITY;
    for (const [i, [key, limit]] of buckets.entries()) {
      const count = Number(results?.[i * 2]?.[1] ?? 0);
      tightest = Math.min(tightest, limit - count);
      if (count > limit) {
        reply.header("retry-after", String(reset));
        reply.header("x-ratelimit-limit", String(limit)).header("x-ratelimit-remaining", "0");
        const who = key.startsWith("rl:ip") ? "this IP address" : "this wallet";
        throw new ApiError(
          429,
          "RATE_LIMITED",
          `too many requests from ${who}: ${limit} a minute; retry in ${reset} s`,
        );
      }
    }
    reply.header("x-ratelimit-remaining", String(Math.max(0, tightest))).header("x-ratelimit-reset", String(reset));
  };
}
