import { BorshAccountsCoder } from "@coral-xyz/anchor";
import type { AccountInfo, PublicKey } from "@solana/web3.js";
import { big } from "../common/ix.js";
import { eceTokenIdl } from "../idl.js";
import { ECE_TOKEN_PROGRAM_ID } from "../ids.js";

export interface TokenConfig {
  admin: PublicKey;
  mint: PublicKey;
  cap: bigint;
  totalMinted: bigint;
  totalBurned: bigint;
  decimals: number;
  minters: PublicKey[];
}

const coder = new BorshAccountsCoder(eceTokenIdl);

interface Raw {
  admin: PublicKey;
  mint: PublicKey;
  cap: { toString(): string };
  total_minted: { toString(): string };
  total_burned: { toString(): string };
  decimals: number;
  minter_count: number;
  minters: PublicKey[];
}

/** Decodes the `TokenConfig` account; throws if the owner or discriminator is wrong. */
export function decodeTokenConfig(
  account: Pick<AccountInfo<Buffer>, "data" | "owner">,
  programId: PublicKey = ECE_TOKEN_PROGRAM_ID,
): TokenConfig {
  if (!account.owner.equals(programId))
    throw new Error(`token config is owned by ${account.owner.toBase58()}, not ${programId.toBase58()}`);
  const raw = coder.decode<Raw>("TokenConfig", account.data);
  return {
    admin: raw.admin,
    mint: raw.mint,
    cap: big(raw.cap),
    totalMinted: big(raw.total_minted),
    totalBurned: big(raw.total_burned),
    decimals: raw.decimals,
    minters: raw.minters.slice(0, raw.minter_count),
  };
}
