import { type Idl, LangErrorCode, LangErrorMessage } from "@coral-xyz/anchor";
import type { PublicKey } from "@solana/web3.js";

/** A failed instruction, named the way the program's IDL (or Anchor's framework
 * errors, for account constraints) names it. */
export interface ProgramErrorInfo {
  programId: string;
  code: number | null;
  name: string;
  message: string;
}

/** Code every ECE program uses when it refuses a state change while paused
 * (ece_shared::pause::PAUSED_ERROR). */
export const PAUSED_ERROR_CODE = 6100;

const langNames = new Map<number, string>(Object.entries(LangErrorCode).map(([name, code]) => [code as number, name]));

const FAILED = /^Program (\w+) failed: (.*)$/;
const CUSTOM = /custom program error: 0x([0-9a-f]+)/i;

/**
 * Reads the runtime's logs of a failed transaction and returns the innermost
 * program failure, decoded with the IDLs of the known programs.
 */
export function decodeProgramError(logs: readonly string[], idls: ReadonlyMap<string, Idl>): ProgramErrorInfo | null {
  const line = logs.map((l) => FAILED.exec(l)).find((m) => m !== null);
  if (!line) return null;
  const programId = line[1] ?? "";
  const reason = line[2] ?? "";
  const custom = CUSTOM.exec(reason);
  if (!custom) return { programId, code: null, name: "RuntimeError", message: reason };
  const code = Number.parseInt(custom[1] ?? "", 16);
  const idlError = idls.get(programId)?.errors?.find((e) => e.code === code);
  if (idlError) return { programId, code, name: idlError.name, message: idlError.msg ?? idlError.name };
  if (code === PAUSED_ERROR_CODE) return { programId, code, name: "Paused", message: "The platform is paused" };
  const lang = langNames.get(code);
  if (lang) return { programId, code, name: lang, message: LangErrorMessage.get(code) ?? lang };
  return { programId, code, name: `Custom${code}`, message: reason };
}

export function idlMap(entries: ReadonlyArray<readonly [PublicKey, Idl]>): Map<string, Idl> {
  return new Map(entries.map(([id, idl]) => [id.toBase58(), idl]));
}
