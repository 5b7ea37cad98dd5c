import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/ece";

/** migrations/sql, next to this package's src/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../sql", import.meta.url));

export interface MigrateOptions {
  /** Folder holding `<name>/migration.sql`; defaults to migrations/sql. */
  dir?: string;
  /** Called with one line per applied migration. */
  log?: (line: string) => void;
}

/** The key `prisma migrate` locks too, so our runner and Prisma's never interleave. */
const ADVISORY_LOCK_KEY = 72707369;

/** Prisma's own DDL for its history table, so `prisma migrate status` can read ours. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Applies the pending migrations of `dir` to the database at `databaseUrl` (created if absent)
 * and returns their names. Each migration runs in one transaction with its `_prisma_migrations`
 * row, so a failing one leaves neither DDL nor record behind.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = await readMigrations(options.dir ?? MIGRATIONS_DIR);
  await ensureDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Session-level lock: concurrent runners wait here and then find nothing left to do.
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const applied = await appliedMigrations(client);
    checkHistory(applied, migrations);
    const done: string[] = [];
    for (const migration of migrations.filter((m) => !applied.has(m.name))) {
      await apply(client, migration);
      options.log?.(`applied ${migration.name}`);
      done.push(migration.name);
    }
    return done;
  } finally {
    // Closing the session releases the advisory lock.
    await client.end();
  }
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name, "migration.sql"));
      // Prisma's checksum: sha256 of the file's bytes, in hex.
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    }),
  );
}

/** Creates the database through the server's `postgres` database; tolerates a concurrent creator. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (name === "" || name === "postgres") return;
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } catch (error) {
    // 42P04 duplicate_database, or 23505 when two CREATE DATABASE race on pg_database's index.
    const code = (error as { code?: string }).code;
    if (code !== "42P04" && code !== "23505") throw error;
  } finally {
    await admin.end();
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/** The live history, keyed by name; rolled-back rows are ignored as Prisma does. */
async function appliedMigrations(client: pg.Client): Promise<Map<string, AppliedRow>> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

function checkHistory(applied: Map<string, AppliedRow>, migrations: MigrationFile[]): void {
  const onDisk = new Map(migrations.map((m) => [m.name, m]));
  for (const row of applied.values()) {
    if (row.finished_at === null) {
      throw new Error(
        `migration ${row.migration_name} is recorded as failed in _prisma_migrations; ` +
          "repair the database and mark it rolled back before migrating again",
      );
    }
    const file = onDisk.get(row.migration_name);
    if (!file) throw new Error(`migration ${row.migration_name} was applied but is missing on disk`);
    if (file.checksum !== row.checksum) {
      throw new Error(
        `migration ${row.migration_name} was modified after it was applied ` +
          `(checksum ${row.checksum} in the database, ${file.checksum} on disk)`,
      );
    }
  }
}

async function apply(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    // No parameters: pg uses the simple query protocol, which runs a multi-statement script.
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
