// SPL Token accounts the suites create and read, through the real token program.
import { strict as assert } from "node:assert";
import { SPL_TOKEN_PROGRAM_ID } from "@ece/sdk";
import {
  ACCOUNT_SIZE,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  MINT_SIZE,
  unpackAccount,
  unpackMint,
} from "@solana/spl-token";
import { type PublicKey, SystemProgram } from "@solana/web3.js";
import { expectOk, newKeypair, type Svm } from "./svm.js";

/** A new mint with `decimals`, its authority the chain's payer. */
export function createMint(svm: Svm, decimals = 6): PublicKey {
  const mint = newKeypair();
  expectOk(
    svm.send(
      [
        SystemProgram.createAccount({
          fromPubkey: svm.payer.publicKey,
          newAccountPubkey: mint.publicKey,
          lamports: 1_000_000_000,
          space: MINT_SIZE,
          programId: SPL_TOKEN_PROGRAM_ID,
        }),
        createInitializeMint2Instruction(mint.publicKey, decimals, svm.payer.publicKey, null),
      ],
      [mint],
    ),
  );
  return mint.publicKey;
}

/** A new token account of `mint` owned by `owner`. */
export function createTokenAccount(svm: Svm, mint: PublicKey, owner: PublicKey): PublicKey {
  const account = newKeypair();
  expectOk(
    svm.send(
      [
        SystemProgram.createAccount({
          fromPubkey: svm.payer.publicKey,
          newAccountPubkey: account.publicKey,
          lamports: 2_039_280,
          space: ACCOUNT_SIZE,
          programId: SPL_TOKEN_PROGRAM_ID,
        }),
        createInitializeAccount3Instruction(account.publicKey, mint, owner),
      ],
      [account],
    ),
  );
  return account.publicKey;
}

/** A token account's balance. */
export function tokenBalance(svm: Svm, account: PublicKey): bigint {
  const info = svm.account(account);
  assert.ok(info, `token account ${account.toBase58()} exists`);
  return unpackAccount(account, info, SPL_TOKEN_PROGRAM_ID).amount;
}

/** A mint's supply. */
export function mintSupply(svm: Svm, mint: PublicKey): bigint {
  const info = svm.account(mint);
  assert.ok(info, `mint ${mint.toBase58()} exists`);
  return unpackMint(mint, info, SPL_TOKEN_PROGRAM_ID).supply;
}
