// The OpenAPI 3.1 document, generated from the routes' schemas, at /api/openapi.json; Swagger UI at /api/docs.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { App } from "../types.js";

export async function installOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "ECE API",
        version: "1.0.0",
        description:
          "Cards, marketplace, M&A battles, the multisig treasury, the auditor's transaction explorer and compliance. " +
          "Sign in with Solana (POST /api/v1/auth/nonce, then /auth/verify); send the access token as a bearer token or the ece_access cookie. " +
          "Errors are always { error: { code, message, details?, requestId } }.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          cookie: { type: "apiKey", in: "cookie", name: "ece_access" },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
