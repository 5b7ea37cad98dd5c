// Accounts in the encodings RPC clients ask for.
import bs58 from "bs58";
import type { AccountState } from "../accounts.js";
import { parsedTokenData, readMint } from "../token.js";
import { Code, invalidParams, RpcError } from "./errors.js";
import { type Config, oneOf, u64 } from "./params.js";

export type AccountEncoding = "base58" | "base64" | "base64+zstd" | "jsonParsed" | "binary";
const ENCODINGS: readonly AccountEncoding[] = ["base58", "base64", "base64+zstd", "jsonParsed", "binary"];

export interface AccountView {
  encoding: AccountEncoding;
  slice: { offset: number; length: number } | null;
}

/** Agave writes u64::MAX, which JSON.stringify cannot: patched into the response text. */
export const RENT_EPOCH_PLACEHOLDER = 2 ** 64;
export const RENT_EPOCH_TEXT = "18446744073709551615";

export function accountView(cfg: Config, fallback: AccountEncoding = "base64"): AccountView {
  const encoding = oneOf(cfg.encoding, ENCODINGS, fallback);
  if (encoding === "base64+zstd") {
    // Node 20 has no zstd; say so rather than send something clients cannot decode.
    throw invalidParams("Invalid params: base64+zstd encoding is not supported by this node; use base64");
  }
  let slice: AccountView["slice"] = null;
  if (cfg.dataSlice !== undefined && cfg.dataSlice !== null) {
    const ds = cfg.dataSlice as Record<string, unknown>;
    if (typeof ds !== "object") throw invalidParams("Invalid params: invalid type, expected struct UiDataSliceConfig.");
    slice = { offset: u64(ds.offset, "usize"), length: u64(ds.length, "usize") };
  }
  return { encoding, slice };
}

export interface AccountJson {
  lamports: number;
  owner: string;
  data: unknown;
  executable: boolean;
  rentEpoch: number;
  space: number;
}

export function encodeAccount(
  a: AccountState,
  view: AccountView,
  decimalsOf: (mint: string) => number | null,
): AccountJson {
  return {
    lamports: Number(a.lamports),
    owner: a.owner,
    data: encodeData(a, view, decimalsOf),
    executable: a.executable,
    rentEpoch: RENT_EPOCH_PLACEHOLDER,
    space: a.data.length,
  };
}

function encodeData(a: AccountState, view: AccountView, decimalsOf: (mint: string) => number | null): unknown {
  // As Agave: token accounts and mints are parsed whole, whatever the slice.
  if (view.encoding === "jsonParsed") {
    const parsed = parsedTokenData(a, decimalsOf);
    if (parsed) return parsed;
  }
  const data = view.slice ? a.data.subarray(view.slice.offset, view.slice.offset + view.slice.length) : a.data;
  if (view.encoding === "base58" || view.encoding === "binary") {
    if (data.length > 128) {
      throw new RpcError(
        Code.invalidRequest,
        "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
      );
    }
    const text = bs58.encode(data);
    return view.encoding === "binary" ? text : [text, "base58"];
  }
  return [Buffer.from(data).toString("base64"), "base64"];
}

/** Decimals of a mint at the newest state, for token amounts. */
export function decimalsReader(current: (key: string) => AccountState | null): (mint: string) => number | null {
  return (mint) => readMint(current(mint))?.decimals ?? null;
}

/** getProgramAccounts / programSubscribe filters. */
export type AccountFilter = (a: AccountState) => boolean;

export function accountFilters(v: unknown): AccountFilter[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidParams("Invalid params: invalid type, expected a sequence of filters.");
  if (v.length > 4) throw invalidParams("Too many filters provided; max 4");
  return v.map((f: unknown): AccountFilter => {
    const filter = f as Record<string, unknown> | null;
    if (filter && typeof filter.dataSize === "number") {
      const size = u64(filter.dataSize);
      return (a) => a.data.length === size;
    }
    const memcmp = filter?.memcmp as Record<string, unknown> | undefined;
    if (memcmp && typeof memcmp === "object") {
      const offset = u64(memcmp.offset, "usize");
      const encoding = oneOf(memcmp.encoding, ["base58", "base64"] as const, "base58");
      if (typeof memcmp.bytes !== "string") throw invalidParams("Invalid params: memcmp.bytes must be a string.");
      let bytes: Buffer;
      try {
        bytes = encoding === "base58" ? Buffer.from(bs58.decode(memcmp.bytes)) : Buffer.from(memcmp.bytes, "base64");
      } catch {
        throw invalidParams(`Invalid param: encoded binary data should be ${encoding}`);
      }
      if (bytes.length > 128) throw invalidParams("Invalid param: filter data too large (max 128 bytes)");
      return (a) =>
        offset + bytes.length <= a.data.length &&
        bytes.equals(Buffer.from(a.data.buffer, a.data.byteOffset + offset, bytes.length));
    }
    if (filter && filter.tokenAccountState !== undefined) return (a) => a.data.length >= 165;
    throw invalidParams(`Invalid params: unknown filter ${JSON.stringify(f)}`);
  });
}
