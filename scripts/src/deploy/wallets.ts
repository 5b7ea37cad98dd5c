// The keys a deployment uses, from a directory of solana-keygen keypair files (the
// localnet's dev wallets, or your own for devnet). Only the deployer signs; the
// other wallets give their public keys. The multisig's create key is generated
// once and kept beside them, so every later run finds the same multisig.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { newKeypair, readKeypair, writeKeypair } from "@ece/sdk/node";
import type { Keypair } from "@solana/web3.js";
import { USDC_MINT_FILE } from "../localnet/wallets.js";
import { DeployError } from "./errors.js";

export const SIGNERS = ["signer-1", "signer-2", "signer-3"] as const;
export const EXECUTOR = "executor";
/** Creates proposals (the payout job) without holding a vote. */
export const PROPOSER = "proposer";
/** The multisig's members, in order (the proposer last: the slot a Config addMember gives it on an older deployment). */
export const MEMBERS = [...SIGNERS, EXECUTOR, PROPOSER] as const;
export const GUARDIANS = ["guardian-1", "guardian-2"] as const;
export const DEPLOYER = "deployer";
export const REQUIRED_WALLETS = [DEPLOYER, ...MEMBERS, ...GUARDIANS] as const;
export type WalletName = (typeof REQUIRED_WALLETS)[number];

export const CREATE_KEY_FILE = "multisig-create-key.json";

export interface DeployWallets {
  dir: string;
  byName: Map<WalletName, Keypair>;
  deployer: Keypair;
}

function read(path: string, what: string): Keypair {
  try {
    return readKeypair(path);
  } catch (e) {
    throw new DeployError(`${what} ${path} is not a solana-keygen keypair file: ${(e as Error).message}`);
  }
}

/** Reads every wallet the deployment names; fails listing the missing files and how to make them. */
export function loadWallets(dir: string): DeployWallets {
  if (!existsSync(dir)) {
    throw new DeployError(
      `wallets directory ${dir} does not exist.\n` +
        "  The localnet creates its dev wallets there on first start (`npm run localnet -- --wallets DIR`);\n" +
        `  for another cluster create ${REQUIRED_WALLETS.map((n) => `${n}.json`).join(", ")} with solana-keygen.`,
    );
  }
  const missing = REQUIRED_WALLETS.filter((name) => !existsSync(join(dir, `${name}.json`)));
  if (missing.length > 0) {
    const lines = missing.map((name) => `  missing wallet ${name}: ${join(dir, `${name}.json`)}`);
    throw new DeployError(
      [
        `the wallets directory ${dir} lacks ${missing.length === 1 ? "a wallet" : `${missing.length} wallets`} the deployment needs:`,
        ...lines,
        `  Create ${missing.length === 1 ? "it" : "each"} with \`solana-keygen new --no-bip39-passphrase -o ${join(dir, `${missing[0]}.json`)}\`,`,
        "  or point --wallets at the directory the localnet generated (default .localnet/wallets).",
      ].join("\n"),
    );
  }
  const byName = new Map<WalletName, Keypair>();
  for (const name of REQUIRED_WALLETS) byName.set(name, read(join(dir, `${name}.json`), `wallet ${name}`));
  return { dir, byName, deployer: wallet({ byName }, DEPLOYER) };
}

export function wallet(w: Pick<DeployWallets, "byName">, name: WalletName): Keypair {
  const kp = w.byName.get(name);
  if (!kp) throw new Error(`wallet ${name} not loaded`);
  return kp;
}

/** The multisig's create key: read, or generated and saved before anything uses it. */
export function loadOrCreateCreateKey(dir: string): { key: Keypair; created: boolean; path: string } {
  const path = join(dir, CREATE_KEY_FILE);
  if (existsSync(path)) return { key: read(path, "multisig create key"), created: false, path };
  const key = newKeypair();
  writeKeypair(path, key);
  return { key, created: true, path };
}

/** The USDC-like mint's keypair file the localnet generates, if the directory has one. */
export function usdcMintFromWallets(dir: string): Keypair | null {
  const path = join(dir, USDC_MINT_FILE);
  return existsSync(path) ? read(path, "USDC mint keypair") : null;
}
