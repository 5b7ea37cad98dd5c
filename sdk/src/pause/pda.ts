import type { PublicKey } from "@solana/web3.js";
import { constantPda } from "../common/ix.js";
import { ECE_PAUSE_PROGRAM_ID } from "../ids.js";

/** The one pause-state PDA (seed "pause"). */
export function pauseStatePda(programId: PublicKey = ECE_PAUSE_PROGRAM_ID): [PublicKey, number] {
  return constantPda("pause", programId);
}
