// The production build served by `next start` on a free port, for the scripts that load it
// as a browser would: the bundle-size table, the browser tests and the web benchmark.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";

export const APP = join(import.meta.dirname, "..");
const START_TIMEOUT_MS = 60_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `next build` once, when the tree has no build (`npm test` and CI build it first). */
export function ensureBuilt(): void {
  if (existsSync(join(APP, ".next", "BUILD_ID"))) return;
  execFileSync("npm", ["run", "-w", "@ece/app", "build"], { cwd: join(APP, ".."), stdio: "inherit" });
}

export interface ServedApp {
  url: string;
  port: number;
  child: ChildProcess;
  /** The last of what it printed (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** `next dev --webpack` instead of the build (`npm run dev`): ready once the first page is compiled. */
  dev?: boolean;
  timeoutMs?: number;
}

/** `next start` of the build (or `next dev`) on 127.0.0.1 (`port`, else a free one); resolves once it answers. */
export async function serveApp(opts: ServeOptions = {}): Promise<ServedApp> {
  const port = opts.port ?? (await freePort());
  const next = createRequire(join(APP, "package.json")).resolve("next/dist/bin/next");
  const command = opts.dev ? ["dev", "--webpack"] : ["start"];
  const what = `next ${command[0]}`;
  const timeoutMs = opts.timeoutMs ?? START_TIMEOUT_MS;
  const child = spawn(process.execPath, [next, ...command, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      ...opts.env,
      NODE_ENV: opts.dev ? "development" : "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
    child.kill("SIGKILL");
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited:\n${output}`);
    const up = await fetch(`${url}/`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (up) return { url, port, child, output: () => output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${what} did not answer in ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
