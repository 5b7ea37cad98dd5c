// startLocalnet: the ledger (fresh from genesis, or restored from --state),
// the HTTP JSON-RPC server and the WebSocket subscription server, wired together.
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { newKeypair, signTransaction } from "@ece/sdk/node";
import { ComputeBudgetProgram, Keypair, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import bs58 from "bs58";
import { Account, LiteSvm } from "litesvm/dist/internal.js";
import { WebSocketServer } from "ws";
import { FAUCET_SOL, fundDevWallets, loadPrograms } from "./genesis.js";
import type { HistoryLimits } from "./history.js";
import { createRpcServer } from "./http.js";
import { Ledger, type LedgerMeta } from "./ledger.js";
import { StateDir } from "./persist.js";
import { PubSub } from "./pubsub.js";
import { Dispatcher } from "./rpc/dispatch.js";
import { Code, RpcError } from "./rpc/errors.js";
import { API_VERSION } from "./rpc/params.js";
import { type DevWallets, loadDevWallets } from "./wallets.js";

export interface LocalnetOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Default: port + 1, as solana-test-validator and web3.js assume (any free port when port is 0). */
  wsPort?: number;
  stateDir: string | null;
  reset: boolean;
  walletsDir: string;
  slotMs: number;
  finalityDepth: number;
  history: HistoryLimits;
  log: (line: string) => void;
}

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8899,
  slotMs: 400,
  finalityDepth: 32,
  history: { transactions: 100_000, blocks: 20_000 },
} as const;

export interface Localnet {
  rpcUrl: string;
  wsUrl: string;
  ledger: Ledger;
  wallets: DevWallets;
  programs: Array<{ name: string; id: string }>;
  usdcMint: string;
  faucet: PublicKey;
  /** True when this start created the ledger (genesis), false when it restored one. */
  fresh: boolean;
  close(): Promise<void>;
}

/** Snapshots are written after every block with transactions, and at least this often. */
const SAVE_EVERY_SLOTS = 25;

function freshMeta(): LedgerMeta {
  return {
    slot: 0,
    genesisHash: bs58.encode(randomBytes(32)),
    identity: newKeypair().publicKey.toBase58(),
    transactionCount: 0,
    blockTime: 0,
    recent: [],
  };
}

