import { BorshAccountsCoder } from "@coral-xyz/anchor";
import type { AccountInfo, PublicKey } from "@solana/web3.js";
import { ecePauseIdl } from "../idl.js";

export interface PauseState {
  authority: PublicKey;
  paused: boolean;
  reason: number;
  lastChangedBy: PublicKey;
  lastChangedSlot: bigint;
  guardians: PublicKey[];
}

const coder = new BorshAccountsCoder(ecePauseIdl);

interface RawPauseState {
  authority: PublicKey;
  paused: boolean;
  guardian_count: number;
  reason: number;
  last_changed_by: PublicKey;
  last_changed_slot: { toString(): string };
  guardians: PublicKey[];
}

/** Decodes a `PauseState` account; throws if the owner or discriminator is wrong. */
export function decodePauseState(
  account: Pick<AccountInfo<Buffer>, "data" | "owner">,
  programId: PublicKey,
): PauseState {
  if (!account.owner.equals(programId))
    throw new Error(`pause state is owned by ${account.owner.toBase58()}, not ${programId.toBase58()}`);
  const raw = coder.decode<RawPauseState>("PauseState", account.data);
  return {
    authority: raw.authority,
    paused: raw.paused,
    reason: raw.reason,
    lastChangedBy: raw.last_changed_by,
    lastChangedSlot: BigInt(raw.last_changed_slot.toString()),
    guardians: raw.guardians.slice(0, raw.guardian_count),
  };
}
