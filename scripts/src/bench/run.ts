// npm run bench: runs the benchmarks, prints their tables and rewrites their
// sections of docs/benchmarks.md (between <!-- bench:NAME --> markers).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { apiBench } from "./api.js";
import { cuBench } from "./cu.js";
import { indexerBench } from "./indexer.js";
import { localnetBench, type Row } from "./localnet.js";
import { payoutsBench } from "./payouts.js";
import { webBench } from "./web.js";

const DOC = join(import.meta.dirname, "../../../docs/benchmarks.md");

/** What each benchmark's last column holds. */
const LAST_COLUMN: Record<string, string> = {
  cu: "budget met",
  localnet: "solana-test-validator",
  indexer: "note",
  api: "target met",
  payouts: "target met",
  web: "target met",
};

function table(name: string, rows: Row[]): string {
  const header = `| measure | value | target | ${LAST_COLUMN[name] ?? "note"} |\n| --- | ---: | ---: | --- |`;
  return [header, ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.target} | ${r.extra} |`)].join("\n");
}

function replaceSection(doc: string, name: string, body: string): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${open} … ${close} section`);
  return `${doc.slice(0, start + open.length)}\n${body}\n${doc.slice(end)}`;
}

// `npm run bench` runs every benchmark; `npm run bench -- indexer` only the named ones.
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "indexer-minutes": { type: "string", default: "10" },
    "indexer-backlog": { type: "string", default: "20000" },
    // The generator's target; proposal flows wait on confirmations, so the rate reached is lower (reported).
    "indexer-rate": { type: "string", default: "220" },
    "api-transactions": { type: "string", default: "1000000" },
    "api-cards": { type: "string", default: "10000" },
    "api-seconds": { type: "string", default: "10" },
    "api-connections": { type: "string", default: "48" },
    "payouts-payees": { type: "string", default: "1000" },
    "payouts-synthetic": { type: "string", default: "10000" },
    "payouts-concurrency": { type: "string", default: "64" },
    "web-runs": { type: "string", default: "20" },
  },
});
const benches: Record<string, () => Promise<{ rows: Row[]; notes: string[] }>> = {
  cu: cuBench,
  localnet: localnetBench,
  indexer: () =>
    indexerBench({
      minutes: Number(values["indexer-minutes"]),
      backlog: Number(values["indexer-backlog"]),
      rate: Number(values["indexer-rate"]),
    }),
  api: () =>
    apiBench({
      transactions: Number(values["api-transactions"]),
      cards: Number(values["api-cards"]),
      seconds: Number(values["api-seconds"]),
      connections: Number(values["api-connections"]),
    }),
  payouts: () =>
    payoutsBench({
      payees: Number(values["payouts-payees"]),
      synthetic: Number(values["payouts-synthetic"]),
      concurrency: Number(values["payouts-concurrency"]),
    }),
  web: () => webBench({ runs: Number(values["web-runs"]) }),
};
const chosen = positionals.length > 0 ? positionals : Object.keys(benches);
const machine = `${cpus().length} cores: ${cpus()[0]?.model ?? "unknown CPU"}`;
for (const name of chosen) {
  const bench = benches[name];
  if (!bench) throw new Error(`no benchmark "${name}"; there are: ${Object.keys(benches).join(", ")}`);
  const result = await bench();
  const date = new Date().toISOString().slice(0, 10);
  const body = [table(name, result.rows), "", `Measured ${date} on ${machine}; ${result.notes.join("; ")}.`].join("\n");
  console.log(`\n${name}\n${body}\n`);
  writeFileSync(DOC, replaceSection(readFileSync(DOC, "utf8"), name, body));
  // The repository's formatter aligns the tables; the document must stay lint-clean.
  execFileSync("npx", ["biome", "format", "--write", DOC], { stdio: "ignore" });
  console.log(`docs/benchmarks.md: ${name} updated`);
}
