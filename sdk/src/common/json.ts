import { PublicKey } from "@solana/web3.js";
import BN from "bn.js";

/**
 * Anchor's decoded values as plain JSON, for storage and APIs: integers from
 * BN/bigint as decimal strings (u64 does not fit a JSON number), public keys
 * as base58, byte arrays as hex, enum variants `{ Name: {} }` kept as objects.
 */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (BN.isBN(value) || typeof value === "bigint") return value.toString();
  if (value instanceof PublicKey) return value.toBase58();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (Array.isArray(value)) {
    // Fixed byte arrays ([u8; N]) decode as number arrays; store them as hex.
    if (value.length > 0 && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255) && value.length >= 16)
      return Buffer.from(value as number[]).toString("hex");
    return value.map(toJson);
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}
