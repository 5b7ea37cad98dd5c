// The BPF Upgradeable Loader (loader v3) instructions a deployment needs, encoded
// from the public layout (solana-loader-v3-interface): a bincode enum, the
// variant as a u32 LE, then its fields (u32 / u64 LE, a Vec<u8> as u64 length + bytes).
import {
  type AccountInfo,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  SystemProgram,
  TransactionInstruction,
} from "@solana/web3.js";

export const BPF_LOADER_UPGRADEABLE_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
/** The older, non-upgradeable loaders: LiteSVM's addProgram (and so the localnet) uses loader v2. */
export const BPF_LOADER_2_ID = new PublicKey("BPFLoader2111111111111111111111111111111111");
export const BPF_LOADER_1_ID = new PublicKey("BPFLoader1111111111111111111111111111111111");

/** UpgradeableLoaderState sizes: the enum tag (u32) then the variant's fields. */
export const BUFFER_METADATA_SIZE = 4 + 1 + 32; // Buffer { authority: Option<Pubkey> }
export const PROGRAM_SIZE = 4 + 32; // Program { programdata_address }
export const PROGRAMDATA_METADATA_SIZE = 4 + 8 + 1 + 32; // ProgramData { slot, upgrade_authority: Option<Pubkey> }

/** UpgradeableLoaderState variants, as stored in an account's first four bytes. */
export const LoaderState = { Uninitialized: 0, Buffer: 1, Program: 2, ProgramData: 3 } as const;

const Ix = { InitializeBuffer: 0, Write: 1, DeployWithMaxDataLen: 2 } as const;

function tag(variant: number, rest = 0): Buffer {
  const b = Buffer.alloc(4 + rest);
  b.writeUInt32LE(variant, 0);
  return b;
}

/** The program's data account: PDA [program_id] of the loader. */
export function programDataAddress(program: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([program.toBuffer()], BPF_LOADER_UPGRADEABLE_ID)[0];
}

/** InitializeBuffer: [w] buffer, [] authority (the only key that may write to it). */
export function initializeBufferIx(buffer: PublicKey, authority: PublicKey): TransactionInstruction {
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_ID,
    keys: [
      { pubkey: buffer, isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: false, isWritable: false },
    ],
    data: tag(Ix.InitializeBuffer),
  });
}

/** Write { offset: u32, bytes: Vec<u8> }: [w] buffer, [s] authority. */
export function writeIx(
  buffer: PublicKey,
  authority: PublicKey,
  offset: number,
  bytes: Uint8Array,
): TransactionInstruction {
  const data = tag(Ix.Write, 4 + 8 + bytes.length);
  data.writeUInt32LE(offset, 4);
  data.writeBigUInt64LE(BigInt(bytes.length), 8);
  data.set(bytes, 16);
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_ID,
    keys: [
      { pubkey: buffer, isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: true, isWritable: false },
    ],
    data,
  });
}

/** DeployWithMaxDataLen { max_data_len: u64 }: [w,s] payer, [w] programdata, [w] program,
 * [w] buffer, [] rent, [] clock, [] system program, [s] upgrade authority. The program
 * account must already exist, owned by the loader, PROGRAM_SIZE bytes, rent-exempt. */
export function deployWithMaxDataLenIx(p: {
  payer: PublicKey;
  program: PublicKey;
  buffer: PublicKey;
  upgradeAuthority: PublicKey;
  maxDataLen: number;
}): TransactionInstruction {
  const data = tag(Ix.DeployWithMaxDataLen, 8);
  data.writeBigUInt64LE(BigInt(p.maxDataLen), 4);
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_ID,
    keys: [
      { pubkey: p.payer, isSigner: true, isWritable: true },
      { pubkey: programDataAddress(p.program), isSigner: false, isWritable: true },
      { pubkey: p.program, isSigner: false, isWritable: true },
      { pubkey: p.buffer, isSigner: false, isWritable: true },
      { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
      { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
      { pubkey: p.upgradeAuthority, isSigner: true, isWritable: false },
    ],
    data,
  });
}

/** A system create_account of `space` bytes owned by the upgradeable loader. */
export function createLoaderAccountIx(
  payer: PublicKey,
  account: PublicKey,
  space: number,
  lamports: number,
): TransactionInstruction {
  return SystemProgram.createAccount({
    fromPubkey: payer,
    newAccountPubkey: account,
    lamports,
    space,
    programId: BPF_LOADER_UPGRADEABLE_ID,
  });
}

export type ProgramAccountState =
  | { kind: "missing" }
  | { kind: "notExecutable"; owner: PublicKey }
  | { kind: "deployed"; loader: PublicKey; programData: PublicKey | null };

/** What a program address holds: nothing, a non-program account, or a deployed
 * program (for loader v3, the program account names its ProgramData account). */
export function programAccountState(
  info: Pick<AccountInfo<Buffer>, "owner" | "executable" | "data"> | null,
): ProgramAccountState {
  if (!info) return { kind: "missing" } as const;
  const loaders = [BPF_LOADER_UPGRADEABLE_ID, BPF_LOADER_2_ID, BPF_LOADER_1_ID];
  if (!info.executable || !loaders.some((l) => l.equals(info.owner))) {
    return { kind: "notExecutable", owner: info.owner } as const;
  }
  if (!info.owner.equals(BPF_LOADER_UPGRADEABLE_ID)) {
    return { kind: "deployed", loader: info.owner, programData: null } as const;
  }
  const isProgram = info.data.length >= PROGRAM_SIZE && info.data.readUInt32LE(0) === LoaderState.Program;
  return {
    kind: "deployed",
    loader: info.owner,
    programData: isProgram ? new PublicKey(info.data.subarray(4, 36)) : null,
  } as const;
}

/** A ProgramData account's deploy slot and upgrade authority (null: immutable). */
export function decodeProgramData(data: Buffer): { slot: bigint; upgradeAuthority: PublicKey | null } | null {
  if (data.length < PROGRAMDATA_METADATA_SIZE || data.readUInt32LE(0) !== LoaderState.ProgramData) return null;
  return {
    slot: data.readBigUInt64LE(4),
    upgradeAuthority: data[12] === 1 ? new PublicKey(data.subarray(13, 45)) : null,
  };
}
