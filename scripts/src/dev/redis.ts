// The dev launcher's Redis when REDIS_URL is not set: a `redis-server` found on PATH, on
// a port of its own, its data in the state directory (append-only file, so sessions and
// queued jobs survive a restart).
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";

export const NO_REDIS = `no Redis: REDIS_URL is not set and no redis-server is on PATH.
Install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)
or point the launcher at a running Redis: REDIS_URL=redis://127.0.0.1:6379 npm run dev`;

/** The first executable `name` on PATH, or null. */
export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return null;
}

export interface RedisServer {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** What it printed (its log), for a failure's cause. */
  output(): string;
}

export function startRedisServer(binary: string, dir: string, port: number): Promise<RedisServer> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    binary,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--save",
      "",
      "--daemonize",
      "no",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const append = (d: Buffer) => {
    output = (output + d.toString()).slice(-50_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!output.includes("Ready to accept connections")) return;
      child.stdout?.off("data", onData);
      resolve({ url: `redis://127.0.0.1:${port}`, child, exited, output: () => output });
    };
    child.stdout?.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)));
  });
}
