export { createPrisma } from "./client.js";
export * from "./generated/client.js";
export { DEFAULT_DATABASE_URL, MIGRATIONS_DIR, type MigrateOptions, migrate } from "./migrate.js";
