import { cuTable } from "./cu.js";

/** Mocha root hooks: print the compute-unit table once every suite has run. */
export const mochaHooks = {
  afterAll(): void {
    const table = cuTable();
    if (table) console.log(`\nCompute units per instruction (LiteSVM, Agave runtime)\n${table}\n`);
  },
};
