import { PublicKey } from "@solana/web3.js";
import { ECE_PAUSE_PROGRAM_ID } from "../ids.js";

export const PAUSE_SEED = Buffer.from("pause");

/** The one pause-state PDA (seed "pause"). */
export function pauseStatePda(programId: PublicKey = ECE_PAUSE_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([PAUSE_SEED], programId);
}
