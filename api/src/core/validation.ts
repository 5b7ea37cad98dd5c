// Request validation: query strings and path params arrive as text, so they are
// coerced to the schema's types; JSON bodies are not — a number where a decimal
// string is expected (a price above 2^53 would already have lost precision) is refused.
import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";
import { isPubkey, PUBKEY_FORMAT } from "./schemas.js";

function ajv(coerceTypes: Options["coerceTypes"], shared: unknown[]): Ajv {
  const a = new Ajv({
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    allErrors: false,
    allowUnionTypes: true,
  });
  addFormats.default(a);
  a.addFormat(PUBKEY_FORMAT, { type: "string", validate: isPubkey });
  // Fastify's own keywords in route schemas (OpenAPI annotations) are not validation keywords.
  a.addKeyword("example").addKeyword("x-internal");
  for (const s of shared) a.addSchema(s as object);
  return a;
}

export function validatorCompiler(shared: unknown[]): FastifySchemaCompiler<FastifySchema> {
  const body = ajv(false, shared);
  const text = ajv("array", shared);
  return ({ schema, httpPart }) => (httpPart === "body" ? body : text).compile(schema as object);
}
