// The chain the node serves: LiteSVM executes, the ledger adds what a validator
// has around it — slots on a clock, blocks and blockhashes, commitment levels,
// signature checks, duplicate detection, fees, history and notifications.
import { createPublicKey, verify } from "node:crypto";
import bs58 from "bs58";
import {
  FailedTransactionMetadata,
  type LiteSvm,
  SimulatedTransactionInfo,
  type TransactionMetadata,
} from "litesvm/dist/internal.js";
import { type AccountState, AccountStore, fromNative } from "./accounts.js";
import { type BlockRecord, History, type HistoryLimits, type TokenBalance, type TxRecord } from "./history.js";
import { readMint, readTokenAccount, uiTokenAmount } from "./token.js";
import { describeFailure, type TransactionFailure, transactionFailure } from "./tx-error.js";
import {
  computeBudget,
  isWritableIndex,
  messageFee,
  parseTransaction,
  SanitizeError,
  type WireTransaction,
} from "./wire.js";

export type Commitment = "processed" | "confirmed" | "finalized";

/** Blocks a blockhash stays valid for, as on mainnet. */
export const MAX_PROCESSING_AGE = 150;
const RECENT_BLOCKHASHES = 300;
/** Entries of the SlotHashes sysvar (solana_slot_hashes::MAX_ENTRIES). */
const MAX_SLOT_HASHES = 512;
const LOOKUP_TABLE_META_SIZE = 56;
const LOOKUP_TABLE_PROGRAM = "AddressLookupTab1e1111111111111111111111111";
const SYSTEM_PROGRAM = "11111111111111111111111111111111";

export interface LedgerOptions {
  slotMs: number;
  /** Slots between confirmed and finalized. */
  finalityDepth: number;
  history: HistoryLimits;
}

/** What a ledger saves and restores besides accounts and history. */
export interface LedgerMeta {
  slot: number;
  genesisHash: string;
  identity: string;
  transactionCount: number;
  blockTime: number;
  recent: Array<{ blockhash: string; slot: number }>;
}

export interface SlotEvent {
  /** The new working (processed) slot. */
  slot: number;
  /** The block just closed, now confirmed, and the accounts it changed. */
  confirmed: BlockRecord;
  confirmedChanges: ReadonlySet<string>;
  /** The block that became finalized, if any, and the accounts it changed. */
  finalized: BlockRecord | null;
  finalizedChanges: ReadonlySet<string>;
}

export interface LedgerListener {
  transaction(tx: TxRecord, changed: readonly string[]): void;
  slot(event: SlotEvent): void;
}

/** A transaction the node refuses; `code` is the JSON-RPC error code. */
export class Rejection extends Error {
  constructor(
    readonly kind: "deserialize" | "sanitize" | "signature",
    message: string,
  ) {
    super(message);
  }
}

export interface Simulation {
  failure: TransactionFailure | null;
  logs: string[];
  unitsConsumed: number;
  returnData: TxRecord["returnData"];
  innerInstructions: TxRecord["innerInstructions"];
  keys: string[];
  post: Map<string, AccountState>;
  fee: number;
  replacementBlockhash: { blockhash: string; lastValidBlockHeight: number } | null;
}

export type Submission =
  | { status: "landed"; tx: TxRecord }
  | { status: "dropped"; signature: string; failure: TransactionFailure }
  | { status: "rejected"; signature: string; simulation: Simulation };

const EMPTY = new Set<string>();

export class Ledger {
  readonly accounts: AccountStore;
  readonly history: History;
  readonly listeners: LedgerListener[] = [];
  private meta: LedgerMeta;
  private pending: string[] = [];
  private readonly changedIn = new Map<number, Set<string>>();
  /** Signatures seen while their blockhash could still be valid, for AlreadyProcessed. */
  private readonly recentSignatures = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** The SlotHashes sysvar's entries, newest first (null: not read from the SVM yet). */
  private slotHashes: Array<{ slot: bigint; hash: string }> | null = null;

  constructor(
    private svmInstance: LiteSvm,
    readonly options: LedgerOptions,
    meta: LedgerMeta,
  ) {
    this.meta = meta;
    this.accounts = new AccountStore(svmInstance);
    this.history = new History(options.history);
    this.configure();
    if (meta.recent.length === 0) this.closeBlock();
  }

  get svm(): LiteSvm {
    return this.svmInstance;
  }

  /** Signatures are verified here, blockhashes against the ledger's own queue. */
  private configure(): void {
    this.svm.setSigverify(false);
    this.svm.setBlockhashCheck(false);
    this.svm.setTransactionHistory(0n);
    this.svm.warpToSlot(BigInt(this.meta.slot));
    this.setClock();
  }

