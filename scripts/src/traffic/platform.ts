// The deployment the traffic runs against: addresses from the manifest, keys
// from the wallets directory, and the traffic's own minter kept beside them.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { treasury } from "@ece/sdk";
import { newKeypair, readKeypair, writeKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Keypair, PublicKey } from "@solana/web3.js";
import type { Manifest } from "../deploy/manifest.js";

export type Token = "ece" | "usdc";
export const TOKENS: readonly Token[] = ["ece", "usdc"];
/** Which Tally field a vault's balance is. */
export const VAULT_TALLY = { ece: "eceVault", usdc: "usdcVault" } as const;

/** Kept in the wallets directory, so a later prepareTraffic finds the same minter. */
const MINTER_FILE = "traffic-minter.json";
const USERS = ["alice", "bob", "carol"] as const;

const atLeast = <T>(items: T[], n: number): items is [T, ...T[]] => items.length >= n;

export interface User {
  name: string;
  key: Keypair;
  /** Associated token accounts. */
  ata: Record<Token, PublicKey>;
}

export interface Platform {
  multisig: PublicKey;
  threshold: number;
  mints: Record<Token, PublicKey>;
  vaults: Record<Token, PublicKey>;
  deployer: Keypair;
  /** Members that propose, vote and execute (at least `threshold`). */
  voters: [Keypair, ...Keypair[]];
  /** A member that only executes (a voter when there is none). */
  executor: Keypair;
  guardians: Keypair[];
  users: [User, ...User[]];
  minter: Keypair;
}

export function loadPlatform(manifest: Manifest, walletsDir: string): Platform {
  const wallet = (name: string) => readKeypair(join(walletsDir, `${name}.json`));
  const { Permission } = treasury;
  const members = manifest.multisig.members;
  const voters = members.filter((m) => m.permissions === Permission.All).map((m) => wallet(m.name));
  const executor = members.find((m) => m.permissions === Permission.Execute);
  if (!atLeast(voters, Math.max(1, manifest.multisig.threshold))) {
    throw new Error(
      `traffic needs ${manifest.multisig.threshold} members with every permission, the manifest has ${voters.length}`,
    );
  }
  const mints = { ece: new PublicKey(manifest.token.eceMint), usdc: new PublicKey(manifest.usdcMint) };
  const minterFile = join(walletsDir, MINTER_FILE);
  if (!existsSync(minterFile)) writeKeypair(minterFile, newKeypair());
  return {
    multisig: new PublicKey(manifest.multisig.address),
    threshold: manifest.multisig.threshold,
    mints,
    vaults: { ece: new PublicKey(manifest.vaults.ece), usdc: new PublicKey(manifest.vaults.usdc) },
    deployer: wallet("deployer"),
    voters,
    executor: executor ? wallet(executor.name) : voters[0],
    guardians: manifest.pause.guardians.map((g) => wallet(g.name)),
    users: USERS.map((name) => {
      const key = wallet(name);
      const ata = (mint: PublicKey) => getAssociatedTokenAddressSync(mint, key.publicKey);
      return { name, key, ata: { ece: ata(mints.ece), usdc: ata(mints.usdc) } };
    }) as Platform["users"],
    minter: readKeypair(minterFile),
  };
}
