import type { BorshInstructionCoder } from "@coral-xyz/anchor";
import { type AccountMeta, PublicKey, TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";

/** An instruction whose data the program's IDL encodes. */
export function buildIx(
  coder: BorshInstructionCoder,
  name: string,
  args: Record<string, unknown>,
  keys: AccountMeta[],
  programId: PublicKey,
): TransactionInstruction {
  return new TransactionInstruction({ programId, keys, data: coder.encode(name, args) });
}

export const signer = (pubkey: PublicKey, isWritable = false): AccountMeta => ({ pubkey, isSigner: true, isWritable });
export const writable = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: true });
export const readonly = (pubkey: PublicKey): AccountMeta => ({ pubkey, isSigner: false, isWritable: false });

/** u64 arguments: the Anchor coder takes BN. */
export const u64 = (v: bigint | number): BN => new BN(v.toString());

/** Anchor decodes u64/i64 as BN; the SDK exposes bigint. */
export const big = (v: { toString(): string }): bigint => BigInt(v.toString());

/** Memoised per program: PDAs without variable seeds are derived once (the
 * curve checks behind `findProgramAddressSync` are slow in JS). */
export function constantPda(seed: string, programId: PublicKey): [PublicKey, number] {
  const key = `${seed}:${programId.toBase58()}`;
  let pda = constantPdas.get(key);
  if (!pda) {
    pda = PublicKey.findProgramAddressSync([Buffer.from(seed)], programId);
    constantPdas.set(key, pda);
  }
  return pda;
}

const constantPdas = new Map<string, [PublicKey, number]>();
