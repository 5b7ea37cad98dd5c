// Starts the localnet as its own process, as developers and the other services
// run it, and talks to it only over HTTP and WebSocket.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKeypair } from "@ece/sdk/node";
import { type Commitment, Connection, type Keypair } from "@solana/web3.js";
import { spawnLocalnetProcess } from "../../scripts/src/localnet/spawn.js";
import { until } from "./localnet-client.js";
import { spawnTestValidator } from "./test-validator.js";

/**
 * LOCALNET_TARGET=test-validator (set by against-test-validator.ts): spawnLocalnet
 * starts solana-test-validator instead, to run the same suites against a real node.
 */
export function onTestValidator(): boolean {
  return process.env.LOCALNET_TARGET === "test-validator";
}

/**
 * Waits that span finalization are multiplied by this: on solana-test-validator
 * slots take ~400 ms and a slot is finalized ~32 slots after it is confirmed
 * (here, by default, 100 ms and 4 slots).
 */
export const WAIT_SCALE = onTestValidator() ? 5 : 1;

/**
 * For a test (or a before hook) that depends on what only the localnet offers (a
 * slot time, a finality depth, a history size, an extension): skipped, with the
 * reason printed, when the suites run against solana-test-validator.
 */
export function localnetOnly(ctx: Mocha.Context, reason: string): void {
  if (!onTestValidator()) return;
  console.log(`      skipped on solana-test-validator: ${reason}`);
  ctx.skip();
}

/** Waits until `signature` is finalized, with time for the target's finality. */
export async function reachedFinalized(connection: Connection, signature: string): Promise<void> {
  await until(
    `${signature} finalized`,
    async () => (await connection.getSignatureStatuses([signature])).value[0]?.confirmationStatus === "finalized",
    10_000 * WAIT_SCALE,
  );
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
  if (onTestValidator()) return spawnTestValidator(opts);
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
