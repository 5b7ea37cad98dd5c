// Transactions with their status metadata, in the encodings getTransaction and
// getBlock serve.
import bs58 from "bs58";
import type { TxRecord } from "../history.js";
import { isWritableIndex, parseTransaction, type WireMessage } from "../wire.js";
import { Code, invalidParams, RpcError } from "./errors.js";
import { type Config, oneOf } from "./params.js";

export type TransactionEncoding = "json" | "jsonParsed" | "base64" | "base58";
const ENCODINGS: readonly TransactionEncoding[] = ["json", "jsonParsed", "base64", "base58"];

export interface TransactionView {
  encoding: TransactionEncoding;
  /** null: the client did not say, so only legacy transactions may be returned. */
  maxVersion: number | null;
}

export function transactionView(cfg: Config): TransactionView {
  const encoding = oneOf(cfg.encoding, ENCODINGS, "json");
  const v = cfg.maxSupportedTransactionVersion;
  if (v !== undefined && v !== null && v !== 0) {
    throw invalidParams(`Invalid params: unsupported maxSupportedTransactionVersion ${String(v)}`);
  }
  return { encoding, maxVersion: v === 0 ? 0 : null };
}

export function checkVersion(tx: TxRecord, view: TransactionView): void {
  if (tx.version !== "legacy" && view.maxVersion === null) {
    throw new RpcError(
      Code.unsupportedTransactionVersion,
      `Transaction version (${tx.version}) is not supported by the requesting client. ` +
        'Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
    );
  }
}

function messageJson(m: WireMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    accountKeys: m.staticKeys,
    header: m.header,
    recentBlockhash: m.recentBlockhash,
    instructions: m.instructions.map((ix) => ({
      programIdIndex: ix.programIdIndex,
      accounts: ix.accounts,
      data: bs58.encode(ix.data),
      stackHeight: null,
    })),
  };
  if (m.version === 0) out.addressTableLookups = m.lookups;
  return out;
}

/** Account keys with their roles, as jsonParsed and getBlock's "accounts" details give them. */
export function keysWithRoles(m: WireMessage, keys: string[]): Array<Record<string, unknown>> {
  return keys.map((pubkey, i) => ({
    pubkey,
    signer: i < m.header.numRequiredSignatures,
    writable: isWritableIndex(m, i),
    source: i < m.staticKeys.length ? "transaction" : "lookupTable",
  }));
}

/** Inner instructions as Agave gives instructions it has no parser for: program and
 * accounts by address, data base58. */
export function partiallyDecoded(groups: TxRecord["innerInstructions"], keys: string[]): unknown {
  return groups.map((group) => ({
    index: group.index,
    instructions: group.instructions.map((ix) => ({
      programId: keys[ix.programIdIndex],
      accounts: ix.accounts.map((a) => keys[a]),
      data: ix.data,
      stackHeight: ix.stackHeight,
    })),
  }));
}

/** The part of a transaction's meta every detail level carries. */
export function statusMeta(tx: TxRecord): Record<string, unknown> {
  return {
    err: tx.err,
    status: tx.err === null ? { Ok: null } : { Err: tx.err },
    fee: tx.fee,
    preBalances: tx.preBalances,
    postBalances: tx.postBalances,
  };
}

/** jsonParsed with no program parsers: keys as objects, instructions partially decoded. */
function parsedMessageJson(m: WireMessage, tx: TxRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    accountKeys: keysWithRoles(m, tx.keys),
    recentBlockhash: m.recentBlockhash,
    instructions: m.instructions.map((ix) => ({
      programId: tx.keys[ix.programIdIndex],
      accounts: ix.accounts.map((a) => tx.keys[a]),
      data: bs58.encode(ix.data),
      stackHeight: null,
    })),
  };
  if (m.version === 0) out.addressTableLookups = m.lookups;
  return out;
}

export function metaJson(tx: TxRecord, encoding: TransactionEncoding): Record<string, unknown> {
  const parsed = encoding === "jsonParsed";
  const meta: Record<string, unknown> = {
    ...statusMeta(tx),
    innerInstructions: parsed ? partiallyDecoded(tx.innerInstructions, tx.keys) : tx.innerInstructions,
    logMessages: tx.logs,
    preTokenBalances: tx.preTokenBalances,
    postTokenBalances: tx.postTokenBalances,
    rewards: [],
    loadedAddresses: tx.loaded,
    computeUnitsConsumed: tx.computeUnits,
  };
  if (tx.returnData) meta.returnData = tx.returnData;
  return meta;
}

export function transactionJson(tx: TxRecord, view: TransactionView): unknown {
  if (view.encoding === "base64") return [tx.wire, "base64"];
  const bytes = Buffer.from(tx.wire, "base64");
  if (view.encoding === "base58") return [bs58.encode(bytes), "base58"];
  const parsed = parseTransaction(bytes);
  return {
    signatures: parsed.signatures.map((s) => bs58.encode(s)),
    message: view.encoding === "jsonParsed" ? parsedMessageJson(parsed.message, tx) : messageJson(parsed.message),
  };
}

/** The transaction with meta, as in getTransaction and getBlock's `full` details. */
export function encodedTransactionWithMeta(tx: TxRecord, view: TransactionView): Record<string, unknown> {
  checkVersion(tx, view);
  const out: Record<string, unknown> = {
    transaction: transactionJson(tx, view),
    meta: metaJson(tx, view.encoding),
  };
  if (view.maxVersion !== null) out.version = tx.version;
  return out;
}

const MEMO_PROGRAMS = new Set([
  "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",
  "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo",
]);

/** getSignaturesForAddress's memo field: "[length] text" per memo instruction. */
export function memoOf(tx: TxRecord): string | null {
  const { message } = parseTransaction(Buffer.from(tx.wire, "base64"));
  const memos = message.instructions
    .filter((ix) => MEMO_PROGRAMS.has(message.staticKeys[ix.programIdIndex] ?? ""))
    .map((ix) => `[${ix.data.length}] ${Buffer.from(ix.data).toString("utf8")}`);
  return memos.length > 0 ? memos.join("; ") : null;
}
