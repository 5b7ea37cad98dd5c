import { PublicKey } from "@solana/web3.js";

export type Cluster = "localnet" | "devnet" | "mainnet";

/** Program IDs per cluster; the same values stand in Anchor.toml and in
 * programs/ece_shared/src/ids.rs (a test checks all three agree). */
export const PROGRAM_IDS: Record<Cluster, { ecePause: PublicKey; eceToken: PublicKey; eceTreasury: PublicKey }> = {
  localnet: ids(),
  devnet: ids(),
  mainnet: ids(),
};

function ids() {
  return {
    ecePause: new PublicKey("P6n5W6mkTf9czFFhyZwXotZ3DwGGFdKKgHccyMdDMCT"),
    eceToken: new PublicKey("E8An4rQ8f3qLH8xSApxZVuQUchEeDwTRAPfbd147G1Mv"),
    eceTreasury: new PublicKey("7JMqBZgsd2sP7ibSKK8Pzr1LM3JN9VSmweWN32dadxJr"),
  };
}

export const ECE_PAUSE_PROGRAM_ID = PROGRAM_IDS.localnet.ecePause;
export const ECE_TOKEN_PROGRAM_ID = PROGRAM_IDS.localnet.eceToken;
export const ECE_TREASURY_PROGRAM_ID = PROGRAM_IDS.localnet.eceTreasury;
export const SPL_TOKEN_PROGRAM_ID = new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
