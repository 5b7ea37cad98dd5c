// Positional-parameter readers that fail the way Agave's RPC does.
import bs58 from "bs58";
import type { Commitment, Ledger } from "../ledger.js";
import { invalidParams, minContextSlotNotReached, type RpcError } from "./errors.js";

export type Params = readonly unknown[];
export type Config = Record<string, unknown>;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "sequence";
  if (typeof v === "object") return "map";
  if (typeof v === "number") return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
  if (typeof v === "string") return `string "${v}"`;
  return typeof v;
}

function wrongType(v: unknown, expected: string): RpcError {
  return invalidParams(`Invalid params: invalid type: ${typeName(v)}, expected ${expected}.`);
}

export function required(params: Params, i: number): unknown {
  if (params.length <= i || params[i] === undefined) {
    throw invalidParams(`Invalid params: invalid length ${params.length}, expected at least ${i + 1}.`);
  }
  return params[i];
}

export function string(v: unknown, expected = "a string"): string {
  if (typeof v !== "string") throw wrongType(v, expected);
  return v;
}

export function pubkey(v: unknown): string {
  const s = string(v, "a string");
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(s);
  } catch {
    throw invalidParams("Invalid param: Invalid");
  }
  if (bytes.length !== 32) throw invalidParams("Invalid param: WrongSize");
  return s;
}

export function signature(v: unknown): string {
  const s = string(v);
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(s);
  } catch {
    throw invalidParams("Invalid param: Invalid");
  }
  if (bytes.length !== 64) throw invalidParams("Invalid param: WrongSize");
  return s;
}

export function u64(v: unknown, what = "u64"): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw wrongType(v, what);
  return v;
}

export function bool(v: unknown): boolean {
  if (typeof v !== "boolean") throw wrongType(v, "a boolean");
  return v;
}

/** The optional config object at `i`. */
export function config(params: Params, i: number): Config {
  const v = params[i];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw wrongType(v, "struct RpcConfig");
  return v as Config;
}

const COMMITMENTS: Record<string, Commitment> = {
  processed: "processed",
  confirmed: "confirmed",
  finalized: "finalized",
  // Deprecated names that clients still send.
  recent: "processed",
  single: "confirmed",
  singleGossip: "confirmed",
  root: "finalized",
  max: "finalized",
};

export function commitment(cfg: Config, fallback: Commitment = "finalized"): Commitment {
  const v = cfg.commitment;
  if (v === undefined || v === null) return fallback;
  const c = typeof v === "string" ? COMMITMENTS[v] : undefined;
  if (!c) {
    throw invalidParams(
      `Invalid params: unknown variant \`${String(v)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\`.`,
    );
  }
  return c;
}

/** Methods that read history do not accept `processed`. */
export function historyCommitment(cfg: Config): Commitment {
  const c = commitment(cfg);
  if (c === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
  return c;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw invalidParams(
      `Invalid params: unknown variant \`${String(v)}\`, expected one of ${allowed.map((a) => `\`${a}\``).join(", ")}.`,
    );
  }
  return v as T;
}

/** Fails when the node has not reached the client's minContextSlot. */
export function checkMinContextSlot(cfg: Config, ledger: Ledger, c: Commitment): number {
  const slot = ledger.slotAt(c);
  if (cfg.minContextSlot !== undefined && cfg.minContextSlot !== null) {
    if (slot < u64(cfg.minContextSlot)) throw minContextSlotNotReached(slot);
  }
  return slot;
}

export function context(slot: number): { apiVersion: string; slot: number } {
  return { apiVersion: API_VERSION, slot };
}

/** The Agave version whose program runtime LiteSVM embeds. */
export const API_VERSION = "4.3.0";
