// Starts solana-test-validator (Solana CLI) in place of the localnet, with the same
// world a fresh localnet has — the ECE programs at their IDs, the dev wallets with
// SOL and USDC, the USDC-like mint — so the localnet suites can run against a real
// node to compare (LOCALNET_TARGET=test-validator, see against-test-validator.ts).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKeypair, signTransaction } from "@ece/sdk/node";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import {
  type Commitment,
  Connection,
  type Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import { anchorPrograms } from "../../scripts/src/anchor-programs.js";
import { DEV_SOL, DEV_USDC, USDC_DECIMALS } from "../../scripts/src/localnet/genesis.js";
import { DEV_WALLETS, type DevWallets, loadDevWallets, wallet } from "../../scripts/src/localnet/wallets.js";
import type { LocalnetProcess, SpawnOptions } from "./localnet.js";
import { rpc, type SignatureStatus, sleep } from "./localnet-client.js";

const BINARY = "solana-test-validator";
/** Agave's default epoch length; --slots-per-epoch also turns off warmup epochs, as on the localnet. */
const SLOTS_PER_EPOCH = 432_000;
const STARTUP_MS = 120_000;
/** A slot is finalized ~32 slots (~13 s) after it is confirmed. */
const FINALIZE_MS = 90_000;

/** Whether `solana-test-validator` (Solana CLI) is on PATH, to run the localnet suites against it too. */
export function testValidatorAvailable(): boolean {
  const probe = spawnSync(BINARY, ["--version"], { stdio: "ignore", timeout: 10_000 });
  return probe.error === undefined && probe.status === 0;
}

/** Validators not yet gone: killed if this process exits first. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of running) c.kill("SIGKILL");
});

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A free port whose next port is free too: the validator serves PubSub on RPC port + 1. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    if (port < 65_535 && (await portFree(port + 1))) return port;
  }
  throw new Error("no two consecutive free ports for the validator's RPC and PubSub");
}

/** Polls getSignatureStatuses until every signature has reached `level`; throws if one failed. */
async function settle(url: string, signatures: string[], level: Commitment, timeoutMs: number): Promise<void> {
  const order = ["processed", "confirmed", "finalized"];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { value } = await rpc<{ value: Array<SignatureStatus | null> }>(url, "getSignatureStatuses", [
      signatures,
      { searchTransactionHistory: true },
    ]);
    const failed = value.findIndex((s) => s !== null && s.err !== null);
    if (failed >= 0)
      throw new Error(`genesis transaction ${signatures[failed]} failed: ${JSON.stringify(value[failed])}`);
    if (value.every((s) => s !== null && order.indexOf(s.confirmationStatus) >= order.indexOf(level))) return;
    if (Date.now() > deadline) throw new Error(`genesis transactions not ${level} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** Signs and sends (preflight at confirmed); returns the signature. */
async function sendSigned(
  connection: Connection,
  ixs: TransactionInstruction[],
  payer: Keypair,
  signers: Keypair[] = [],
): Promise<string> {
  const tx = new Transaction().add(...ixs);
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = (await connection.getLatestBlockhash("confirmed")).blockhash;
  return connection.sendRawTransaction(signTransaction(tx, [payer, ...signers]), {
    preflightCommitment: "confirmed",
  });
}

/**
 * What the localnet's genesis makes (scripts/src/localnet/genesis.ts), made here
 * through RPC: DEV_SOL SOL for each dev wallet (from the validator's faucet), the
 * USDC-like mint at the wallets' usdc-mint.json (mint authority: deployer) and
 * DEV_USDC USDC in each wallet's associated token account. Waits until all of it
 * is finalized: reads default to finalized, and the localnet serves genesis
 * finalized from the first request on.
 */
async function fundDevWallets(url: string, dev: DevWallets): Promise<void> {
  const connection = new Connection(url, "confirmed");
  const keys = DEV_WALLETS.map((name) => wallet(dev, name));
  const airdrops = await Promise.all(
    keys.map((k) => connection.requestAirdrop(k.publicKey, DEV_SOL * LAMPORTS_PER_SOL)),
  );
  await settle(url, airdrops, "confirmed", FINALIZE_MS);

  const deployer = wallet(dev, "deployer");
  const mint = dev.usdcMint.publicKey;
  const created = await sendSigned(
    connection,
    [
      SystemProgram.createAccount({
        fromPubkey: deployer.publicKey,
        newAccountPubkey: mint,
        lamports: await connection.getMinimumBalanceForRentExemption(MINT_SIZE),
        space: MINT_SIZE,
        programId: TOKEN_PROGRAM_ID,
      }),
      createInitializeMint2Instruction(mint, USDC_DECIMALS, deployer.publicKey, null),
    ],
    deployer,
    [dev.usdcMint],
  );
  await settle(url, [created], "confirmed", FINALIZE_MS);

  const amount = BigInt(DEV_USDC) * 10n ** BigInt(USDC_DECIMALS);
  const minted = await Promise.all(
    keys.map((k) => {
      const ata = getAssociatedTokenAddressSync(mint, k.publicKey);
      return sendSigned(
        connection,
        [
          createAssociatedTokenAccountIdempotentInstruction(deployer.publicKey, ata, k.publicKey, mint),
          createMintToInstruction(mint, ata, deployer.publicKey, amount),
        ],
        deployer,
      );
    }),
  );
  await settle(url, [...airdrops, created, ...minted], "finalized", FINALIZE_MS);
}

async function waitHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${BINARY} exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output()}`);
    }
    try {
      if ((await rpc(url, "getHealth")) === "ok") return;
    } catch {
      // Not serving yet, or still catching up ("Node is unhealthy").
    }
    if (Date.now() > deadline) throw new Error(`${BINARY} not healthy after ${STARTUP_MS} ms:\n${output()}`);
    await sleep(250);
  }
}

