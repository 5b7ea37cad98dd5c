// The API as a Fastify instance: security and observability first, then every
// domain as an encapsulated plugin under /api/v1.
import cookie from "@fastify/cookie";
import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyServerOptions } from "fastify";
import { Type } from "typebox";
import { admission } from "./core/admission.js";
import { installErrorHandling } from "./core/errors.js";
import { installObservability, requestId } from "./core/observability.js";
import { installOpenApi } from "./core/openapi.js";
import { ErrorResponse, isPubkey, PUBKEY_FORMAT } from "./core/schemas.js";
import { validatorCompiler } from "./core/validation.js";
import type { ApiDeps } from "./deps.js";
import { authenticate } from "./domains/auth/guard.js";
import { DOMAINS } from "./domains/index.js";
import type { App } from "./types.js";

export interface BuildOptions {
  logger?: FastifyServerOptions["logger"];
}

export async function buildApp(deps: ApiDeps, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? { level: deps.config.logLevel },
    genReqId: requestId,
    bodyLimit: 1024 * 1024,
    // The serializer checks anyOf branches with an Ajv of its own: it must know the format too.
    serializerOpts: { ajv: { formats: { [PUBKEY_FORMAT]: { type: "string", validate: isPubkey } } } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  app.decorate("deps", deps);
  app.decorateRequest("auth", null);
  installErrorHandling(app);
  app.addSchema(ErrorResponse);
  // Malformed input is refused, never silently trimmed or coerced into something else.
  app.setValidatorCompiler(validatorCompiler([ErrorResponse]));

  await app.register(cookie);
  await app.register(helmet, {
    // The Swagger UI page needs inline styles and scripts; everything else is JSON.
    contentSecurityPolicy: {
      directives: { "script-src": ["'self'", "'unsafe-inline'"], "style-src": ["'self'", "'unsafe-inline'", "https:"] },
    },
  });
  await app.register(cors, {
    origin: deps.config.corsOrigins,
    credentials: true,
    exposedHeaders: ["x-request-id", "retry-after", "x-ratelimit-remaining", "x-ratelimit-reset"],
  });
  await installOpenApi(app);
  installObservability(app);

  // Fastify itself refuses a body (DELETE may carry one) of another media type (415) or over bodyLimit (413)
  // before any handler runs: every route that takes a body documents both.
  // Every API route may also answer 503 (the RPC is down, or sessions cannot be checked).
  app.addHook("onRoute", (route) => {
    const methods = [route.method].flat();
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (!response) return;
    if (route.url.startsWith("/api/v1/")) response[503] ??= Type.Ref("Error");
    if (!methods.some((m) => ["POST", "PUT", "PATCH", "DELETE"].includes(m))) return;
    response[413] ??= Type.Ref("Error");
    response[415] ??= Type.Ref("Error");
  });

  // The token is checked in process; whether its session was signed out is asked with the rate limits.
  app.addHook("onRequest", async (req) => authenticate(deps, req));
  app.addHook("onRequest", admission(deps));

  await app.register(
    async (v1) => {
      for (const domain of DOMAINS) await v1.register(domain);
    },
    { prefix: "/api/v1" },
  );
  return app;
}
