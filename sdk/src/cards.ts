// Card NFTs: an SPL mint with decimals 0 and a supply fixed at 1 (the mint
// authority is dropped after the one token is minted). The SPL Token and
// Associated Token instructions the platform needs are written out here so the
// SDK carries no extra dependency; their layouts are SPL Token's own.
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { SPL_TOKEN_PROGRAM_ID } from "./ids.js";

export const ASSOCIATED_TOKEN_PROGRAM_ID = new PublicKey("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
/** Size of an SPL mint account. */
export const MINT_SIZE = 82;
/** Size of an SPL token account. */
export const TOKEN_ACCOUNT_SIZE = 165;

const ix = (keys: TransactionInstruction["keys"], data: Buffer, programId = SPL_TOKEN_PROGRAM_ID) =>
  new TransactionInstruction({ programId, keys, data });
const w = (pubkey: PublicKey, isSigner = false) => ({ pubkey, isSigner, isWritable: true });
const r = (pubkey: PublicKey, isSigner = false) => ({ pubkey, isSigner, isWritable: false });

function amountData(tag: number, amount: bigint, decimals?: number): Buffer {
  const data = Buffer.alloc(decimals === undefined ? 9 : 10);
  data.writeUInt8(tag, 0);
  data.writeBigUInt64LE(amount, 1);
  if (decimals !== undefined) data.writeUInt8(decimals, 9);
  return data;
}

/** The associated token account of `owner` for `mint`. */
export function associatedTokenAddress(owner: PublicKey, mint: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync(
    [owner.toBuffer(), SPL_TOKEN_PROGRAM_ID.toBuffer(), mint.toBuffer()],
    ASSOCIATED_TOKEN_PROGRAM_ID,
  )[0];
}

/** Creates `owner`'s associated token account for `mint` unless it exists (then it does nothing). */
export function createAtaIdempotentIx(payer: PublicKey, owner: PublicKey, mint: PublicKey): TransactionInstruction {
  return ix(
    [
      w(payer, true),
      w(associatedTokenAddress(owner, mint)),
      r(owner),
      r(mint),
      r(SystemProgram.programId),
      r(SPL_TOKEN_PROGRAM_ID),
    ],
    Buffer.from([1]),
    ASSOCIATED_TOKEN_PROGRAM_ID,
  );
}

/** InitializeMint2 (tag 20): no rent sysvar account. */
export function initializeMint2Ix(
  mint: PublicKey,
  decimals: number,
  mintAuthority: PublicKey,
  freezeAuthority: PublicKey | null,
): TransactionInstruction {
  const data = Buffer.alloc(67);
  data.writeUInt8(20, 0);
  data.writeUInt8(decimals, 1);
  mintAuthority.toBuffer().copy(data, 2);
  if (freezeAuthority) {
    data.writeUInt8(1, 34);
    freezeAuthority.toBuffer().copy(data, 35);
  }
  return ix([w(mint)], data);
}

export function mintToCheckedIx(
  mint: PublicKey,
  destination: PublicKey,
  authority: PublicKey,
  amount: bigint,
  decimals: number,
): TransactionInstruction {
  return ix([w(mint), w(destination), r(authority, true)], amountData(14, amount, decimals));
}

export const AuthorityType = { MintTokens: 0, FreezeAccount: 1, AccountOwner: 2, CloseAccount: 3 } as const;

export function setAuthorityIx(
  account: PublicKey,
  currentAuthority: PublicKey,
  authorityType: number,
  newAuthority: PublicKey | null,
): TransactionInstruction {
  const data = Buffer.alloc(newAuthority ? 35 : 3);
  data.writeUInt8(6, 0);
  data.writeUInt8(authorityType, 1);
  if (newAuthority) {
    data.writeUInt8(1, 2);
    newAuthority.toBuffer().copy(data, 3);
  }
  return ix([w(account), r(currentAuthority, true)], data);
}

export function transferCheckedIx(
  source: PublicKey,
  mint: PublicKey,
  destination: PublicKey,
  authority: PublicKey,
  amount: bigint,
  decimals: number,
): TransactionInstruction {
  return ix([w(source), r(mint), w(destination), r(authority, true)], amountData(12, amount, decimals));
}

export function approveCheckedIx(
  source: PublicKey,
  mint: PublicKey,
  delegate: PublicKey,
  owner: PublicKey,
  amount: bigint,
  decimals: number,
): TransactionInstruction {
  return ix([w(source), r(mint), r(delegate), r(owner, true)], amountData(13, amount, decimals));
}

export function revokeIx(source: PublicKey, owner: PublicKey): TransactionInstruction {
  return ix([w(source), r(owner, true)], Buffer.from([5]));
}

/** The fields of an SPL token account the platform reads. */
export interface TokenAccount {
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
  delegate: PublicKey | null;
  /** 0 uninitialized, 1 initialized, 2 frozen. */
  state: number;
  delegatedAmount: bigint;
}

/** Decodes an SPL token account (null when the data is not one). */
export function decodeTokenAccount(data: Uint8Array): TokenAccount | null {
  if (data.length !== TOKEN_ACCOUNT_SIZE) return null;
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const hasDelegate = b.readUInt32LE(72) === 1;
  return {
    mint: new PublicKey(b.subarray(0, 32)),
    owner: new PublicKey(b.subarray(32, 64)),
    amount: b.readBigUInt64LE(64),
    delegate: hasDelegate ? new PublicKey(b.subarray(76, 108)) : null,
    state: b.readUInt8(108),
    delegatedAmount: b.readBigUInt64LE(121),
  };
}

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
  const ata = associatedTokenAddress(p.owner, p.mint);
  return [
    SystemProgram.createAccount({
      fromPubkey: p.authority,
      newAccountPubkey: p.mint,
      lamports: p.rentLamports,
      space: MINT_SIZE,
      programId: SPL_TOKEN_PROGRAM_ID,
    }),
    initializeMint2Ix(p.mint, 0, p.authority, null),
    createAtaIdempotentIx(p.authority, p.owner, p.mint),
    mintToCheckedIx(p.mint, ata, p.authority, 1n, 0),
    setAuthorityIx(p.mint, p.authority, AuthorityType.MintTokens, null),
  ];
}
