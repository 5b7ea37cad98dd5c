// The cluster, through standard JSON-RPC only (web3.js Connection at `confirmed`),
// so the same code runs against the localnet, devnet or any other RPC URL.
// Sending is blockhash-expiry-aware: a transaction is re-broadcast while its
// blockhash is valid, and re-signed with a fresh one if it expired unseen.
import { decodeProgramError, ECE_IDLS } from "@ece/sdk";
import { signTransaction } from "@ece/sdk/node";
import {
  type AccountInfo,
  Connection,
  type Keypair,
  type PublicKey,
  SendTransactionError,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import bs58 from "bs58";
import { DeployError } from "./errors.js";

export interface SentTransaction {
  step: string;
  description: string;
  signature: string;
}

export interface ChainOptions {
  url: string;
  /** WebSocket URL: when given, confirmations also arrive by signatureSubscribe. */
  ws?: string;
  /** How often signature statuses are polled (ms). */
  pollMs?: number;
  /** Re-broadcast interval while a transaction is unconfirmed (ms). */
  rebroadcastMs?: number;
  /** Fresh-blockhash attempts before giving up on a transaction. */
  attempts?: number;
  log?: (line: string) => void;
}

/** Consecutive failed status polls before a send gives up. */
const MAX_POLL_FAILURES = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The first signature of a wire transaction (its ID). */
function signatureOf(wire: Uint8Array): string {
  return bs58.encode(wire.subarray(1, 65));
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

/** A failed transaction, explained with the ECE programs' error names and the log tail. */
function failure(description: string, payer: PublicKey, err: unknown, logs: readonly string[]): DeployError {
  const text = typeof err === "string" ? err : JSON.stringify(err);
  const lines = logs.join("\n");
  if (
    /insufficient lamports|no record of a prior credit|InsufficientFundsForRent|insufficient funds/i.test(text + lines)
  ) {
    return new DeployError(
      `${description} failed: the fee payer ${payer.toBase58()} does not have enough SOL (${text}). ` +
        "Fund the deployer wallet and run the deploy again; finished steps are skipped.",
    );
  }
  const decoded = decodeProgramError(logs, ECE_IDLS);
  const reason = decoded ? `${decoded.name}: ${decoded.message} (program ${decoded.programId})` : text;
  const tail = logs.slice(-12).map((l) => `    ${l}`);
  return new DeployError([`${description} failed: ${reason}`, ...(tail.length ? ["  logs:", ...tail] : [])].join("\n"));
}

export class Chain {
  readonly connection: Connection;
  readonly url: string;
  /** Every transaction this run confirmed, in order. */
  readonly sent: SentTransaction[] = [];
  private readonly pollMs: number;
  private readonly rebroadcastMs: number;
  private readonly attempts: number;
  private readonly log: (line: string) => void;
  private readonly useWs: boolean;

  constructor(options: ChainOptions) {
    this.url = options.url;
    this.useWs = options.ws !== undefined;
    this.connection = new Connection(options.url, {
      commitment: "confirmed",
      ...(options.ws ? { wsEndpoint: options.ws } : {}),
      disableRetryOnRateLimit: false,
    });
    // Remote clusters rate-limit: poll about once a slot there, faster on this machine.
    const local = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(options.url);
    this.pollMs = options.pollMs ?? (local ? 100 : 500);
    this.rebroadcastMs = options.rebroadcastMs ?? 2_000;
    this.attempts = options.attempts ?? 4;
    this.log = options.log ?? (() => {});
  }

  /** Checks that the URL answers JSON-RPC; returns the genesis hash (which cluster this is). */
  async ping(): Promise<{ genesisHash: string; version: string }> {
    try {
      const [genesisHash, version] = await Promise.all([
        this.connection.getGenesisHash(),
        this.connection.getVersion(),
      ]);
      return { genesisHash, version: version["solana-core"] };
    } catch (e) {
      throw new DeployError(
        `cannot reach the Solana RPC at ${this.url}: ${errorText(e)}\n` +
          "  Start the localnet with `npm run localnet`, or pass --url (e.g. --url https://api.devnet.solana.com).",
      );
    }
  }

  /** An RPC read; a failure names the URL and the call. */
  private async rpc<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw new DeployError(`${what} at ${this.url} failed: ${errorText(e)}`);
    }
  }

  account(key: PublicKey): Promise<AccountInfo<Buffer> | null> {
    return this.rpc(`getAccountInfo ${key.toBase58()}`, () => this.connection.getAccountInfo(key, "confirmed"));
  }

  balance(key: PublicKey): Promise<number> {
    return this.rpc(`getBalance ${key.toBase58()}`, () => this.connection.getBalance(key, "confirmed"));
  }

  rent(bytes: number): Promise<number> {
    return this.rpc("getMinimumBalanceForRentExemption", () =>
      this.connection.getMinimumBalanceForRentExemption(bytes, "confirmed"),
    );
  }

  /**
   * Signs with `signers` (the first pays the fee), sends with preflight and waits
   * until the transaction is confirmed; records its signature under `step`.
   */
  async send(
    step: string,
    description: string,
    ixs: TransactionInstruction[],
    signers: Keypair[],
    quiet = false,
  ): Promise<string> {
    const payer = signers[0];
    if (!payer) throw new Error("send needs a fee payer");
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const { blockhash, lastValidBlockHeight } = await this.rpc("getLatestBlockhash", () =>
        this.connection.getLatestBlockhash("confirmed"),
      );
      const tx = new Transaction({ feePayer: payer.publicKey, blockhash, lastValidBlockHeight }).add(...ixs);
      const wire = signTransaction(tx, signers);
      const signature = signatureOf(wire);
      try {
        await this.connection.sendRawTransaction(wire, { preflightCommitment: "confirmed", maxRetries: 0 });
      } catch (e) {
        if (e instanceof SendTransactionError) {
          const { message, logs } = e.transactionError;
          if (/blockhash not found/i.test(message) && attempt < this.attempts) continue;
          throw failure(description, payer.publicKey, message, logs ?? e.logs ?? []);
        }
        throw new DeployError(`${description}: sending to ${this.url} failed: ${errorText(e)}`);
      }
      const outcome = await this.confirm(signature, wire, lastValidBlockHeight);
      if (outcome === "confirmed") {
        this.sent.push({ step, description, signature });
        if (!quiet) this.log(`  sent ${description}: ${signature}`);
        return signature;
      }
      if (typeof outcome === "object") {
        const landed = await this.connection.getTransaction(signature, {
          commitment: "confirmed",
          maxSupportedTransactionVersion: 0,
        });
        throw failure(description, payer.publicKey, outcome.err, landed?.meta?.logMessages ?? []);
      }
      this.log(`  ${description}: blockhash expired before it landed; retrying with a new one (${attempt})`);
    }
    throw new DeployError(
      `${description}: not confirmed after ${this.attempts} blockhashes at ${this.url}; is the cluster congested?`,
    );
  }

  /** Waits until the confirmed slot has moved `slots` past the current one (a program
   * deployed in slot N can be invoked from slot N + 1 on). */
  async waitSlots(slots = 1): Promise<void> {
    const start = await this.connection.getSlot("confirmed");
    while ((await this.connection.getSlot("confirmed")) < start + slots) await sleep(this.pollMs);
  }

  /** Sends independent transactions, up to `parallel` at a time; returns their signatures in order. */
  async sendEach(
    step: string,
    items: Array<{ description: string; ixs: TransactionInstruction[]; signers: Keypair[] }>,
    parallel = 8,
    quiet = false,
  ): Promise<string[]> {
    const out: string[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const item = items[i];
        if (item) out[i] = await this.send(step, item.description, item.ixs, item.signers, quiet);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
    return out;
  }

  /** One look at a sent transaction: its outcome, "pending", or "rebroadcast" when it
   * was unseen for a while and was sent again. */
  private async poll(
    signature: string,
    wire: Uint8Array,
    lastValidBlockHeight: number,
    lastSent: number,
  ): Promise<"confirmed" | "expired" | "pending" | "rebroadcast" | { err: unknown }> {
    const status = (await this.connection.getSignatureStatuses([signature])).value[0];
    if (status?.err) return { err: status.err };
    if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized") return "confirmed";
    if (status) return "pending";
    const height = await this.connection.getBlockHeight("confirmed");
    if (height > lastValidBlockHeight) {
      const late = (await this.connection.getSignatureStatuses([signature], { searchTransactionHistory: true }))
        .value[0];
      return late ? "pending" : "expired";
    }
    if (Date.now() - lastSent < this.rebroadcastMs) return "pending";
    await this.connection.sendRawTransaction(wire, { skipPreflight: true, maxRetries: 0 }).catch(() => undefined);
    return "rebroadcast";
  }

  /** "confirmed", the on-chain error of a transaction that landed and failed, or
   * "expired" once its blockhash is past and it was never seen. */
  private async confirm(
    signature: string,
    wire: Uint8Array,
    lastValidBlockHeight: number,
  ): Promise<"confirmed" | "expired" | { err: unknown }> {
    let notified: { err: unknown } | null = null;
    const subscription = this.useWs
      ? this.connection.onSignature(signature, (result) => (notified = { err: result.err }), "confirmed")
      : null;
    try {
      let lastSent = Date.now();
      let failures = 0;
      for (;;) {
        if (notified !== null) {
          const n: { err: unknown } = notified;
          return n.err === null ? "confirmed" : n;
        }
        try {
          const outcome = await this.poll(signature, wire, lastValidBlockHeight, lastSent);
          failures = 0;
          if (outcome === "rebroadcast") lastSent = Date.now();
          else if (outcome !== "pending") return outcome;
        } catch (e) {
          // A dropped request or a rate limit while waiting is not a failed transaction.
          if (++failures >= MAX_POLL_FAILURES) {
            throw new DeployError(
              `lost the RPC at ${this.url} while waiting for ${signature}: ${errorText(e)}\n` +
                "  Run the deploy again: it checks the chain first and only sends what is missing.",
            );
          }
        }
        await sleep(this.pollMs);
      }
    } finally {
      // web3.js drops a signature subscription itself once it has notified.
      if (subscription !== null && notified === null) await this.connection.removeSignatureListener(subscription);
    }
  }
}
