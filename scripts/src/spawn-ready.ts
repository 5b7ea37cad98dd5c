// Starts a TypeScript entry point as its own process and waits for the one JSON
// line it prints on stdout when it is ready: the localnet, the indexer, the API.
import { type ChildProcess, spawn } from "node:child_process";

export interface Spawned<T> {
  ready: T;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (its logs). */
  stderr(): string;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
}

/** Started processes not yet gone: killed if this process exits first. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});

export async function spawnReady<T>(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Spawned<T>> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    // Bounded: a long-running process logs a lot; the tail explains a failure.
    stderr = (stderr + d.toString()).slice(-200_000);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const ready = await new Promise<T>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        child.stdout?.off("data", onData);
        resolve(JSON.parse(line) as T);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${stderr}`)));
  });
  return { ready, child, exited, stderr: () => stderr };
}
