// npm run bench: runs the benchmarks, prints their tables and rewrites their
// sections of docs/benchmarks.md (between <!-- bench:NAME --> markers).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localnetBench, type Row } from "./localnet.js";

const DOC = join(import.meta.dirname, "../../../docs/benchmarks.md");

function table(rows: Row[]): string {
  const header = "| measure | value | target | solana-test-validator |\n| --- | ---: | ---: | --- |";
  return [header, ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.target} | ${r.testValidator} |`)].join("\n");
}

function replaceSection(doc: string, name: string, body: string): string {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/benchmarks.md has no ${open} … ${close} section`);
  return `${doc.slice(0, start + open.length)}\n${body}\n${doc.slice(end)}`;
}

const date = new Date().toISOString().slice(0, 10);
const localnet = await localnetBench();
const body = [table(localnet.rows), "", `Measured ${date}, ${localnet.notes.join("; ")}.`].join("\n");
console.log(`\nLocalnet\n${body}\n`);
writeFileSync(DOC, replaceSection(readFileSync(DOC, "utf8"), "localnet", body));
console.log("docs/benchmarks.md updated");
