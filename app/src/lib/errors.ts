// One readable line for whatever went wrong: API errors by code, program errors by name,
// wallet refusals as such; never a raw log.
import { ApiError } from "./api";

/** A failed program instruction, decoded with the programs' IDLs. */
export class ChainError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly signature: string | null = null,
  ) {
    super(message);
  }
}

export function errorName(e: unknown): string {
  if (e instanceof ChainError) return e.errorName;
  if (e instanceof ApiError) return e.code;
  const name = (e as { name?: string } | null)?.name;
  if (name && /Wallet.*Error/.test(name)) return rejected(e) ? "Rejected" : name;
  return "Error";
}

function rejected(e: unknown): boolean {
  return /reject|denied|cancel/i.test((e as Error)?.message ?? "");
}

export function errorText(e: unknown): string {
  if (e instanceof ChainError || e instanceof ApiError) return e.message;
  if (rejected(e)) return "You declined the request in your wallet.";
  const msg = (e as Error)?.message ?? String(e);
  // Anything else is cut to its first line: stack traces and logs are not for people.
  return msg.split("\n")[0] ?? msg;
}
