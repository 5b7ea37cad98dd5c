// What a fresh localnet holds before anyone sends anything: the ECE programs at
// the IDs in Anchor.toml, SPL Token and Associated Token (LiteSVM's defaults),
// a faucet, a USDC-like mint and funded dev wallets — made by real transactions,
// so they show up in history like everything else.
import { readFileSync } from "node:fs";
import { signTransaction } from "@ece/sdk/node";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import {
  type Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import type { LiteSvm } from "litesvm/dist/internal.js";
import { anchorPrograms, REPO_ROOT } from "../anchor-programs.js";
import type { Ledger } from "./ledger.js";
import { DEV_WALLETS, type DevWallets, wallet } from "./wallets.js";

export const USDC_DECIMALS = 6;
export const DEV_SOL = 1_000;
export const DEV_USDC = 1_000_000;
export const FAUCET_SOL = 500_000_000;

export function loadPrograms(svm: LiteSvm, root = REPO_ROOT): Array<{ name: string; id: string }> {
  return anchorPrograms(root).map(({ name, id, file }) => {
    svm.addProgram(id.toBytes(), readFileSync(file));
    return { name, id: id.toBase58() };
  });
}

/** Signs and lands a transaction at genesis; throws with the logs if it fails. */
export function land(ledger: Ledger, ixs: TransactionInstruction[], payer: Keypair, signers: Keypair[] = []): string {
  const tx = new Transaction().add(...ixs);
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = ledger.latestBlockhash("processed").blockhash;
  const result = ledger.submit(signTransaction(tx, [payer, ...signers]), { skipPreflight: false });
  if (result.status === "landed" && result.tx.err === null) return result.tx.signature;
  const detail = result.status === "rejected" ? result.simulation.logs.join("\n") : JSON.stringify(result);
  throw new Error(`genesis transaction failed: ${detail}`);
}

/** Funds the dev wallets with SOL and creates the USDC-like mint with balances for each. */
export function fundDevWallets(ledger: Ledger, faucet: Keypair, dev: DevWallets): void {
  const keys = DEV_WALLETS.map((name) => wallet(dev, name));
  land(
    ledger,
    keys.map((k) =>
      SystemProgram.transfer({
        fromPubkey: faucet.publicKey,
        toPubkey: k.publicKey,
        lamports: DEV_SOL * LAMPORTS_PER_SOL,
      }),
    ),
    faucet,
  );
  const deployer = wallet(dev, "deployer");
  const mint = dev.usdcMint.publicKey;
  land(
    ledger,
    [
      SystemProgram.createAccount({
        fromPubkey: deployer.publicKey,
        newAccountPubkey: mint,
        lamports: Number(ledger.svm.minimumBalanceForRentExemption(BigInt(MINT_SIZE))),
        space: MINT_SIZE,
        programId: TOKEN_PROGRAM_ID,
      }),
      createInitializeMint2Instruction(mint, USDC_DECIMALS, deployer.publicKey, null),
    ],
    deployer,
    [dev.usdcMint],
  );
  const amount = BigInt(DEV_USDC) * 10n ** BigInt(USDC_DECIMALS);
  for (const k of keys) {
    const ata = getAssociatedTokenAddressSync(mint, k.publicKey);
    land(
      ledger,
      [
        createAssociatedTokenAccountIdempotentInstruction(deployer.publicKey, ata, k.publicKey, mint),
        createMintToInstruction(mint, ata, deployer.publicKey, amount),
      ],
      deployer,
    );
  }
}