  snapshotMeta(): LedgerMeta {
    return { ...this.meta, recent: [...this.meta.recent] };
  }

  get genesisHash(): string {
    return this.meta.genesisHash;
  }

  get identity(): string {
    return this.meta.identity;
  }

  get transactionCount(): number {
    return this.meta.transactionCount;
  }

  get processedSlot(): number {
    return this.meta.slot;
  }

  get confirmedSlot(): number {
    return Math.max(0, this.meta.slot - 1);
  }

  get finalizedSlot(): number {
    return Math.max(0, this.meta.slot - 1 - this.options.finalityDepth);
  }

  slotAt(c: Commitment): number {
    return c === "processed" ? this.processedSlot : c === "confirmed" ? this.confirmedSlot : this.finalizedSlot;
  }

  /** The slot whose state a read at `c` sees (null: newest state). */
  viewSlot(c: Commitment): number | null {
    return c === "processed" ? null : this.slotAt(c);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.closeBlock(), this.options.slotMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // ---- blockhashes -------------------------------------------------------

  /** The newest blockhash a client at commitment `c` can see. */
  latestBlockhash(c: Commitment): { blockhash: string; lastValidBlockHeight: number } {
    const limit = Math.min(this.slotAt(c), this.confirmedSlot);
    const recent = this.meta.recent;
    let entry = recent[recent.length - 1];
    for (let i = recent.length - 1; i >= 0; i--) {
      const r = recent[i];
      if (r && r.slot <= limit) {
        entry = r;
        break;
      }
    }
    if (!entry) throw new Error("no blockhash yet");
    return { blockhash: entry.blockhash, lastValidBlockHeight: entry.slot + MAX_PROCESSING_AGE };
  }

  isBlockhashValid(blockhash: string): boolean {
    const entry = this.meta.recent.find((r) => r.blockhash === blockhash);
    return entry !== undefined && entry.slot + MAX_PROCESSING_AGE >= this.processedSlot;
  }

  /** A durable-nonce transaction names the nonce account's stored value as its blockhash. */
  private isNonceTransaction(parsed: WireTransaction, keys: string[]): boolean {
    const m = parsed.message;
    const first = m.instructions[0];
    if (!first || m.staticKeys[first.programIdIndex] !== SYSTEM_PROGRAM) return false;
    if (first.data.length < 4 || first.data[0] !== 4 || first.accounts[0] === undefined) return false;
    const nonceKey = keys[first.accounts[0]];
    const nonce = nonceKey ? this.accounts.current(nonceKey) : null;
    if (!nonce || nonce.owner !== SYSTEM_PROGRAM || nonce.data.length < 72) return false;
    return bs58.encode(nonce.data.subarray(40, 72)) === m.recentBlockhash;
  }

  private blockhashUsable(parsed: WireTransaction, keys: string[]): boolean {
    return this.isBlockhashValid(parsed.message.recentBlockhash) || this.isNonceTransaction(parsed, keys);
  }

  // ---- slots ---------------------------------------------------------------

  private setClock(): void {
    const wall = Math.floor(Date.now() / 1000);
    this.meta.blockTime = Math.max(this.meta.blockTime, wall);
    const clock = this.svm.getClock();
    clock.unixTimestamp = BigInt(this.meta.blockTime);
    this.svm.setClock(clock);
  }

  /** Adds the closed block to the SlotHashes sysvar, as a bank does: programs check
   * "recent slots" against it (the address lookup table program's create does). */
  private recordSlotHash(slot: number, hash: string): void {
    this.slotHashes ??= this.svm
      .getSlotHashes()
      .filter((h) => h.slot < BigInt(slot))
      .map((h) => ({ slot: h.slot, hash: h.hash }));
    this.slotHashes.unshift({ slot: BigInt(slot), hash });
    if (this.slotHashes.length > MAX_SLOT_HASHES) this.slotHashes.pop();
    this.svm.setSlotHashes(this.slotHashes);
  }

  /** Closes the working slot into a block and opens the next. */
  closeBlock(): void {
    const slot = this.meta.slot;
    this.svm.expireBlockhash();
    const blockhash = this.svm.latestBlockhash();
    const previous = this.meta.recent[this.meta.recent.length - 1]?.blockhash ?? blockhash;
    const block: BlockRecord = {
      slot,
      parentSlot: Math.max(0, slot - 1),
      blockhash,
      previousBlockhash: previous,
      blockTime: this.meta.blockTime,
      blockHeight: slot,
      signatures: this.pending,
    };
    this.pending = [];
    this.history.close(block);
    this.meta.recent.push({ blockhash, slot });
    if (this.meta.recent.length > RECENT_BLOCKHASHES) this.meta.recent.shift();
    this.meta.slot = slot + 1;
    this.svm.warpToSlot(BigInt(this.meta.slot));
    this.recordSlotHash(slot, blockhash);
    this.setClock();

    const finalizedSlot = slot - this.options.finalityDepth;
    const finalized = finalizedSlot >= 0 ? (this.history.block(finalizedSlot) ?? null) : null;
    const event: SlotEvent = {
      slot: this.meta.slot,
      confirmed: block,
      confirmedChanges: this.changedIn.get(slot) ?? EMPTY,
      finalized,
      finalizedChanges: this.changedIn.get(finalizedSlot) ?? EMPTY,
    };
    for (const l of this.listeners) l.slot(event);
    for (const s of this.changedIn.keys()) if (s <= finalizedSlot) this.changedIn.delete(s);
    this.accounts.prune(this.finalizedSlot);
    const oldest = this.meta.slot - MAX_PROCESSING_AGE - 1;
    for (const [sig, s] of this.recentSignatures) {
      if (s >= oldest) break;
      this.recentSignatures.delete(sig);
    }
  }

  // ---- transactions ------------------------------------------------------

  /** Parses and checks what every submitted transaction must pass before anything else. */
  admit(wire: Uint8Array, sigVerify: boolean): WireTransaction {
    let parsed: WireTransaction;
    try {
      parsed = parseTransaction(wire);
    } catch (e) {
      if (e instanceof SanitizeError) {
        throw new Rejection("sanitize", `invalid transaction: ${transactionFailure("SanitizeFailure").message}`);
      }
      throw new Rejection(
        "deserialize",
        `failed to deserialize solana_transaction::versioned::VersionedTransaction: ${(e as Error).message}`,
      );
    }
    // Agave sanitizes with its address loader: a v0 transaction whose lookups cannot be
    // loaded is an invalid transaction (-32602), at preflight or not.
    const addresses = this.loadAddresses(parsed);
    if ("failure" in addresses) {
      throw new Rejection("sanitize", `invalid transaction: ${transactionFailure(addresses.failure).message}`);
    }
    if (sigVerify && !this.verifySignatures(wire, parsed)) {
      throw new Rejection("signature", "Transaction signature verification failure");
    }
    return parsed;
  }

  private verifySignatures(wire: Uint8Array, parsed: WireTransaction): boolean {
    const message = wire.subarray(parsed.messageOffset);
    return parsed.signatures.every((sig, i) => {
      const key = parsed.message.staticKeys[i];
      return key !== undefined && verify(null, message, publicKey(key), sig);
    });
  }

  /** Static keys then the addresses the message loads from lookup tables. */
  resolveKeys(parsed: WireTransaction): { keys: string[]; loaded: TxRecord["loaded"] } | null {
    const resolved = this.loadAddresses(parsed);
    return "failure" in resolved ? null : resolved;
  }

  /** resolveKeys with the TransactionError Agave's address loader gives when it cannot. */
  private loadAddresses(parsed: WireTransaction): { keys: string[]; loaded: TxRecord["loaded"] } | { failure: string } {
    const loaded = { writable: [] as string[], readonly: [] as string[] };
    const slot = BigInt(this.meta.slot);
    for (const lookup of parsed.message.lookups) {
      const table = this.accounts.current(lookup.accountKey);
      if (!table) return { failure: "AddressLookupTableNotFound" };
      if (table.owner !== LOOKUP_TABLE_PROGRAM) return { failure: "InvalidAddressLookupTableOwner" };
      const data = table.data;
      const meta = new DataView(data.buffer, data.byteOffset, data.byteLength);
      if (data.length < LOOKUP_TABLE_META_SIZE || meta.getUint32(0, true) !== 1) {
        return { failure: "InvalidAddressLookupTableData" };
      }
      // A deactivated table is gone once its deactivation slot left SlotHashes.
      const deactivation = meta.getBigUint64(4, true);
      if (deactivation !== 2n ** 64n - 1n && deactivation !== slot) {
        const hashes = this.slotHashes ?? this.svm.getSlotHashes();
        if (!hashes.some((h) => h.slot === deactivation)) return { failure: "AddressLookupTableNotFound" };
      }
      // Addresses appended in the current slot are not usable before the next one.
      const addresses = data.subarray(LOOKUP_TABLE_META_SIZE);
      const active = slot > meta.getBigUint64(12, true) ? Math.floor(addresses.length / 32) : (data[20] ?? 0);
      for (const [indexes, into] of [
        [lookup.writableIndexes, loaded.writable],
        [lookup.readonlyIndexes, loaded.readonly],
      ] as const) {
        for (const i of indexes) {
          if (i >= active) return { failure: "InvalidAddressLookupTableIndex" };
          into.push(bs58.encode(addresses.subarray(i * 32, (i + 1) * 32)));
        }
      }
    }
    return { keys: [...parsed.message.staticKeys, ...loaded.writable, ...loaded.readonly], loaded };
  }

  /** Runs a transaction without committing anything. */
  simulate(
    wire: Uint8Array,
    parsed: WireTransaction,
    opts: { replaceRecentBlockhash: boolean } = { replaceRecentBlockhash: false },
  ): Simulation {
    let bytes = wire;
    let replacementBlockhash: Simulation["replacementBlockhash"] = null;
    const resolved = this.resolveKeys(parsed);
    const keys = resolved?.keys ?? parsed.message.staticKeys;
    const fee = messageFee(parsed.message);
    const empty: Simulation = {
      failure: null,
      logs: [],
      unitsConsumed: 0,
      returnData: null,
      innerInstructions: [],
      keys,
      post: new Map(),
      fee,
      replacementBlockhash,
    };
    if (opts.replaceRecentBlockhash) {
      replacementBlockhash = this.latestBlockhash("processed");
      bytes = Uint8Array.from(wire);
      bytes.set(bs58.decode(replacementBlockhash.blockhash), parsed.messageOffset + parsed.message.blockhashOffset);
      empty.replacementBlockhash = replacementBlockhash;
    } else if (!this.blockhashUsable(parsed, keys)) {
      return { ...empty, failure: transactionFailure("BlockhashNotFound") };
    }
    const signature = bs58.encode(parsed.signatures[0] ?? new Uint8Array(64));
    if (this.seen(signature)) return { ...empty, failure: transactionFailure("AlreadyProcessed") };

    const result = this.svm.simulateVersionedTransaction(bytes);
    const failed = result instanceof FailedTransactionMetadata;
    const meta = failed ? result.meta() : (result as SimulatedTransactionInfo).meta();
    const post = new Map<string, AccountState>();
    if (result instanceof SimulatedTransactionInfo) {
      for (const a of result.postAccounts()) post.set(bs58.encode(a.address), fromNative(a.account()));
    }
    return {
      failure: failed ? describeFailure(result) : null,
      logs: meta.logs(),
      unitsConsumed: Number(meta.computeUnitsConsumed()),
      returnData: returnData(meta),
      innerInstructions: innerInstructions(meta),
      keys,
      post,
      fee,
      replacementBlockhash,
    };
  }

  private seen(signature: string): boolean {
    return this.recentSignatures.has(signature) || this.history.tx(signature) !== undefined;
  }

  /** sendTransaction: preflight unless skipped, then execute in the working slot. */
  submit(wire: Uint8Array, opts: { skipPreflight: boolean }): Submission {
    // Agave checks signatures in the RPC only as part of preflight.
    const parsed = this.admit(wire, !opts.skipPreflight);
    const signature = bs58.encode(parsed.signatures[0] ?? new Uint8Array(64));
    if (!opts.skipPreflight) {
      const simulation = this.simulate(wire, parsed);
      if (simulation.failure) return { status: "rejected", signature, simulation };
    }
    // Without preflight, a transaction that cannot land is dropped silently, as a
    // leader would: the client learns it only from its blockhash expiring.
    if (opts.skipPreflight && !this.verifySignatures(wire, parsed)) {
      return { status: "dropped", signature, failure: transactionFailure("SignatureFailure") };
    }
    if (this.seen(signature)) return { status: "dropped", signature, failure: transactionFailure("AlreadyProcessed") };
    const resolved = this.resolveKeys(parsed);
    if (!resolved) {
      return { status: "dropped", signature, failure: transactionFailure("AddressLookupTableNotFound") };
    }
    if (!this.blockhashUsable(parsed, resolved.keys)) {
      return { status: "dropped", signature, failure: transactionFailure("BlockhashNotFound") };
    }
    return this.execute(wire, parsed, signature, resolved);
  }

  private execute(
    wire: Uint8Array,
    parsed: WireTransaction,
    signature: string,
    { keys, loaded }: { keys: string[]; loaded: TxRecord["loaded"] },
  ): Submission {
    const slot = this.meta.slot;
    const pre = new Map<string, AccountState | null>();
    for (const k of keys) pre.set(k, this.accounts.current(k));
    const writable = keys.filter((_, i) => isWritableIndex(parsed.message, i));

    const result = this.svm.sendVersionedTransaction(wire);
    const failed = result instanceof FailedTransactionMetadata;
    const changed = this.accounts.commit(writable, pre, slot);
    const payer = keys[0] ?? "";
    if (failed && !changed.includes(payer)) {
      // Not charged, so not included: it failed while loading, not executing.
      return { status: "dropped", signature, failure: describeFailure(result) };
    }
    const meta: TransactionMetadata = failed ? result.meta() : (result as TransactionMetadata);
    const post = keys.map((k) => this.accounts.current(k));
    const tx: TxRecord = {
      signature,
      slot,
      blockTime: this.meta.blockTime,
      wire: Buffer.from(wire).toString("base64"),
      version: parsed.message.version,
      keys,
      loaded,
      err: failed ? describeFailure(result).json : null,
      fee: messageFee(parsed.message),
      preBalances: keys.map((k) => Number(pre.get(k)?.lamports ?? 0n)),
      postBalances: post.map((a) => Number(a?.lamports ?? 0n)),
      preTokenBalances: this.tokenBalances(keys.map((k) => pre.get(k) ?? null)),
      postTokenBalances: this.tokenBalances(post),
      logs: meta.logs(),
      innerInstructions: innerInstructions(meta),
      computeUnits: Number(meta.computeUnitsConsumed()),
      returnData: returnData(meta),
      cuPrice: computeBudget(parsed.message).price,
      writable,
    };
    this.history.add(tx);
    this.pending.push(signature);
    this.recentSignatures.set(signature, slot);
    this.meta.transactionCount += 1;
    let slotChanges = this.changedIn.get(slot);
    if (!slotChanges) {
      slotChanges = new Set();
      this.changedIn.set(slot, slotChanges);
    }
    for (const k of changed) slotChanges.add(k);
    for (const l of this.listeners) l.transaction(tx, changed);
    return { status: "landed", tx };
  }

  private tokenBalances(accounts: Array<AccountState | null>): TokenBalance[] {
    const out: TokenBalance[] = [];
    accounts.forEach((a, accountIndex) => {
      const token = readTokenAccount(a);
      if (!token || !a) return;
      const decimals = readMint(this.accounts.current(token.mint))?.decimals ?? 0;
      out.push({
        accountIndex,
        mint: token.mint,
        owner: token.owner,
        programId: a.owner,
        uiTokenAmount: uiTokenAmount(token.amount, decimals),
      });
    });
    return out;
  }

  /** Whether `tx` has reached commitment `c`. */
  reached(tx: TxRecord, c: Commitment): boolean {
    return tx.slot <= this.slotAt(c);
  }

  confirmationStatus(tx: TxRecord): Commitment {
    if (tx.slot <= this.finalizedSlot) return "finalized";
    return tx.slot <= this.confirmedSlot ? "confirmed" : "processed";
  }

  /** Restores history entries saved with the ledger. */
  restore(entries: Iterable<{ block: BlockRecord; txs: TxRecord[] }>): void {
    for (const { block, txs } of entries) {
      for (const tx of txs) this.history.add(tx);
      this.history.close(block);
    }
  }
}

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const publicKeys = new Map<string, ReturnType<typeof createPublicKey>>();

function publicKey(base58: string): ReturnType<typeof createPublicKey> {
  let key = publicKeys.get(base58);
  if (!key) {
    key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, bs58.decode(base58)]),
      format: "der",
      type: "spki",
    });
    if (publicKeys.size > 100_000) publicKeys.clear();
    publicKeys.set(base58, key);
  }
  return key;
}

function innerInstructions(meta: TransactionMetadata): TxRecord["innerInstructions"] {
  const out: TxRecord["innerInstructions"] = [];
  meta.innerInstructions().forEach((list, index) => {
    if (list.length === 0) return;
    out.push({
      index,
      instructions: list.map((inner) => {
        const ix = inner.instruction();
        return {
          programIdIndex: ix.programIdIndex(),
          accounts: Array.from(ix.accounts()),
          data: bs58.encode(ix.data()),
          stackHeight: inner.stackHeight(),
        };
      }),
    });
  });
  return out;
}

function returnData(meta: TransactionMetadata): TxRecord["returnData"] {
  const rd = meta.returnData();
  const data = rd.data();
  if (data.length === 0) return null;
  return { programId: bs58.encode(rd.programId()), data: [Buffer.from(data).toString("base64"), "base64"] };
}
