// Test harness: the real SVM (LiteSVM) driven with @solana/web3.js types, with the
// committed program binaries loaded at their IDs.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeProgramError, ECE_IDLS, type ProgramErrorInfo } from "@ece/sdk";
import { newKeypair, signBytes } from "@ece/sdk/node";
import { address, getTransactionDecoder, lamports } from "@solana/kit";
import {
  type AccountInfo,
  Keypair,
  LAMPORTS_PER_SOL,
  PACKET_DATA_SIZE,
  PublicKey,
  Transaction,
  TransactionInstruction,
  VersionedTransaction,
} from "@solana/web3.js";
import { FailedTransactionMetadata, LiteSVM, type TransactionMetadata } from "litesvm";

export const DEPLOY_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../programs/deploy");
export const PAUSE_PROBE_ID = new PublicKey("DGRQXi36sHcceb8xnofKCEmZtXHQcjmJi3foG9zwrWay");

export interface TxResult {
  ok: boolean;
  logs: string[];
  computeUnits: number;
  error: ProgramErrorInfo | null;
  /** The runtime's own error, when it is not a program error. */
  raw: string | null;
}

const decoder = getTransactionDecoder();

const binaries = new Map<string, Uint8Array>();
function programBytes(file: string): Uint8Array {
  let bytes = binaries.get(file);
  if (!bytes) {
    bytes = readFileSync(join(DEPLOY_DIR, file));
    binaries.set(file, bytes);
  }
  return bytes;
}

export class Svm {
  readonly svm: LiteSVM;
  readonly payer = Keypair.generate();

  constructor(programs: ReadonlyArray<readonly [PublicKey, string]>) {
    this.svm = new LiteSVM();
    for (const [id, file] of programs) this.svm.addProgram(address(id.toBase58()), programBytes(file));
    this.airdrop(this.payer.publicKey, 100);
  }

  airdrop(to: PublicKey, sol: number): void {
    const r = this.svm.airdrop(address(to.toBase58()), lamports(BigInt(Math.round(sol * LAMPORTS_PER_SOL))));
    if (r instanceof FailedTransactionMetadata) throw new Error(`airdrop failed: ${String(r.err())}`);
  }

  /** Signs with `feePayer` (default: the payer) and `signers`, sends, and reports the outcome. */
  send(ixs: TransactionInstruction[], signers: Keypair[] = [], feePayer: Keypair = this.payer): TxResult {
    return this.sendWire(this.sign(ixs, signers, feePayer));
  }

  /** The signed wire transaction of `ixs`. */
  private sign(ixs: TransactionInstruction[], signers: Keypair[], feePayer: Keypair): Uint8Array {
    const tx = new Transaction().add(...ixs);
    tx.feePayer = feePayer.publicKey;
    tx.recentBlockhash = this.svm.latestBlockhash();
    const message = tx.compileMessage();
    const bytes = message.serialize();
    const byKey = new Map([feePayer, ...signers].map((k) => [k.publicKey.toBase58(), k]));
    const signed = new VersionedTransaction(message);
    message.accountKeys.slice(0, message.header.numRequiredSignatures).forEach((key, i) => {
      const kp = byKey.get(key.toBase58());
      if (kp) signed.signatures[i] = signBytes(bytes, kp);
    });
    return signed.serialize();
  }

  /** `ixs` signed as `send` would, or null past the wire limit of a transaction. */
  wire(ixs: TransactionInstruction[], signers: Keypair[] = [], feePayer: Keypair = this.payer): Uint8Array | null {
    try {
      const wire = this.sign(ixs, signers, feePayer);
      return wire.length <= PACKET_DATA_SIZE ? wire : null;
    } catch {
      // web3.js cannot even serialize a message past the limit.
      return null;
    }
  }

