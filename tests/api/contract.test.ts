// The OpenAPI document: valid OpenAPI 3.1, and every route in it with the schemas
// a client needs. (Every suite's stack also checks each response it got against it.)
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { type ApiStack, startApiStack } from "../src/api-stack.js";

type Operation = {
  tags?: string[];
  security?: unknown[];
  requestBody?: unknown;
  parameters?: Array<{ in: string; name: string }>;
  responses?: Record<string, unknown>;
};

describe("api: OpenAPI contract", function () {
  this.timeout(120_000);
  let stack: ApiStack;
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };
  const routes: Array<{ method: string; url: string }> = [];

  before(async () => {
    stack = await startApiStack("api_contract", { indexer: false });
    doc = (await stack.client.get("/api/openapi.json")).body;
    // Every route Fastify serves, read back from its router.
    const text = stack.app.printRoutes({ commonPrefix: false, includeHooks: false, method: undefined });
    for (const line of text.split("\n")) {
      const m = /(\/\S*) \(([A-Z, ]+)\)/.exec(line.replace(/^[\s│├└─]+/, ""));
      if (m) for (const method of (m[2] as string).split(", ")) routes.push({ method, url: m[1] as string });
    }
  });
  after(async () => stack?.stop());

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(doc as never);
    assert.equal(doc.openapi, "3.1.0");
    assert.ok(result.valid, JSON.stringify(result.errors, null, 2)?.slice(0, 3000));
  });

  it("documents every /api/v1 route with a tag, a success response and the error shape", () => {
    const ops = Object.entries(doc.paths).flatMap(([path, o]) => Object.entries(o).map(([m, op]) => ({ path, m, op })));
    const v1 = ops.filter((o) => o.path.startsWith("/api/v1/"));
    assert.ok(v1.length >= 10, `only ${v1.length} operations`);
    const problems: string[] = [];
    for (const { path, m, op } of v1) {
      const where = `${m.toUpperCase()} ${path}`;
      const codes = Object.keys(op.responses ?? {});
      if (!op.tags?.length) problems.push(`${where}: no tag`);
      if (!codes.some((c) => c.startsWith("2"))) problems.push(`${where}: no 2xx response`);
      if (!codes.includes("429")) problems.push(`${where}: 429 (rate limit) not documented`);
      if (op.requestBody && !codes.includes("400")) problems.push(`${where}: has a body but no 400`);
      if (op.security?.length && !codes.includes("401")) problems.push(`${where}: needs a session but no 401`);
    }
    assert.deepEqual(problems, []);
  });

  it("has every served route in the document (none undocumented)", () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, o]) => Object.keys(o).map((m) => `${m.toUpperCase()} ${p}`)),
    );
    const missing = routes
      .filter((r) => r.url.startsWith("/api/v1") && r.method !== "HEAD" && r.method !== "OPTIONS")
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`)
      .filter((k) => !documented.has(k));
    assert.ok(routes.length > 0, "no routes read from the router");
    assert.deepEqual(missing, []);
  });
});
