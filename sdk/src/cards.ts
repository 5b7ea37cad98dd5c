// Card NFTs: an SPL mint with decimals 0 and a supply fixed at 1 (the mint
// authority is dropped after the one token is minted).
import {
  AuthorityType,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToCheckedInstruction,
  createSetAuthorityInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
} from "@solana/spl-token";
import { type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { SPL_TOKEN_PROGRAM_ID } from "./ids.js";

export { MINT_SIZE };

export interface MintCardParams {
  /** Fee payer and mint authority (the platform key). */
  authority: PublicKey;
  /** The new mint's address (a fresh keypair that signs its creation). */
  mint: PublicKey;
  /** Wallet that receives the card. */
  owner: PublicKey;
  /** Rent-exempt lamports for a mint account (getMinimumBalanceForRentExemption(MINT_SIZE)). */
  rentLamports: number;
}

/**
 * A card NFT in one transaction: create and initialise the mint (decimals 0,
 * no freeze authority), create the owner's associated account idempotently,
 * mint 1, then drop the mint authority so the supply stays 1 forever.
 * Signers: `authority` and the mint keypair.
 */
export function mintCardIxs(p: MintCardParams): TransactionInstruction[] {
  // A card may belong to a program account (a PDA, off the ed25519 curve), as any token may.
  const ata = getAssociatedTokenAddressSync(p.mint, p.owner, true);
  return [
    SystemProgram.createAccount({
      fromPubkey: p.authority,
      newAccountPubkey: p.mint,
      lamports: p.rentLamports,
      space: MINT_SIZE,
      programId: SPL_TOKEN_PROGRAM_ID,
    }),
    createInitializeMint2Instruction(p.mint, 0, p.authority, null),
    createAssociatedTokenAccountIdempotentInstruction(p.authority, ata, p.owner, p.mint),
    createMintToCheckedInstruction(p.mint, ata, p.authority, 1n, 0),
    createSetAuthorityInstruction(p.mint, p.authority, AuthorityType.MintTokens, null),
  ];
}
