import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_DIR, migrate } from "@ece/db";
import pg from "pg";
import { databaseUrl, emptyDatabase, onServer, type TestDatabase } from "../src/db.js";

/** A migrations folder of our own, so a test can edit and delete files. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ece-migrations-"));
  await Promise.all(Object.entries(files).map(([name, sql]) => writeMigration(dir, name, sql)));
  return dir;
}

async function writeMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, "migration.sql"), sql);
}

async function history(pool: pg.Pool): Promise<{ migration_name: string; checksum: string }[]> {
  const { rows } = await pool.query(
    `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

async function tableExists(pool: pg.Pool, table: string): Promise<boolean> {
  const { rows } = await pool.query("SELECT to_regclass($1) IS NOT NULL AS exists", [table]);
  return rows[0].exists;
}

describe("db: migration runner", () => {
  const cleanup: (() => Promise<void>)[] = [];
  async function database(label: string): Promise<TestDatabase> {
    const db = await emptyDatabase(label);
    cleanup.push(() => db.drop());
    return db;
  }
  async function dir(files: Record<string, string>): Promise<string> {
    const path = await migrationsDir(files);
    cleanup.push(() => rm(path, { recursive: true, force: true }));
    return path;
  }
  afterEach(async () => {
    for (const undo of cleanup.splice(0)) await undo();
  });

  it("applies the repository's migrations to an empty database, then nothing on a second run", async () => {
    const db = await database("runner");
    const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory());
    const logged: string[] = [];
    const applied = await migrate(db.url, { log: (line) => logged.push(line) });
    assert.deepEqual(
      applied,
      names.map((e) => e.name),
    );
    assert.deepEqual(
      logged,
      applied.map((name) => `applied ${name}`),
    );
    // Recorded the way `prisma migrate deploy` records: sha256 of the file, finished, one step.
    const { rows } = await db.pool.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at, applied_steps_count
       FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const expected = await Promise.all(
      applied.map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(join(MIGRATIONS_DIR, name, "migration.sql")))
          .digest("hex"),
        finished: true,
        rolled_back_at: null,
        applied_steps_count: 1,
      })),
    );
    assert.deepEqual(rows, expected);

    assert.deepEqual(await migrate(db.url), []);
    assert.equal((await history(db.pool)).length, applied.length);
  });

  it("refuses a migration whose file changed after it was applied, naming it", async () => {
    const db = await database("checksum");
    const path = await dir({ "001_a": "CREATE TABLE a (id INT);" });
    await migrate(db.url, { dir: path });
    await writeMigration(path, "001_a", "CREATE TABLE a (id BIGINT);");
    await assert.rejects(migrate(db.url, { dir: path }), /migration 001_a was modified after it was applied/);
  });

  it("rolls back a failing migration: neither its DDL nor its record remain", async () => {
    const db = await database("failing");
    const path = await dir({
      "001_ok": "CREATE TABLE ok (id INT);",
      "002_bad": "CREATE TABLE partial (id INT);\nSELECT no_such_function();",
    });
    await assert.rejects(migrate(db.url, { dir: path }), /migration 002_bad failed: .*no_such_function/);
    assert.equal(await tableExists(db.pool, "ok"), true);
    assert.equal(await tableExists(db.pool, "partial"), false);
    assert.deepEqual(
      (await history(db.pool)).map((r) => r.migration_name),
      ["001_ok"],
    );

    // Fixed, it applies on the next run.
    await writeMigration(path, "002_bad", "CREATE TABLE partial (id INT);");
    assert.deepEqual(await migrate(db.url, { dir: path }), ["002_bad"]);
  });

  it("refuses when an applied migration is missing on disk, naming it", async () => {
    const db = await database("missing");
    const path = await dir({ "001_a": "CREATE TABLE a (id INT);", "002_b": "CREATE TABLE b (id INT);" });
    await migrate(db.url, { dir: path });
    await rm(join(path, "001_a"), { recursive: true });
    await assert.rejects(migrate(db.url, { dir: path }), /migration 001_a was applied but is missing on disk/);
  });

  it("refuses while a failed migration is recorded (as `prisma migrate deploy` leaves one)", async () => {
    const db = await database("recorded_failure");
    const path = await dir({ "001_a": "CREATE TABLE a (id INT);" });
    await migrate(db.url, { dir: path });
    await db.pool.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, '002_half_done')`,
      [randomBytes(16).toString("hex"), "0".repeat(64)],
    );
    await writeMigration(path, "002_half_done", "CREATE TABLE b (id INT);");
    await assert.rejects(migrate(db.url, { dir: path }), /migration 002_half_done is recorded as failed/);
  });

  it("creates a missing database, and two concurrent runners apply each migration once", async () => {
    const name = `ece_test_concurrent_${randomBytes(4).toString("hex")}`;
    const url = databaseUrl(name);
    cleanup.push(() => onServer(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    const path = await dir({
      // Slow enough that the second runner arrives while the first holds the lock.
      "001_slow": "SELECT pg_sleep(0.3); CREATE TABLE a (id INT);",
      "002_b": "CREATE TABLE b (id INT);",
    });
    // allSettled: both runners finish before the assertions (and the cleanup) whatever happens.
    const results = await Promise.allSettled([migrate(url, { dir: path }), migrate(url, { dir: path })]);
    const [first = [], second = []] = results.map((r) => {
      if (r.status === "rejected") throw r.reason;
      return r.value;
    });
    assert.deepEqual([...first, ...second].sort(), ["001_slow", "002_b"]);
    assert.ok(first.length === 0 || second.length === 0, "one runner applied everything, the other nothing");

    const pool = new pg.Pool({ connectionString: url });
    try {
      assert.deepEqual(
        (await history(pool)).map((r) => r.migration_name),
        ["001_slow", "002_b"],
      );
    } finally {
      await pool.end();
    }
  });
});
