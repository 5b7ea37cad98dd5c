import { writeFileSync } from "node:fs";
import { cuRows, cuTable } from "./cu.js";

/** Mocha root hooks: print the compute-unit table once every suite has run. */
export const mochaHooks = {
  afterAll(): void {
    const table = cuTable();
    if (table) console.log(`\nCompute units per instruction (LiteSVM, Agave runtime)\n${table}\n`);
    // `npm run bench -- cu` reads the rows from here.
    if (process.env.CU_TABLE_JSON) writeFileSync(process.env.CU_TABLE_JSON, JSON.stringify(cuRows()));
  },
};
