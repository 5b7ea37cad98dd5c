import type { Idl } from "@coral-xyz/anchor";
import { coderFor } from "./coders.js";
import { toJson } from "./json.js";

export interface DecodedInstruction {
  name: string;
  args: Record<string, unknown>;
}

/** Decodes instruction data with the program's IDL; null when no instruction
 * matches the discriminator or the arguments do not parse. */
export function decodeIdlInstruction(idl: Idl, data: Uint8Array): DecodedInstruction | null {
  try {
    const ix = coderFor(idl).instruction.decode(Buffer.from(data));
    return ix ? { name: ix.name, args: toJson(ix.data) as Record<string, unknown> } : null;
  } catch {
    return null;
  }
}
