// The auditor's explorer over a mirror of real program traffic: every filter
// returns exactly what SQL written independently (and the chain) says, pages
// cover each row once, the detail decodes, the CSV export equals the filtered set.
import assert from "node:assert/strict";
import { ECE_TREASURY_PROGRAM_ID } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import { prepareTraffic } from "../../scripts/src/traffic/index.js";
import type { ApiClient, ApiResponse } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { untilMirrored } from "../src/indexer.js";
import { call } from "../src/localnet-client.js";

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  assert.equal(field + row.join(""), "", "the CSV ends with CRLF");
  return rows;
}

describe("api: transactions (auditor explorer)", function () {
  this.timeout(240_000);
  let stack: ApiStack;
  let api: ApiClient;
  let auditor: string;
  let developer: string;
  let user: string;
  let total: number;

  const sql = async (text: string, params: unknown[] = []) =>
    (await stack.db.pool.query<{ signature: string }>(text, params)).rows.map((r) => r.signature);
  const ORDER = "ORDER BY slot DESC, signature DESC";

  /** Every signature the API lists for `query`, page by page; checks no page repeats a row. */
  async function listAll(query: string, limit = 200): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${cursor}` : "";
      const r: ApiResponse = await api.get(`/api/v1/transactions?limit=${limit}${query ? `&${query}` : ""}${after}`, {
        token: auditor,
      });
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      assert.ok(r.body.items.length <= limit);
      out.push(...r.body.items.map((t: { signature: string }) => t.signature));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.equal(new Set(out).size, out.length, `${query}: a row came twice`);
    return out;
  }

  before(async () => {
    stack = await startApiStack("api_transactions");
    api = stack.client;
    const traffic = await prepareTraffic({
      rpcUrl: stack.localnet.rpcUrl,
      walletsDir: stack.localnet.walletsDir,
      manifest: stack.manifest,
    });
    const stats = await traffic.run({ count: 650 });
    // (The setup's own transactions touch no followed address; the traffic's all do.)
    await untilMirrored(stack.db.pool, stats.signatures, 60_000);
    total = (await sql("SELECT signature FROM chain_transactions")).length;
    const a = newKeypair();
    const d = newKeypair();
    // Roles are granted off chain (users.roles) before the wallets sign in.
    await stack.deps.prisma.user.create({ data: { wallet: a.publicKey.toBase58(), roles: ["user", "auditor"] } });
    await stack.deps.prisma.user.create({ data: { wallet: d.publicKey.toBase58(), roles: ["user", "developer"] } });
    auditor = (await api.signIn(a)).token;
    developer = (await api.signIn(d)).token;
    user = (await api.signIn(newKeypair())).token;
  });
  after(async () => stack?.stop());

  it("lists every mirrored transaction newest first, each once, across pages", async () => {
    assert.ok(total > 600, `${total} mirrored`);
    const all = await listAll("", 37);
    assert.deepEqual(all, await sql(`SELECT signature FROM chain_transactions ${ORDER}`));
    const first = await api.get("/api/v1/transactions?limit=2", { token: auditor });
    const t = first.body.items[0];
    const row = (await stack.db.pool.query("SELECT * FROM chain_transactions WHERE signature = $1", [t.signature]))
      .rows[0];
    assert.equal(t.slot, Number(row.slot));
    assert.equal(t.success, row.success);
    assert.equal(t.signer, row.signer);
    assert.equal(t.blockTime, row.block_time?.toISOString() ?? null);
  });

  it("filters by wallet (any account), program, instruction, event, status and commitment exactly as SQL", async () => {
    const alice = stack.localnet.wallet("alice").publicKey.toBase58();
    const treasury = ECE_TREASURY_PROGRAM_ID.toBase58();
    const [common] = (
      await stack.db.pool.query<{ instruction: string }>(
        "SELECT instruction FROM chain_transactions WHERE instruction IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC",
      )
    ).rows;
    assert.ok(common);
    const cases: Array<[string, string, unknown[]]> = [
      [`wallet=${alice}`, "$1 = ANY(accounts)", [alice]],
      [`program=${treasury}`, "$1 = ANY(programs)", [treasury]],
      [`instruction=${common.instruction}`, "instruction = $1", [common.instruction]],
      [
        "event=ProposalExecuted",
        "signature IN (SELECT signature FROM chain_events WHERE name = $1)",
        ["ProposalExecuted"],
      ],
      ["status=failed", "NOT success", []],
      ["status=success", "success", []],
      [
        `program=${treasury}&status=success&event=ProposalApproved`,
        "$1 = ANY(programs) AND success AND signature IN (SELECT signature FROM chain_events WHERE name = $2)",
        [treasury, "ProposalApproved"],
      ],
      ["commitment=dropped", "commitment = 'dropped'", []],
    ];
    for (const [query, where, params] of cases) {
      const want = await sql(`SELECT signature FROM chain_transactions WHERE ${where} ${ORDER}`, params);
      const got = await listAll(query);
      assert.deepEqual(got, want, query);
      if (!query.startsWith("commitment"))
        assert.ok(want.length > 0 && want.length < total, `${query}: ${want.length}`);
    }
    // The chain agrees on the wallet: what it lists for alice and the mirror holds.
    const chain = new Set<string>();
    let before: string | undefined;
    for (;;) {
      const r = await call<Array<{ signature: string }>>(stack.localnet.rpcUrl, "getSignaturesForAddress", [
        alice,
        { limit: 1000, commitment: "confirmed", ...(before ? { before } : {}) },
      ]);
      const page = r.result ?? [];
      for (const s of page) chain.add(s.signature);
      if (page.length < 1000) break;
      before = page.at(-1)?.signature;
    }
    const mirrored = new Set(await sql("SELECT signature FROM chain_transactions"));
    const viaApi = await listAll(`wallet=${alice}`);
    assert.deepEqual(new Set(viaApi), new Set([...chain].filter((s) => mirrored.has(s))));
  });

  it("filters by time range and amount range exactly as SQL, and pages them", async () => {
    const { rows } = await stack.db.pool.query<{ lo: Date; hi: Date }>(
      `SELECT percentile_disc(0.3) WITHIN GROUP (ORDER BY block_time) AS lo,
              percentile_disc(0.6) WITHIN GROUP (ORDER BY block_time) AS hi FROM chain_transactions`,
    );
    const { lo, hi } = rows[0] as { lo: Date; hi: Date };
    const from = lo.toISOString();
    const to = hi.toISOString();
    const want = await sql(
      `SELECT signature FROM chain_transactions WHERE block_time >= $1 AND block_time <= $2 ${ORDER}`,
      [lo, hi],
    );
    assert.ok(want.length > 10 && want.length < total);
    assert.deepEqual(await listAll(`from=${from}&to=${to}`, 25), want);
    assert.deepEqual(
      await listAll(`from=${from}`),
      await sql(`SELECT signature FROM chain_transactions WHERE block_time >= $1 ${ORDER}`, [lo]),
    );
    assert.deepEqual(
      await listAll(`to=${to}&status=failed`),
      await sql(`SELECT signature FROM chain_transactions WHERE block_time <= $1 AND NOT success ${ORDER}`, [hi]),
    );

    const amounts = await stack.db.pool.query<{ lo: string; hi: string }>(
      `SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY amount)::text AS lo,
              percentile_disc(0.75) WITHIN GROUP (ORDER BY amount)::text AS hi
         FROM chain_instructions WHERE amount IS NOT NULL`,
    );
    const a = amounts.rows[0] as { lo: string; hi: string };
    const inRange = await sql(
      `SELECT signature FROM chain_transactions t WHERE EXISTS (SELECT 1 FROM chain_instructions i
         WHERE i.signature = t.signature AND i.amount BETWEEN $1 AND $2) ${ORDER}`,
      [a.lo, a.hi],
    );
    assert.ok(inRange.length > 0 && inRange.length < total);
    assert.deepEqual(await listAll(`minAmount=${a.lo}&maxAmount=${a.hi}`, 50), inRange);
    assert.deepEqual(
      await listAll(`minAmount=${a.hi}`),
      await sql(
        `SELECT signature FROM chain_transactions t WHERE EXISTS (SELECT 1 FROM chain_instructions i
           WHERE i.signature = t.signature AND i.amount >= $1) ${ORDER}`,
        [a.hi],
      ),
    );
    assert.deepEqual(await listAll("from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z"), []);
  });

  it("serves a transaction's decoded instructions, events, logs, links and compliance record", async () => {
    const [executed] = await sql(
      `SELECT t.signature FROM chain_transactions t WHERE t.instruction = 'execute' AND t.success
         AND EXISTS (SELECT 1 FROM chain_instructions i WHERE i.signature = t.signature AND i.inner_index >= 0)
       ${ORDER} LIMIT 1`,
    );
    assert.ok(executed, "traffic executed a proposal");
    await stack.deps.prisma.complianceCheck.create({
      data: {
        subjectType: "transaction",
        subjectId: executed,
        score: 42,
        reasons: [{ rule: "large", points: 42, detail: "test" }],
        inputs: {},
        ruleSetVersion: "test-1",
        decision: "review",
        recordHash: "cd".repeat(32),
      },
    });
    const r = await api.get(`/api/v1/transactions/${executed}`, { token: auditor });
    assert.equal(r.status, 200, r.text);
    const d = r.body;
    assert.equal(d.signature, executed);
    assert.equal(d.instruction, "execute");
    const ixCount = await stack.db.pool.query(
      "SELECT count(*)::int AS n FROM chain_instructions WHERE signature = $1",
      [executed],
    );
    assert.equal(d.instructions.length, ixCount.rows[0].n);
    const top = d.instructions.find((i: { name: string; innerIndex: number }) => i.name === "execute");
    assert.equal(top.innerIndex, -1);
    assert.ok(
      d.instructions.some((i: { innerIndex: number }) => i.innerIndex >= 0),
      "CPIs are listed",
    );
    assert.ok(d.events.some((e: { name: string }) => e.name === "ProposalExecuted"));
    assert.ok(d.logs.length > 0);
    assert.equal(d.links.self, `${stack.url}/api/v1/transactions/${executed}`);
    assert.equal(
      d.links.explorer,
      `https://explorer.solana.com/tx/${executed}?cluster=custom&customUrl=${encodeURIComponent(stack.localnet.rpcUrl)}`,
    );
    assert.equal(d.compliance.score, 42);
    assert.equal(d.compliance.decision, "review");

    const [failed] = await sql(
      `SELECT signature FROM chain_transactions WHERE NOT success AND error_name IS NOT NULL ${ORDER} LIMIT 1`,
    );
    const f = await api.get(`/api/v1/transactions/${failed}`, { token: auditor });
    assert.equal(f.status, 200);
    assert.equal(f.body.success, false);
    assert.ok(f.body.errorName);
    assert.notEqual(f.body.error, null);
    assert.deepEqual(f.body.events, []);
    assert.equal(f.body.compliance, null);

    const unknown = "1".repeat(88);
    assert.equal((await api.get(`/api/v1/transactions/${unknown}`, { token: auditor })).status, 404);
    assert.equal((await api.get("/api/v1/transactions/not-a-signature!", { token: auditor })).status, 400);
  });

  it("exports the filtered set as CSV, streamed in chunks, equal to the list", async () => {
    const r = await api.get("/api/v1/transactions/export.csv", { token: auditor });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(r.headers.get("content-disposition") ?? "", /^attachment; filename="transactions-.*\.csv"$/);
    const rows = parseCsv(r.text);
    assert.deepEqual(rows[0], [
      "signature",
      "slot",
      "block_time",
      "success",
      "error_name",
      "fee",
      "compute_units",
      "signer",
      "program",
      "instruction",
      "programs",
      "commitment",
    ]);
    const body = rows.slice(1);
    assert.ok(body.length > 500, `${body.length} rows: more than one chunk of 500`);
    assert.deepEqual(
      body.map((x) => x[0]),
      await sql(`SELECT signature FROM chain_transactions ${ORDER}`),
    );
    const one = (await stack.db.pool.query(`SELECT * FROM chain_transactions ${ORDER} LIMIT 1`)).rows[0];
    assert.deepEqual(body[0], [
      one.signature,
      String(one.slot),
      one.block_time?.toISOString() ?? "",
      String(one.success),
      one.error_name ?? "",
      String(one.fee),
      one.compute_units === null ? "" : String(one.compute_units),
      one.signer,
      one.program ?? "",
      one.instruction ?? "",
      one.programs.join(" "),
      one.commitment,
    ]);

    const failed = await api.get("/api/v1/transactions/export.csv?status=failed", { token: auditor });
    assert.deepEqual(
      parseCsv(failed.text)
        .slice(1)
        .map((x) => x[0]),
      await listAll("status=failed"),
    );
    const audits = await stack.deps.prisma.auditLog.findMany({ where: { action: "transactions.export" } });
    assert.equal(audits.length, 2);
    assert.deepEqual(audits.map((a) => a.after).at(-1), { filters: { status: "failed" } });
  });

  it("aggregates per UTC day: transactions, failures and transfer volume per mint, as the rows add up", async () => {
    const r = await api.get("/api/v1/transactions/daily?days=7", { token: auditor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.items.length, 7);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(r.body.items[6].day, today);
    const { rows } = await stack.db.pool.query<{ block_time: Date; success: boolean; signature: string }>(
      "SELECT signature, block_time, success FROM chain_transactions WHERE commitment <> 'dropped' AND block_time IS NOT NULL",
    );
    const days = new Map<string, { n: number; failed: number }>();
    for (const t of rows) {
      const d = t.block_time.toISOString().slice(0, 10);
      const x = days.get(d) ?? { n: 0, failed: 0 };
      x.n += 1;
      if (!t.success) x.failed += 1;
      days.set(d, x);
    }
    const ok = new Set(rows.filter((t) => t.success).map((t) => t.signature));
    const moved = new Map<string, bigint>();
    const ins = await stack.db.pool.query<{ signature: string; block_time: Date; mint: string; amount: string }>(
      `SELECT signature, block_time, mint, amount::text FROM chain_instructions
        WHERE name IN ('transfer', 'transferChecked') AND mint IS NOT NULL AND amount IS NOT NULL`,
    );
    for (const i of ins.rows)
      if (ok.has(i.signature) && i.block_time.toISOString().slice(0, 10) === today)
        moved.set(i.mint, (moved.get(i.mint) ?? 0n) + BigInt(i.amount));
    for (const item of r.body.items) {
      assert.equal(item.transactions, days.get(item.day)?.n ?? 0, item.day);
      assert.equal(item.failed, days.get(item.day)?.failed ?? 0, item.day);
    }
    assert.ok(r.body.items[6].transactions > 0 && r.body.items[6].failed > 0, "the traffic ran today, with failures");
    assert.deepEqual(r.body.items[6].volume, Object.fromEntries([...moved].map(([m, v]) => [m, v.toString()])));
    assert.equal((await api.get("/api/v1/transactions/daily?days=0", { token: auditor })).status, 400);
    assert.equal((await api.get("/api/v1/transactions/daily", { token: user })).status, 403);
  });

  it("refuses callers without the auditor's permissions", async () => {
    for (const path of [
      "/api/v1/transactions",
      "/api/v1/transactions/export.csv",
      `/api/v1/transactions/${"1".repeat(88)}`,
    ]) {
      assert.equal((await api.get(path, { token: user })).status, 403, path);
      assert.equal((await api.get(path)).status, 401, path);
    }
    // A developer reads but does not export.
    assert.equal((await api.get("/api/v1/transactions?limit=1", { token: developer })).status, 200);
    assert.equal((await api.get("/api/v1/transactions/export.csv", { token: developer })).status, 403);
  });

  it("refuses malformed filters with 400", async () => {
    const forged = Buffer.from(JSON.stringify(["not-a-slot", "x"])).toString("base64url");
    for (const q of [
      "cursor=garbage",
      `cursor=${forged}`,
      "from=yesterday",
      "to=2026-13-45T00:00:00Z",
      "minAmount=10&maxAmount=5",
      "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
      "minAmount=-1",
      "wallet=0OIl",
      "status=maybe",
      "limit=0",
      "limit=201",
      "sort=asc",
    ]) {
      const r = await api.get(`/api/v1/transactions?${q}`, { token: auditor });
      assert.equal(r.status, 400, `${q}: ${r.status} ${r.text}`);
      assert.ok(r.body.error.code);
    }
    const csv = await api.get("/api/v1/transactions/export.csv?minAmount=10&maxAmount=5", { token: auditor });
    assert.equal(csv.status, 400);
  });
});
