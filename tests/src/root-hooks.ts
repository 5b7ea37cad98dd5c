import { writeFileSync } from "node:fs";
import { cuRows, cuTable } from "./cu.js";
import { ensureServices } from "./services.js";

// Before any suite is loaded: Postgres and Redis, the machine's or the run's own.
const services = await ensureServices();
Object.assign(process.env, services.env);
for (const [k, v] of Object.entries(services.env))
  console.log(`(nothing on the default address: ${k}=${v}, started for this run)`);

/** Mocha root hooks: print the compute-unit table once every suite has run; stop the run's own services. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    const table = cuTable();
    if (table) console.log(`\nCompute units per instruction (LiteSVM, Agave runtime)\n${table}\n`);
    // `npm run bench -- cu` reads the rows from here.
    if (process.env.CU_TABLE_JSON) writeFileSync(process.env.CU_TABLE_JSON, JSON.stringify(cuRows()));
    await services.stop();
  },
};
