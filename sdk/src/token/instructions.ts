import { BorshInstructionCoder } from "@coral-xyz/anchor";
import { type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { buildIx, readonly, signer, u64, writable } from "../common/ix.js";
import { eceTokenIdl } from "../idl.js";
import { ECE_TOKEN_PROGRAM_ID, SPL_TOKEN_PROGRAM_ID } from "../ids.js";
import { pauseStatePda } from "../pause/pda.js";
import { eceMintPda, tokenConfigPda } from "./pda.js";

const coder = new BorshInstructionCoder(eceTokenIdl);

/** Overrides for tests and tooling that must send deliberately wrong accounts. */
export interface TokenTarget {
  programId?: PublicKey;
  config?: PublicKey;
  mint?: PublicKey;
  pauseState?: PublicKey;
  tokenProgram?: PublicKey;
}

function target(t: TokenTarget) {
  const programId = t.programId ?? ECE_TOKEN_PROGRAM_ID;
  return {
    programId,
    config: t.config ?? tokenConfigPda(programId)[0],
    mint: t.mint ?? eceMintPda(programId)[0],
    pauseState: t.pauseState ?? pauseStatePda()[0],
    tokenProgram: t.tokenProgram ?? SPL_TOKEN_PROGRAM_ID,
  };
}

export function initializeIx(
  p: { payer: PublicKey; decimals: number; maxSupply: bigint; admin: PublicKey } & TokenTarget,
): TransactionInstruction {
  const t = target(p);
  return buildIx(
    coder,
    "initialize",
    { decimals: p.decimals, max_supply: u64(p.maxSupply), admin: p.admin },
    [
      signer(p.payer, true),
      writable(t.config),
      writable(t.mint),
      readonly(t.tokenProgram),
      readonly(SystemProgram.programId),
    ],
    t.programId,
  );
}

/** add_minter / remove_minter / set_admin: the admin and the config. */
function adminIx(name: string, args: Record<string, unknown>, p: { admin: PublicKey } & TokenTarget) {
  const t = target(p);
  return buildIx(coder, name, args, [signer(p.admin), writable(t.config)], t.programId);
}

export const addMinterIx = (p: { admin: PublicKey; minter: PublicKey } & TokenTarget) =>
  adminIx("add_minter", { minter: p.minter }, p);

export const removeMinterIx = (p: { admin: PublicKey; minter: PublicKey } & TokenTarget) =>
  adminIx("remove_minter", { minter: p.minter }, p);

export const setAdminIx = (p: { admin: PublicKey; newAdmin: PublicKey } & TokenTarget) =>
  adminIx("set_admin", { admin: p.newAdmin }, p);

export function setCapIx(p: { admin: PublicKey; cap: bigint } & TokenTarget): TransactionInstruction {
  const t = target(p);
  return buildIx(
    coder,
    "set_cap",
    { cap: u64(p.cap) },
    [signer(p.admin), writable(t.config), readonly(t.mint)],
    t.programId,
  );
}

export function mintToIx(
  p: { minter: PublicKey; destination: PublicKey; amount: bigint } & TokenTarget,
): TransactionInstruction {
  const t = target(p);
  return buildIx(
    coder,
    "mint_to",
    { amount: u64(p.amount) },
    [
      signer(p.minter),
      writable(t.config),
      writable(t.mint),
      writable(p.destination),
      readonly(t.tokenProgram),
      readonly(t.pauseState),
    ],
    t.programId,
  );
}

export function burnIx(
  p: { holder: PublicKey; tokenAccount: PublicKey; amount: bigint } & TokenTarget,
): TransactionInstruction {
  const t = target(p);
  return buildIx(
    coder,
    "burn",
    { amount: u64(p.amount) },
    [
      signer(p.holder),
      writable(p.tokenAccount),
      writable(t.config),
      writable(t.mint),
      readonly(t.tokenProgram),
      readonly(t.pauseState),
    ],
    t.programId,
  );
}
