// Compute units per instruction: the program suites (LiteSVM) record the highest count each
// instruction reached and fail over its budget; this runs them and tables what they saw.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CuRow } from "../../../tests/src/cu.js";
import type { Row } from "./localnet.js";

const ROOT = join(import.meta.dirname, "../../..");

export async function cuBench(): Promise<{ rows: Row[]; notes: string[] }> {
  const out = join(mkdtempSync(join(tmpdir(), "ece-cu-")), "cu.json");
  const started = Date.now();
  execFileSync("npx", ["mocha", "--reporter", "dot", "tests/programs/**/*.test.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CU_TABLE_JSON: out },
  });
  const rows = JSON.parse(readFileSync(out, "utf8")) as CuRow[];
  return {
    rows: rows.map((r) => ({
      measure: `${r.program}: ${r.instruction}`,
      value: r.computeUnits.toLocaleString("en-US"),
      target: r.budget === null ? "—" : r.budget.toLocaleString("en-US"),
      extra: r.budget === null ? "—" : r.computeUnits <= r.budget ? "met" : "missed",
    })),
    notes: [
      `the highest count over every successful call in tests/programs (LiteSVM 1.5.0, p-token as SPL Token), ${rows.length} instructions, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      "compute units are deterministic: the suites fail above a budget",
    ],
  };
}
