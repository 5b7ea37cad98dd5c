// Request ids (taken from x-request-id when sane, else new), Prometheus metrics,
// liveness and readiness.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import client from "prom-client";
import { Type } from "typebox";
import type { App } from "../types.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

async function check(name: string, probe: () => Promise<unknown>, timeoutMs = 2000) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, ok: true, ms: Math.round(performance.now() - started) };
  } catch (e) {
    return { name, ok: false, ms: Math.round(performance.now() - started), error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function installObservability(app: App): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "ece_api_" });
  const requests = new client.Counter({
    name: "ece_api_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "ece_api_http_request_duration_seconds",
    help: "HTTP request duration by route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const { rpc } = app.deps;
  new client.Gauge({
    name: "ece_api_rpc_circuit_state",
    help: "RPC circuit breaker: 0 closed, 1 half-open, 2 open",
    registers: [registry],
    collect() {
      this.set(["closed", "half-open", "open"].indexOf(rpc.breaker.state));
    },
  });
  new client.Gauge({
    name: "ece_api_rpc_attempts",
    help: "RPC attempts since start by outcome (ok, retried, failed after every attempt, rejected by the open circuit)",
    labelNames: ["outcome"],
    registers: [registry],
    collect() {
      for (const [outcome, n] of Object.entries(rpc.outcomes)) this.set({ outcome }, n);
    },
  });

  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });
  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    requests.inc({ method: req.method, route, status: reply.statusCode });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  const Checks = Type.Array(
    Type.Object({ name: Type.String(), ok: Type.Boolean(), ms: Type.Integer(), error: Type.Optional(Type.String()) }),
  );
  app.get(
    "/health",
    {
      schema: { tags: ["system"], summary: "Liveness", response: { 200: Type.Object({ status: Type.Literal("ok") }) } },
    },
    async () => ({ status: "ok" as const }),
  );
  app.get(
    "/ready",
    {
      schema: {
        tags: ["system"],
        summary: "Readiness: Postgres, Redis and the RPC answer",
        response: {
          200: Type.Object({ status: Type.Literal("ready"), checks: Checks }),
          503: Type.Object({ status: Type.Literal("unavailable"), checks: Checks }),
        },
      },
    },
    async (_req, reply) => {
      const { deps } = app;
      const checks = await Promise.all([
        check("postgres", () => deps.pool.query("SELECT 1")),
        check("redis", () => deps.redis.ping()),
        check("rpc", () => deps.connection.getSlot("confirmed")),
      ]);
      if (checks.every((c) => c.ok)) return { status: "ready" as const, checks };
      return reply.status(503).send({ status: "unavailable" as const, checks });
    },
  );
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["system"],
        summary: "Prometheus metrics",
        produces: ["text/plain"],
        response: { 200: Type.String() },
      },
    },
    async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
  return registry;
}
