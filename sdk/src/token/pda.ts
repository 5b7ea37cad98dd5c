import type { PublicKey } from "@solana/web3.js";
import { constantPda } from "../common/ix.js";
import { ECE_TOKEN_PROGRAM_ID } from "../ids.js";

/** The config PDA (seed "config"): admin, cap, minters; mint and freeze authority. */
export function tokenConfigPda(programId: PublicKey = ECE_TOKEN_PROGRAM_ID): [PublicKey, number] {
  return constantPda("config", programId);
}

/** The ECE mint PDA (seed "mint"). */
export function eceMintPda(programId: PublicKey = ECE_TOKEN_PROGRAM_ID): [PublicKey, number] {
  return constantPda("mint", programId);
}