  sendWire(wire: Uint8Array): TxResult {
    const result = this.svm.sendTransaction(decoder.decode(wire));
    // A new blockhash per transaction, so identical retries are distinct transactions.
    this.svm.expireBlockhash();
    return outcome(result instanceof FailedTransactionMetadata ? result : { meta: () => result });
  }

  /** What sending `wire` would do; the chain does not change. */
  simulate(wire: Uint8Array): TxResult {
    return outcome(this.svm.simulateTransaction(decoder.decode(wire)));
  }

  account(key: PublicKey): AccountInfo<Buffer> | null {
    const a = this.svm.getAccount(address(key.toBase58()));
    if (!a.exists) return null;
    return {
      data: Buffer.from(a.data),
      executable: a.executable,
      lamports: Number(a.lamports),
      owner: new PublicKey(a.programAddress),
      rentEpoch: 0,
    };
  }

  setAccount(
    key: PublicKey,
    info: { data: Uint8Array; owner: PublicKey; lamports: number; executable?: boolean },
  ): void {
    this.svm.setAccount({
      address: address(key.toBase58()),
      data: info.data,
      executable: info.executable ?? false,
      lamports: lamports(BigInt(info.lamports)),
      programAddress: address(info.owner.toBase58()),
      space: BigInt(info.data.length),
    });
  }

  /** Lamports an account of `len` data bytes needs to be rent-exempt. */
  rentExempt(len: number): number {
    return Number(this.svm.minimumBalanceForRentExemption(BigInt(len)));
  }

  warpToSlot(slot: bigint): void {
    this.svm.warpToSlot(slot);
  }

  /** The chain's clock (unix seconds). */
  now(): bigint {
    return this.svm.getClock().unixTimestamp;
  }

  /** Moves the clock forward: for time locks. */
  advanceTime(seconds: number): void {
    const clock = this.svm.getClock();
    clock.unixTimestamp += BigInt(seconds);
    this.svm.setClock(clock);
  }
}

export { newKeypair };

function outcome(result: FailedTransactionMetadata | { meta(): TransactionMetadata }): TxResult {
  const meta = result.meta();
  const logs = meta.logs();
  const computeUnits = Number(meta.computeUnitsConsumed());
  if (result instanceof FailedTransactionMetadata)
    return { ok: false, logs, computeUnits, error: decodeProgramError(logs, ECE_IDLS), raw: describe(result.err()) };
  return { ok: true, logs, computeUnits, error: null, raw: null };
}

/** LiteSVM reports field-less transaction errors as a bare enum number. */
function describe(err: unknown): string {
  return typeof err === "number" ? `TransactionError(${err})` : String(err);
}

/** Error names the suites have seen programs return, by program ID. */
export const seenErrors = new Map<string, Set<string>>();

/** Fails unless the transaction failed with the program error `name`. */
export function expectError(r: TxResult, name: string): void {
  if (r.ok) throw new Error(`expected ${name}, but the transaction succeeded`);
  const got = r.error?.name ?? r.raw ?? "unknown";
  if (got !== name) throw new Error(`expected ${name}, got ${got}\n${r.logs.join("\n")}`);
  if (r.error) {
    const seen = seenErrors.get(r.error.programId) ?? new Set<string>();
    seen.add(name);
    seenErrors.set(r.error.programId, seen);
  }
}

/** A copy of `ix` with one account meta changed: for tests that send a wrong account. */
export function withAccount(
  ix: TransactionInstruction,
  index: number,
  change: Partial<{ pubkey: PublicKey; isSigner: boolean; isWritable: boolean }>,
): TransactionInstruction {
  const keys = ix.keys.map((k, i) => (i === index ? { ...k, ...change } : k));
  return new TransactionInstruction({ programId: ix.programId, keys, data: ix.data });
}

export function expectOk(r: TxResult): void {
  if (!r.ok)
    throw new Error(`transaction failed: ${r.error?.name ?? r.raw}: ${r.error?.message ?? ""}\n${r.logs.join("\n")}`);
}
