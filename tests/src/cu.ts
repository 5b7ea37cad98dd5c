// Compute units per instruction, collected by the suites and printed as a table
// at the end of the run (figures recorded in docs/benchmarks.md).
export interface CuRow {
  program: string;
  instruction: string;
  computeUnits: number;
  budget: number | null;
}

const rows = new Map<string, CuRow>();

/** Records the highest CU seen for an instruction and asserts its budget. */
export function recordCu(program: string, instruction: string, computeUnits: number, budget: number | null): void {
  const key = `${program}.${instruction}`;
  const prev = rows.get(key);
  if (!prev || computeUnits > prev.computeUnits) rows.set(key, { program, instruction, computeUnits, budget });
  if (budget !== null && computeUnits > budget) {
    throw new Error(`${key} used ${computeUnits} CU, over its budget of ${budget}`);
  }
}

export function cuTable(): string | null {
  if (rows.size === 0) return null;
  const header = "| program | instruction | CU (max seen) | budget |\n|---|---|---:|---:|";
  const body = cuRows().map((r) => `| ${r.program} | ${r.instruction} | ${r.computeUnits} | ${r.budget ?? "—"} |`);
  return [header, ...body].join("\n");
}

/** Every recorded row (for the benchmark, which writes them to a file: CU_TABLE_JSON). */
export const cuRows = (): CuRow[] =>
  [...rows.values()].sort((a, b) => `${a.program}${a.instruction}`.localeCompare(`${b.program}${b.instruction}`));
