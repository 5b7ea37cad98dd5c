// Starts the localnet as its own process (as developers, services and CI run it)
// and waits for its ready line: for tests, benchmarks and the dev launcher.
import { join } from "node:path";
import { type Spawned, spawnReady } from "../spawn-ready.js";

export const LOCALNET_CLI = join(import.meta.dirname, "cli.ts");

export interface LocalnetReady {
  rpc: string;
  ws: string;
  usdcMint: string;
  wallets: string;
  programs: Array<{ name: string; id: string }>;
  fresh: boolean;
}

export type SpawnedLocalnet = Spawned<LocalnetReady>;

/** `args` are cli.ts flags; --port 0 and --ready-json are added. */
export function spawnLocalnetProcess(args: string[]): Promise<SpawnedLocalnet> {
  return spawnReady<LocalnetReady>("localnet", LOCALNET_CLI, ["--port", "0", "--ready-json", ...args]);
}
