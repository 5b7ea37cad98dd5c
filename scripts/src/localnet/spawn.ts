// Starts the localnet as its own process (as developers, services and CI run it)
// and waits for its ready line: for tests, benchmarks and the dev launcher.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const LOCALNET_CLI = join(import.meta.dirname, "cli.ts");

export interface LocalnetReady {
  rpc: string;
  ws: string;
  usdcMint: string;
  wallets: string;
  programs: Array<{ name: string; id: string }>;
  fresh: boolean;
}

export interface SpawnedLocalnet {
  ready: LocalnetReady;
  child: ChildProcess;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
}

/** Started nodes not yet gone: killed if this process exits first. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});

/** `args` are cli.ts flags; --port 0 and --ready-json are added. */
export async function spawnLocalnetProcess(args: string[]): Promise<SpawnedLocalnet> {
  const child = spawn(process.execPath, ["--import", "tsx", LOCALNET_CLI, "--port", "0", "--ready-json", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const ready = await new Promise<LocalnetReady>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        child.stdout?.off("data", onData);
        resolve(JSON.parse(line) as LocalnetReady);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`localnet exited with ${code} before it was ready:\n${stderr}`)));
  });
  return { ready, child, exited };
}