export async function startLocalnet(options: LocalnetOptions): Promise<Localnet> {
  const wallets = loadDevWallets(options.walletsDir);
  const state = options.stateDir ? new StateDir(options.stateDir) : null;
  if (state && options.reset) state.reset();
  const ledgerOptions = { slotMs: options.slotMs, finalityDepth: options.finalityDepth, history: options.history };

  let ledger: Ledger;
  let faucet: Keypair;
  let programs: Array<{ name: string; id: string }>;
  const fresh = !state?.exists();
  if (state && !fresh) {
    const loaded = state.load();
    // Programs are reloaded from programs/deploy, so a rebuild takes effect on restart.
    programs = loadPrograms(loaded.svm);
    faucet = Keypair.fromSecretKey(Uint8Array.from(loaded.saved.faucet));
    ledger = new Ledger(loaded.svm, ledgerOptions, loaded.saved.meta);
    ledger.restore(loaded.entries);
    state.compact(ledger.history.entries());
    if (loaded.saved.usdcMint !== wallets.usdcMint.publicKey.toBase58()) {
      options.log(`warning: ${options.walletsDir} is not the wallet directory this ledger was created with`);
    }
  } else {
    const svm = new LiteSvm();
    programs = loadPrograms(svm);
    faucet = newKeypair();
    const lamports = BigInt(FAUCET_SOL) * 1_000_000_000n;
    svm.setAccount(faucet.publicKey.toBytes(), new Account(lamports, new Uint8Array(), new Uint8Array(32), false, 0n));
    ledger = new Ledger(svm, ledgerOptions, freshMeta());
  }

  const saved = () => ({
    meta: ledger.snapshotMeta(),
    faucet: Array.from(faucet.secretKey),
    programs,
    usdcMint: wallets.usdcMint.publicKey.toBase58(),
  });
  let slotsSinceSave = 0;
  if (state) {
    ledger.listeners.push({
      transaction: () => {},
      slot: ({ confirmed }) => {
        state.appendBlock(
          confirmed,
          confirmed.signatures.flatMap((s) => ledger.history.tx(s) ?? []),
        );
        slotsSinceSave += 1;
        if (confirmed.signatures.length > 0 || slotsSinceSave >= SAVE_EVERY_SLOTS) {
          state.save(ledger.svm, saved());
          slotsSinceSave = 0;
        }
        if (state.appendedLines > 2 * options.history.blocks) state.compact(ledger.history.entries());
      },
    });
  }
  if (fresh) fundDevWallets(ledger, faucet, wallets);
  // Finalize genesis before serving: as on solana-test-validator, the dev wallets
  // and the mint are there at every commitment from the first request on (reads
  // default to finalized). A restored ledger too: the pre-images that let reads at
  // confirmed/finalized see older state are not saved, so its newest slots must
  // be finalized before anyone reads them at finalized.
  for (let i = 0; i <= options.finalityDepth; i++) ledger.closeBlock();

  let airdrops = 0;
  const airdrop = (to: string, lamports: number): string => {
    const tx = new Transaction();
    // Identical requests in one slot would be one transaction: vary the (free) CU limit.
    tx.add(ComputeBudgetProgram.setComputeUnitLimit({ units: 200_000 - (airdrops++ % 100_000) }));
    tx.add(SystemProgram.transfer({ fromPubkey: faucet.publicKey, toPubkey: new PublicKey(to), lamports }));
    tx.feePayer = faucet.publicKey;
    tx.recentBlockhash = ledger.latestBlockhash("processed").blockhash;
    const result = ledger.submit(signTransaction(tx, [faucet]), { skipPreflight: false });
    if (result.status !== "landed") {
      const reason = result.status === "rejected" ? result.simulation.failure?.message : result.failure.message;
      throw new RpcError(Code.internal, `airdrop request failed: ${reason ?? "unknown"}`);
    }
    return result.tx.signature;
  };

  const dispatcher = new Dispatcher(
    { ledger, airdrop, version: { solanaCore: API_VERSION, featureSet: 0 } },
    (error, method) => options.log(`internal error in ${method}: ${(error as Error).stack ?? String(error)}`),
  );
  const pubsub = new PubSub(ledger);
  const http = createRpcServer(dispatcher, () => true);
  const upgrades = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  pubsub.attach(upgrades);
  http.on("upgrade", (req, socket, head) =>
    upgrades.handleUpgrade(req, socket, head, (ws) => upgrades.emit("connection", ws, req)),
  );
  await listen(http, options.port, options.host);
  const port = (http.address() as AddressInfo).port;
  const wsServer = new WebSocketServer({
    host: options.host,
    port: options.wsPort ?? (options.port === 0 ? 0 : port + 1),
    maxPayload: 1024 * 1024,
  });
  await new Promise<void>((resolve, reject) => {
    wsServer.once("listening", resolve);
    wsServer.once("error", reject);
  });
  pubsub.attach(wsServer);
  const wsPort = (wsServer.address() as AddressInfo).port;
  ledger.start();

  let closed = false;
  return {
    rpcUrl: `http://${options.host}:${port}`,
    wsUrl: `ws://${options.host}:${wsPort}`,
    ledger,
    wallets,
    programs,
    usdcMint: wallets.usdcMint.publicKey.toBase58(),
    faucet: faucet.publicKey,
    fresh,
    close: async () => {
      if (closed) return;
      closed = true;
      ledger.stop();
      // Close the working slot so that every accepted transaction is in a saved block.
      ledger.closeBlock();
      if (state) state.save(ledger.svm, saved());
      for (const ws of [...upgrades.clients, ...wsServer.clients]) ws.terminate();
      await Promise.all([
        new Promise<void>((resolve) => wsServer.close(() => resolve())),
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
      ]);
    },
  };
}

function listen(server: ReturnType<typeof createRpcServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
