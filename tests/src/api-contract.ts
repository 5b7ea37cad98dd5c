// Checks real responses against the OpenAPI document the API serves: every JSON
// body must match the schema documented for its route and status.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { isPubkey, PUBKEY_FORMAT } from "../../api/src/core/schemas.js";

export interface Recorded {
  method: string;
  /** Fastify's route pattern (`/api/v1/cards/:id`), or null when no route matched. */
  route: string | null;
  status: number;
  contentType: string;
  body: string;
}

type OpenApi = {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
  components?: { schemas?: Record<string, unknown> };
};

export interface ContractChecker {
  check(r: Recorded): string | null;
}

export function contractChecker(doc: OpenApi): ContractChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat(PUBKEY_FORMAT, { type: "string", validate: isPubkey });
  // Components are referenced as #/components/schemas/<name>: give them that id in one document.
  ajv.addSchema({ $id: "openapi", components: doc.components ?? {} });
  const cache = new Map<string, ReturnType<InstanceType<typeof Ajv2020>["compile"]> | null>();
  const rewrite = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (k, v) =>
      k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `openapi${v}` : v,
    );

  return {
    check(r) {
      // Preflights and the documentation pages themselves are not API operations.
      if (
        r.route === null ||
        r.method === "OPTIONS" ||
        r.route.startsWith("/api/docs") ||
        r.route === "/api/openapi.json"
      )
        return null;
      const path = r.route.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op) return `${r.method} ${path} is not in the OpenAPI document`;
      const response = op.responses?.[String(r.status)] ?? op.responses?.default;
      if (!response)
        return `${r.method} ${path} answered ${r.status}, which is not documented (${r.body.slice(0, 200)})`;
      if (!r.contentType.startsWith("application/json")) return null;
      const schema = response.content?.["application/json"]?.schema;
      if (!schema) return null;
      const key = `${r.method} ${path} ${r.status}`;
      let validate = cache.get(key);
      if (validate === undefined) {
        validate = ajv.compile(rewrite(schema) as object);
        cache.set(key, validate);
      }
      if (!validate) return null;
      const body = r.body === "" ? null : JSON.parse(r.body);
      if (validate(body)) return null;
      return `${key}: ${ajv.errorsText(validate.errors)} in ${r.body.slice(0, 300)}`;
    },
  };
}
