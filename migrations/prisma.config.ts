import { defineConfig } from "prisma/config";

// `prisma generate` only: migrations are plain SQL applied by src/migrate.ts
// (Prisma's schema engine cannot be fetched on our machines).
export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "sql" },
});
