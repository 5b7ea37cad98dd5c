// What the API knows of the deployed platform: the addresses `npm run deploy`
// wrote to its manifest, checked against the chain once at start.
import { existsSync, readFileSync } from "node:fs";
import { confirmSignature, treasury } from "@ece/sdk";
import { newKeypair, readKeypair, writeKeypair } from "@ece/sdk/node";
import { type Connection, type Keypair, LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";

export interface Platform {
  multisig: PublicKey;
  eceMint: PublicKey;
  usdcMint: PublicKey;
  eceDecimals: number;
  usdcDecimals: number;
  vaults: { ece: PublicKey; usdc: PublicKey };
  pauseState: PublicKey;
  tokenConfig: PublicKey;
}

interface ManifestShape {
  multisig: { address: string };
  pause: { state: string };
  token: { config: string; eceMint: string; decimals: number };
  usdcMint: string;
  vaults: { ece: string; usdc: string };
}

export function readPlatform(deploymentPath: string): Platform {
  if (!existsSync(deploymentPath)) {
    throw new Error(`no deployment manifest at ${deploymentPath}: run \`npm run deploy\` first (or set DEPLOYMENT)`);
  }
  const m = JSON.parse(readFileSync(deploymentPath, "utf8")) as ManifestShape;
  return platformFromManifest(m);
}

export function platformFromManifest(m: ManifestShape): Platform {
  return {
    multisig: new PublicKey(m.multisig.address),
    eceMint: new PublicKey(m.token.eceMint),
    usdcMint: new PublicKey(m.usdcMint),
    eceDecimals: m.token.decimals,
    usdcDecimals: 6,
    vaults: { ece: new PublicKey(m.vaults.ece), usdc: new PublicKey(m.vaults.usdc) },
    pauseState: new PublicKey(m.pause.state),
    tokenConfig: new PublicKey(m.token.config),
  };
}

/** The two currencies listings may be priced in, by name and by mint. */
export function currencies(
  p: Platform,
): Record<"ECE" | "USDC", { mint: PublicKey; decimals: number; vault: PublicKey }> {
  return {
    ECE: { mint: p.eceMint, decimals: p.eceDecimals, vault: p.vaults.ece },
    USDC: { mint: p.usdcMint, decimals: p.usdcDecimals, vault: p.vaults.usdc },
  };
}

/** Checks the manifest against the chain, so a stale manifest (a reset localnet) fails at start, not mid-request. */
export async function checkPlatform(connection: Connection, p: Platform): Promise<void> {
  const info = await connection.getAccountInfo(p.multisig, "confirmed");
  if (!info)
    throw new Error(`the treasury multisig ${p.multisig.toBase58()} is not on chain: redeploy (npm run deploy)`);
  treasury.decodeMultisig(info);
  const usdc = await connection.getParsedAccountInfo(p.usdcMint, "confirmed");
  const parsed = usdc.value?.data as { parsed?: { info?: { decimals?: number } } } | undefined;
  if (typeof parsed?.parsed?.info?.decimals === "number") p.usdcDecimals = parsed.parsed.info.decimals;
}

/** The platform key: read, or created on first start for localnet (and funded there by airdrop). */
export function loadPlatformKey(path: string): Keypair {
  if (existsSync(path)) return readKeypair(path);
  const kp = newKeypair();
  writeKeypair(path, kp);
  return kp;
}

/** On a localnet, keeps the platform key able to pay for card mints. */
export async function fundOnLocalnet(connection: Connection, key: PublicKey): Promise<void> {
  const balance = await connection.getBalance(key, "confirmed");
  if (balance >= LAMPORTS_PER_SOL) return;
  try {
    const { lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    const sig = await connection.requestAirdrop(key, 10 * LAMPORTS_PER_SOL);
    // Polled, not subscribed: the API keeps no WebSocket open for this.
    await confirmSignature(connection, sig, lastValidBlockHeight);
  } catch {
    // Clusters without a faucet: the operator funds the key.
  }
}
