import { DEFAULT_DATABASE_URL, migrate } from "./migrate.js";

// `npm run db:migrate`: applies the pending migrations of migrations/sql to DATABASE_URL.
try {
  const applied = await migrate(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { log: console.log });
  if (applied.length === 0) console.log("up to date");
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
