import { BorshInstructionCoder } from "@coral-xyz/anchor";
import { type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { buildIx as ix } from "../common/ix.js";
import { ecePauseIdl } from "../idl.js";
import { ECE_PAUSE_PROGRAM_ID } from "../ids.js";
import { pauseStatePda } from "./pda.js";

const coder = new BorshInstructionCoder(ecePauseIdl);

/** Overrides for tests and tooling that must send deliberately wrong accounts. */
interface Target {
  programId?: PublicKey;
  pauseState?: PublicKey;
}

/** pause, unpause and set_guardians take the acting key and the pause state. */
function actorAndState(actor: PublicKey, signer: boolean | undefined, pauseState: PublicKey) {
  return [
    { pubkey: actor, isSigner: signer ?? true, isWritable: false },
    { pubkey: pauseState, isSigner: false, isWritable: true },
  ];
}

function target(t: Target): { programId: PublicKey; pauseState: PublicKey } {
  const programId = t.programId ?? ECE_PAUSE_PROGRAM_ID;
  return { programId, pauseState: t.pauseState ?? pauseStatePda(programId)[0] };
}

export function initializeIx(
  p: { payer: PublicKey; authority: PublicKey; guardians: PublicKey[] } & Target,
): TransactionInstruction {
  const { programId, pauseState } = target(p);
  return ix(
    coder,
    "initialize",
    { authority: p.authority, guardians: p.guardians },
    [
      { pubkey: p.payer, isSigner: true, isWritable: true },
      { pubkey: pauseState, isSigner: false, isWritable: true },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
    ],
    programId,
  );
}

export function pauseIx(p: { guardian: PublicKey; reason: number; signer?: boolean } & Target): TransactionInstruction {
  const { programId, pauseState } = target(p);
  return ix(coder, "pause", { reason: p.reason }, actorAndState(p.guardian, p.signer, pauseState), programId);
}

export function unpauseIx(p: { authority: PublicKey; signer?: boolean } & Target): TransactionInstruction {
  const { programId, pauseState } = target(p);
  return ix(coder, "unpause", {}, actorAndState(p.authority, p.signer, pauseState), programId);
}

export function setGuardiansIx(
  p: { authority: PublicKey; guardians: PublicKey[]; signer?: boolean } & Target,
): TransactionInstruction {
  const { programId, pauseState } = target(p);
  return ix(
    coder,
    "set_guardians",
    { guardians: p.guardians },
    actorAndState(p.authority, p.signer, pauseState),
    programId,
  );
}
