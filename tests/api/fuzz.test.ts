// Fuzz: schemathesis generates requests for every operation in the OpenAPI document
// (its examples, the coverage phase's boundary and invalid values, then random
// fuzzing), signed in as a wallet holding every role, and the API must never answer
// 5xx. The API's own request counter proves how many requests it served.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureSchemathesis, SCHEMATHESIS_VERSION } from "../../scripts/src/fuzz/schemathesis.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { until } from "../src/localnet-client.js";

const MIN_REQUESTS = 2_000;
const EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 40);
// Fixed, so a run is repeatable (CI); FUZZ_SEED=random explores new inputs.
const SEED =
  process.env.FUZZ_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261130);

/** ece_api_http_requests_total by status, summed over routes and methods. */
async function requestsByStatus(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^ece_api_http_requests_total\{([^}]*)\} (\d+)/gm)) {
    const status = Number(/status="(\d+)"/.exec(m[1] as string)?.[1]);
    out.set(status, (out.get(status) ?? 0) + Number(m[2]));
  }
  return out;
}

/** The 5xx answers by route, from the same counter. */
async function serverErrors(url: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^ece_api_http_requests_total\{([^}]*status="5\d\d"[^}]*)\} (\d+)/gm)].map(
    (m) => `${m[1]} × ${m[2]}`,
  );
}

describe("api: fuzz (schemathesis)", function () {
  this.timeout(360_000);
  let stack: ApiStack;
  let st: string;
  // Reports stay after the run (.tmp/ is gitignored): the JUnit file, the cassette of every request, the log.
  const dir = resolve(import.meta.dirname, "../../.tmp/fuzz");

  before(async function () {
    const installed = await ensureSchemathesis();
    if ("error" in installed) {
      // CI installs it before npm test (.ci/run): there, not having it is a failure.
      if (process.env.CI) throw new Error(installed.error);
      console.log(`      skipped: ${installed.error}`);
      this.skip();
    }
    st = installed.st;
    stack = await startApiStack("api_fuzz", {
      env: { RATE_LIMIT_PER_IP: "10000000", RATE_LIMIT_PER_WALLET: "10000000" },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  it(`answers ≥ ${MIN_REQUESTS} generated requests without a 5xx`, async () => {
    // One wallet with every role: signer-1 is a treasury member (signer comes from the
    // mirror), the others are granted in the database before it signs in.
    const wallet = stack.localnet.wallet("signer-1");
    await until("multisig members mirrored", async () => (await stack.deps.prisma.treasuryMember.count()) > 0, 30_000);
    await stack.deps.prisma.user.create({
      data: { wallet: wallet.publicKey.toBase58(), roles: ["user", "admin", "auditor", "developer"] },
    });
    const { token, session } = await stack.client.signIn(wallet);
    assert.deepEqual([...session.roles].sort(), ["admin", "auditor", "developer", "signer", "user"]);

    // Operations that would end the fuzzer's own session or never end (event streams).
    const doc = (await stack.client.get("/api/openapi.json")).body as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
    };
    const excluded = ["/api/v1/auth/logout"];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const streams = Object.values(ops).some((op) =>
        Object.values(op.responses ?? {}).some((r) => Object.keys(r.content ?? {}).includes("text/event-stream")),
      );
      if (streams) excluded.push(path);
    }
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);

    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const before = await requestsByStatus(stack.url);
    const args = [
      "run",
      `${stack.url}/api/openapi.json`,
      "--url",
      stack.url,
      "--header",
      `Authorization: Bearer ${token}`,
      "--checks",
      "not_a_server_error,response_schema_conformance",
      "--phases",
      "examples,coverage,fuzzing",
      "--max-examples",
      String(EXAMPLES),
      "--seed",
      String(SEED),
      "--workers",
      "2",
      "--request-timeout",
      "15",
      "--generation-database",
      "none",
      "--continue-on-failure",
      "--no-color",
      "--report",
      "junit",
      "--report-dir",
      dir,
      ...excluded.flatMap((p) => ["--exclude-path", p]),
    ];
    const started = Date.now();
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(st, args, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });
    const after = await requestsByStatus(stack.url);
    const served = new Map<number, number>();
    for (const [status, n] of after) served.set(status, n - (before.get(status) ?? 0));
    const total = [...served.values()].reduce((a, b) => a + b, 0);
    const byStatus = [...served.entries()]
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}: ${n}`)
      .join(", ");
    console.log(
      `      schemathesis ${SCHEMATHESIS_VERSION} (seed ${SEED}, ${EXAMPLES} examples per operation, ${operations} operations, ${excluded.length} excluded): ` +
        `${total} requests in ${((Date.now() - started) / 1000).toFixed(0)} s (${byStatus})`,
    );
    writeFileSync(join(dir, "schemathesis.log"), result.out);
    const errors = await serverErrors(stack.url);
    // Only the summary: the full log (tracebacks included) is in .tmp/fuzz/schemathesis.log.
    const summary = result.out.slice(Math.max(0, result.out.indexOf("=== FAILURES ===") - 40)).slice(0, 20_000);
    assert.deepEqual(errors, [], `5xx answers (see .tmp/fuzz/):\n${errors.join("\n")}\n${summary}`);
    assert.ok(total >= MIN_REQUESTS, `only ${total} requests were generated`);
    // JUnit: <failure> is a check that failed (5xx, a response off its schema); <error> is
    // schemathesis failing to generate (reported, not the API's fault).
    // schemathesis names the report junit-<timestamp>.xml.
    const report = readdirSync(dir).find((f) => /^junit.*\.xml$/.test(f));
    assert.ok(report, `no JUnit report in ${dir}`);
    const junit = readFileSync(join(dir, report), "utf8");
    // A passing case is a self-closing <testcase …/>; a failing one holds its <failure>.
    const cases = [...junit.matchAll(/<testcase [^>]*?name="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)];
    const failed = cases.filter((c) => /<failure/.test(c[2] ?? "")).map((c) => c[1]);
    const broken = cases.filter((c) => /<error/.test(c[2] ?? "")).map((c) => c[1]);
    if (broken.length) console.log(`      schemathesis could not generate for: ${broken.join(", ")}`);
    assert.ok(cases.length >= operations - excluded.length, `JUnit names only ${cases.length} operations`);
    assert.deepEqual(failed, [], `checks failed (see .tmp/fuzz/):\n${summary}`);
  });
});
