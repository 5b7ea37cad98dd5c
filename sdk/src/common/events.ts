import { BorshCoder, EventParser, type Idl } from "@coral-xyz/anchor";
import type { PublicKey } from "@solana/web3.js";

export interface DecodedEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Decodes the Anchor events a program emitted (`Program data:` lines within
 * its own invocation) from a transaction's logs. */
export function decodeEvents(programId: PublicKey, idl: Idl, logs: readonly string[]): DecodedEvent[] {
  const parser = new EventParser(programId, new BorshCoder(idl));
  return [...parser.parseLogs([...logs])].map((e) => ({ name: e.name, data: e.data as Record<string, unknown> }));
}
