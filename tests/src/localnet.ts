// Starts the localnet as its own process, as developers and the other services
// run it, and talks to it only over HTTP and WebSocket.
import { type ChildProcess, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKeypair } from "@ece/sdk/node";
import { type Commitment, Connection, type Keypair } from "@solana/web3.js";
import { spawnLocalnetProcess } from "../../scripts/src/localnet/spawn.js";

/** Whether `solana-test-validator` (Solana CLI) is on PATH, to run a suite against it too. */
export function testValidatorAvailable(): boolean {
  const probe = spawnSync("solana-test-validator", ["--version"], { stdio: "ignore", timeout: 10_000 });
  return probe.error === undefined && probe.status === 0;
}

export interface LocalnetProcess {
  rpcUrl: string;
  wsUrl: string;
  usdcMint: string;
  walletsDir: string;
  fresh: boolean;
  child: ChildProcess;
  wallet(name: string): Keypair;
  /** A web3.js Connection to the node; its WebSocket is closed by stop()/kill(). */
  connection(commitment?: Commitment): Connection;
  /** Stops it with SIGTERM (a clean shutdown) and waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown at all. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  slotMs?: number;
  finality?: number;
  stateDir?: string;
  walletsDir?: string;
  reset?: boolean;
  extraArgs?: string[];
}

export async function spawnLocalnet(opts: SpawnOptions = {}): Promise<LocalnetProcess> {
  const ownWallets = opts.walletsDir === undefined;
  const walletsDir = opts.walletsDir ?? mkdtempSync(join(tmpdir(), "ece-wallets-"));
  const { ready, child, exited } = await spawnLocalnetProcess([
    "--wallets",
    walletsDir,
    "--slot-ms",
    String(opts.slotMs ?? 100),
    "--finality",
    String(opts.finality ?? 4),
    ...(opts.stateDir ? ["--state", opts.stateDir] : []),
    ...(opts.reset ? ["--reset"] : []),
    ...(opts.extraArgs ?? []),
  ]);
  const connections: Connection[] = [];
  // web3.js has no close(); without this its WebSocket client reconnects forever
  // once the node is gone and keeps the test process alive.
  const closeConnections = () => {
    for (const c of connections) (c as unknown as { _rpcWebSocket: { close(): void } })._rpcWebSocket.close();
  };
  const stop = async (): Promise<number | null> => {
    closeConnections();
    if (child.exitCode === null) child.kill("SIGTERM");
    const code = await exited;
    if (ownWallets) rmSync(walletsDir, { recursive: true, force: true });
    return code;
  };
  return {
    rpcUrl: ready.rpc,
    wsUrl: ready.ws,
    usdcMint: ready.usdcMint,
    walletsDir,
    fresh: ready.fresh,
    child,
    wallet: (name) => readKeypair(join(walletsDir, `${name}.json`)),
    connection: (commitment = "confirmed") => {
      const c = new Connection(ready.rpc, { commitment, wsEndpoint: ready.ws });
      connections.push(c);
      return c;
    },
    stop,
    kill: async () => {
      closeConnections();
      child.kill("SIGKILL");
      await exited;
    },
  };
}
