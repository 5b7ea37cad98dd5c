import { randomBytes } from "node:crypto";
import { createPrisma, migrate, type PrismaClient } from "@ece/db";
import pg from "pg";

/** A throwaway database of its own per suite, so suites can run side by side and leave nothing behind. */
export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Server the test databases are created on (its database names the one to connect to for CREATE/DROP). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A new database with every migration applied. */
export async function freshDatabase(label: string): Promise<TestDatabase> {
  const db = await emptyDatabase(label);
  try {
    await migrate(db.url);
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}

/** A new database with nothing in it (not even `_prisma_migrations`). */
export async function emptyDatabase(label: string): Promise<TestDatabase> {
  // Postgres folds unquoted names to lowercase and cuts identifiers at 63 bytes.
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 30);
  const name = `ece_test_${slug}_${randomBytes(4).toString("hex")}`;
  await onServer(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = databaseUrl(name);
  const prisma = createPrisma(url);
  const pool = new pg.Pool({ connectionString: url });
  return {
    url,
    prisma,
    pool,
    async drop() {
      await prisma.$disconnect();
      await pool.end();
      // FORCE: a test that failed midway may still hold connections.
      await onServer(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    },
  };
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the test server's own database (CREATE/DROP DATABASE cannot run inside the target). */
export async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
