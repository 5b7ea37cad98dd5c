// Sending, simulating and looking up transactions.
import bs58 from "bs58";
import { type Ledger, Rejection, type Simulation } from "../../ledger.js";
import { PACKET_DATA_SIZE } from "../../wire.js";
import { accountView, decimalsReader, encodeAccount } from "../encode.js";
import { Code, invalidParams, RpcError } from "../errors.js";
import type { MethodTable, RpcContext } from "../methods.js";
import {
  bool,
  type Config,
  checkMinContextSlot,
  commitment,
  config,
  context,
  historyCommitment,
  oneOf,
  pubkey,
  required,
  signature,
  string,
  u64,
} from "../params.js";
import { encodedTransactionWithMeta, memoOf, partiallyDecoded, transactionView } from "../transaction-json.js";

const MAX_BASE58_SIZE = 1683;
const MAX_BASE64_SIZE = 1644;
const MAX_SIGNATURE_STATUSES = 256;
const MAX_SIGNATURES_FOR_ADDRESS = 1000;
/** Statuses of this many recent slots are answered without searchTransactionHistory. */
const STATUS_CACHE_SLOTS = 300;

/** The transaction bytes of sendTransaction / simulateTransaction, with Agave's size checks. */
function decodeWire(encoded: string, cfg: Config): Uint8Array {
  const encoding = oneOf(cfg.encoding, ["base58", "base64"] as const, "base58");
  const max = encoding === "base58" ? MAX_BASE58_SIZE : MAX_BASE64_SIZE;
  const type = "solana_transaction::versioned::VersionedTransaction";
  if (encoded.length > max) {
    throw invalidParams(
      `${encoding} encoded ${type} too large: ${encoded.length} bytes (max: encoded/raw ${max}/${PACKET_DATA_SIZE})`,
    );
  }
  let bytes: Uint8Array;
  if (encoding === "base58") {
    try {
      bytes = bs58.decode(encoded);
    } catch {
      throw invalidParams(`invalid base58 encoding: ${base58ErrorDebug(encoded)}`);
    }
  } else {
    const problem = base64ErrorDebug(encoded);
    if (problem !== null) throw invalidParams(`invalid base64 encoding: ${problem}`);
    bytes = Buffer.from(encoded, "base64");
  }
  if (bytes.length > PACKET_DATA_SIZE) {
    throw invalidParams(`decoded ${type} too large: ${bytes.length} bytes (max: ${PACKET_DATA_SIZE} bytes)`);
  }
  return bytes;
}

const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** The Rust bs58 crate's error, as Agave prints it (`{:?}`). */
function base58ErrorDebug(encoded: string): string {
  const bytes = Buffer.from(encoded, "utf8");
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) return `NonAsciiCharacter { index: ${i} }`;
    const c = String.fromCharCode(b);
    if (!BASE58_ALPHABET.includes(c)) return `InvalidCharacter { character: '${rustCharDebug(c)}', index: ${i} }`;
  }
  return "BufferTooSmall";
}

const BASE64_VALUES = new Map(
  [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c.charCodeAt(0), i]),
);

/** Why the base64 crate (standard alphabet, canonical padding) rejects `encoded`, as Agave prints it; null if it does not. */
function base64ErrorDebug(encoded: string): string | null {
  const bytes = Buffer.from(encoded, "utf8");
  let symbols = bytes.length;
  while (symbols > 0 && bytes[symbols - 1] === 0x3d) symbols--;
  for (let i = 0; i < symbols; i++) {
    const b = bytes[i] as number;
    if (!BASE64_VALUES.has(b)) return `InvalidByte(${i}, ${b})`;
  }
  const padding = bytes.length - symbols;
  // Padding may only follow 2 or 3 symbols of a quad and must end with it.
  if (padding > 0 && (symbols % 4 < 2 || (symbols % 4) + padding > 4)) return `InvalidByte(${symbols}, 61)`;
  if (symbols % 4 === 1) return `InvalidLength(${symbols})`;
  if (padding !== (4 - (symbols % 4)) % 4) return "InvalidPadding";
  const last = symbols - 1;
  const unused = symbols % 4 === 2 ? 0x0f : symbols % 4 === 3 ? 0x03 : 0;
  if (unused && ((BASE64_VALUES.get(bytes[last] as number) as number) & unused) !== 0) {
    return `InvalidLastSymbol(${last}, ${bytes[last]})`;
  }
  return null;
}