/**
 * Starts solana-test-validator on free ports with a fresh ledger in a temporary
 * directory and the localnet's genesis; the same interface as spawnLocalnet.
 *
 * Ignored, as the validator cannot honour them: slotMs (its slots are ~400 ms),
 * finality (a slot is finalized ~32 slots after it is confirmed), stateDir and
 * reset (its ledger is always a new one, deleted on stop) and extraArgs (localnet
 * CLI flags). Suites that depend on them skip themselves with localnetOnly().
 */
export async function spawnTestValidator(opts: SpawnOptions = {}): Promise<LocalnetProcess> {
  const ownWallets = opts.walletsDir === undefined;
  const walletsDir = opts.walletsDir ?? mkdtempSync(join(tmpdir(), "ece-wallets-"));
  const dev = loadDevWallets(walletsDir);
  const ledger = mkdtempSync(join(tmpdir(), "ece-test-validator-"));
  const cleanUp = () => {
    rmSync(ledger, { recursive: true, force: true });
    if (ownWallets) rmSync(walletsDir, { recursive: true, force: true });
  };

  const rpcPort = await freePortPair();
  const args = [
    "--ledger",
    ledger,
    "--reset",
    "--quiet",
    "--rpc-port",
    String(rpcPort),
    "--faucet-port",
    String(await freePort()),
    "--slots-per-epoch",
    String(SLOTS_PER_EPOCH),
    ...anchorPrograms().flatMap(({ id, file }) => ["--bpf-program", id.toBase58(), file]),
  ];
  const child = spawn(BINARY, args, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-8_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      // It has no SIGTERM handler: ended by the SIGTERM stop() sends is its clean stop.
      resolve(code ?? (signal === "SIGTERM" ? 0 : null));
    }),
  );
  /** Its output and the end of its log, for an error (the ledger is deleted after). */
  const describeOutput = () => {
    const log = join(ledger, "validator.log");
    const tail = existsSync(log) ? readFileSync(log, "utf8").slice(-4_000) : "(no validator.log)";
    return `${output}\n--- ${log} (end) ---\n${tail}`;
  };

  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const wsUrl = `ws://127.0.0.1:${rpcPort + 1}`;
  try {
    await waitHealthy(rpcUrl, child, describeOutput);
    await fundDevWallets(rpcUrl, dev);
  } catch (e) {
    child.kill("SIGKILL");
    await exited;
    cleanUp();
    throw e;
  }

  const connections: Connection[] = [];
  // web3.js has no close(); without this its WebSocket client reconnects forever
  // once the node is gone and keeps the test process alive.
  const closeConnections = () => {
    for (const c of connections) (c as unknown as { _rpcWebSocket: { close(): void } })._rpcWebSocket.close();
  };
  return {
    rpcUrl,
    wsUrl,
    usdcMint: dev.usdcMint.publicKey.toBase58(),
    walletsDir,
    fresh: true,
    child,
    wallet: (name) => readKeypair(join(walletsDir, `${name}.json`)),
    connection: (commitment = "confirmed") => {
      const c = new Connection(rpcUrl, { commitment, wsEndpoint: wsUrl });
      connections.push(c);
      return c;
    },
    stop: async () => {
      closeConnections();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const code = await exited;
      cleanUp();
      return code;
    },
    kill: async () => {
      closeConnections();
      child.kill("SIGKILL");
      await exited;
      cleanUp();
    },
  };
}
