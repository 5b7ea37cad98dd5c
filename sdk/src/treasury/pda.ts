import { PublicKey } from "@solana/web3.js";
import { ECE_TREASURY_PROGRAM_ID } from "../ids.js";

const seed = (s: string) => Buffer.from(s);
const le = (v: bigint, bytes: number) => {
  const b = Buffer.alloc(bytes);
  if (bytes === 8) b.writeBigUInt64LE(v);
  else b.writeUInt32LE(Number(v));
  return b;
};

/** The multisig PDA ["multisig", create_key]. */
export function multisigPda(createKey: PublicKey, programId = ECE_TREASURY_PROGRAM_ID): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([seed("multisig"), createKey.toBuffer()], programId);
}

/** The multisig's token account for `mint`: ["vault", multisig, mint]. */
export function vaultPda(
  multisig: PublicKey,
  mint: PublicKey,
  programId = ECE_TREASURY_PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([seed("vault"), multisig.toBuffer(), mint.toBuffer()], programId);
}

/** A proposal by its index: ["proposal", multisig, index u64 LE]. */
export function proposalPda(
  multisig: PublicKey,
  index: bigint,
  programId = ECE_TREASURY_PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([seed("proposal"), multisig.toBuffer(), le(index, 8)], programId);
}

/** The payout batch of a week for a mint: ["payout", multisig, mint, week u32 LE]. */
export function payoutPda(
  multisig: PublicKey,
  mint: PublicKey,
  week: number,
  programId = ECE_TREASURY_PROGRAM_ID,
): [PublicKey, number] {
  return PublicKey.findProgramAddressSync(
    [seed("payout"), multisig.toBuffer(), mint.toBuffer(), le(BigInt(week), 4)],
    programId,
  );
}