function rustCharDebug(c: string): string {
  const escapes: Record<string, string> = {
    "'": "\\'",
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\0": "\\0",
  };
  const escaped = escapes[c];
  if (escaped !== undefined) return escaped;
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\u{${code.toString(16)}}` : c;
}

function rejectionError(e: unknown): never {
  if (e instanceof Rejection) {
    const code = e.kind === "signature" ? Code.signatureVerificationFailure : Code.invalidParams;
    throw new RpcError(code, e.message);
  }
  throw e;
}

function simulationJson(sim: Simulation, accounts: unknown, inner: boolean): Record<string, unknown> {
  return {
    err: sim.failure?.json ?? null,
    logs: sim.logs,
    accounts,
    unitsConsumed: sim.unitsConsumed,
    returnData: sim.returnData,
    // Agave serves these parsed (UiInnerInstructions); with no program parsers, every
    // instruction is in the "partially decoded" form: keys by address, data base58.
    innerInstructions: inner ? partiallyDecoded(sim.innerInstructions, sim.keys) : null,
    replacementBlockhash: sim.replacementBlockhash,
    loadedAccountsDataSize: 0,
    fee: sim.failure ? null : sim.fee,
  };
}

export function transactionMethods({ ledger, airdrop }: RpcContext): MethodTable {
  const decimalsOf = decimalsReader((k) => ledger.accounts.current(k));
  return {
    sendTransaction: (params) => {
      const encoded = string(required(params, 0));
      const cfg = config(params, 1);
      const wire = decodeWire(encoded, cfg);
      const skipPreflight = cfg.skipPreflight === undefined ? false : bool(cfg.skipPreflight);
      checkMinContextSlot(cfg, ledger, commitment({ commitment: cfg.preflightCommitment }));
      if (cfg.maxRetries !== undefined && cfg.maxRetries !== null) u64(cfg.maxRetries, "usize");
      let result: ReturnType<Ledger["submit"]>;
      try {
        result = ledger.submit(wire, { skipPreflight });
      } catch (e) {
        rejectionError(e);
      }
      if (result.status === "rejected") {
        const sim = result.simulation;
        throw new RpcError(Code.preflightFailure, `Transaction simulation failed: ${sim.failure?.message ?? ""}`, {
          ...simulationJson(sim, null, false),
          fee: null,
        });
      }
      return result.status === "landed" ? result.tx.signature : result.signature;
    },

    simulateTransaction: (params) => {
      const encoded = string(required(params, 0));
      const cfg = config(params, 1);
      const wire = decodeWire(encoded, cfg);
      const sigVerify = cfg.sigVerify === undefined ? false : bool(cfg.sigVerify);
      const replaceRecentBlockhash =
        cfg.replaceRecentBlockhash === undefined ? false : bool(cfg.replaceRecentBlockhash);
      if (sigVerify && replaceRecentBlockhash) {
        throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
      }
      const inner = cfg.innerInstructions === undefined ? false : bool(cfg.innerInstructions);
      const c = commitment(cfg);
      const slot = checkMinContextSlot(cfg, ledger, c);
      const accountsCfg = cfg.accounts as Record<string, unknown> | undefined | null;
      let addresses: string[] | null = null;
      let view = accountView({}, "base64");
      if (accountsCfg !== undefined && accountsCfg !== null) {
        if (typeof accountsCfg !== "object" || !Array.isArray(accountsCfg.addresses)) {
          throw invalidParams("Invalid params: accounts.addresses must be a sequence of addresses.");
        }
        addresses = accountsCfg.addresses.map(pubkey);
        view = accountView(accountsCfg, "base64");
        if (view.encoding === "base58" || view.encoding === "binary") {
          throw invalidParams("base58 encoding not supported");
        }
      }
      let sim: Simulation;
      try {
        const parsed = ledger.admit(wire, sigVerify);
        sim = ledger.simulate(wire, parsed, { replaceRecentBlockhash });
      } catch (e) {
        rejectionError(e);
      }
      if (addresses !== null && addresses.length > sim.keys.length) {
        throw invalidParams(`Too many accounts provided; max ${sim.keys.length}`);
      }
      const accounts =
        addresses === null
          ? null
          : addresses.map((k) => {
              const a = sim.failure ? null : (sim.post.get(k) ?? ledger.accounts.current(k));
              return a ? encodeAccount(a, view, decimalsOf) : null;
            });
      return { context: context(slot), value: simulationJson(sim, accounts, inner) };
    },

    requestAirdrop: (params) => {
      const to = pubkey(required(params, 0));
      const lamports = u64(required(params, 1));
      commitment(config(params, 2));
      if (lamports === 0) throw invalidParams("Invalid params: lamports must be greater than zero");
      return airdrop(to, lamports);
    },

    getSignatureStatuses: (params) => {
      const raw = required(params, 0);
      if (!Array.isArray(raw)) throw invalidParams("Invalid params: invalid type, expected a sequence.");
      if (raw.length > MAX_SIGNATURE_STATUSES) {
        throw invalidParams(`Too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`);
      }
      const sigs = raw.map(signature);
      const cfg = config(params, 1);
      const search = cfg.searchTransactionHistory === undefined ? false : bool(cfg.searchTransactionHistory);
      const value = sigs.map((sig) => {
        const tx = ledger.history.tx(sig);
        if (!tx || (!search && tx.slot < ledger.processedSlot - STATUS_CACHE_SLOTS)) return null;
        const status = ledger.confirmationStatus(tx);
        return {
          slot: tx.slot,
          confirmations: status === "finalized" ? null : Math.max(0, ledger.confirmedSlot - tx.slot + 1),
          err: tx.err,
          status: tx.err === null ? { Ok: null } : { Err: tx.err },
          confirmationStatus: status,
        };
      });
      return { context: context(ledger.processedSlot), value };
    },

    getTransaction: (params) => {
      const sig = signature(required(params, 0));
      const rawCfg = params[1];
      // The old positional form: a bare encoding string.
      const cfg = typeof rawCfg === "string" ? { encoding: rawCfg } : config(params, 1);
      const c = historyCommitment(cfg);
      const view = transactionView(cfg);
      const tx = ledger.history.tx(sig);
      if (!tx || !ledger.reached(tx, c)) return null;
      return { slot: tx.slot, blockTime: tx.blockTime, ...encodedTransactionWithMeta(tx, view) };
    },

    getSignaturesForAddress: (params) => {
      const address = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = historyCommitment(cfg);
      checkMinContextSlot(cfg, ledger, c);
      const limit = cfg.limit === undefined || cfg.limit === null ? MAX_SIGNATURES_FOR_ADDRESS : u64(cfg.limit);
      if (limit < 1 || limit > MAX_SIGNATURES_FOR_ADDRESS) {
        throw invalidParams(`Invalid limit; max ${MAX_SIGNATURES_FOR_ADDRESS}`);
      }
      const before = cfg.before === undefined || cfg.before === null ? null : signature(cfg.before);
      const until = cfg.until === undefined || cfg.until === null ? null : signature(cfg.until);
      const list = ledger.history.signaturesFor(address);
      let i = list.length - 1;
      if (before !== null) {
        i = list.lastIndexOf(before) - 1;
        if (i < -1) return [];
      }
      const out: Array<Record<string, unknown>> = [];
      for (; i >= 0 && out.length < limit; i--) {
        const sig = list[i];
        if (sig === undefined || sig === until) break;
        const tx = ledger.history.tx(sig);
        if (!tx || !ledger.reached(tx, c)) continue;
        out.push({
          signature: sig,
          slot: tx.slot,
          err: tx.err,
          memo: memoOf(tx),
          blockTime: tx.blockTime,
          confirmationStatus: ledger.confirmationStatus(tx),
        });
      }
      return out;
    },
  };
}
