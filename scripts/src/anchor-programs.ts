// The ECE programs as Anchor.toml names them: every [programs.<cluster>] table
// must give the IDs the programs and the SDK are compiled for. Used by the
// localnet (to load them) and the deploy script (to check or deploy them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROGRAM_IDS } from "@ece/sdk";
import type { PublicKey } from "@solana/web3.js";
import { parse } from "smol-toml";

export const REPO_ROOT = join(import.meta.dirname, "../..");

export const ECE_PROGRAMS = ["ece_pause", "ece_token", "ece_treasury"] as const;
export type EceProgram = (typeof ECE_PROGRAMS)[number];

const SDK_IDS: Record<EceProgram, PublicKey> = {
  ece_pause: PROGRAM_IDS.localnet.ecePause,
  ece_token: PROGRAM_IDS.localnet.eceToken,
  ece_treasury: PROGRAM_IDS.localnet.eceTreasury,
};

export interface ProgramSpec {
  /** The binary's name: programs/deploy/<name>.so, <name>-keypair.json. */
  name: string;
  id: PublicKey;
  /** The committed binary (programs/deploy/<name>.so). */
  file: string;
}

export class AnchorTomlError extends Error {}

export function anchorPrograms(root = REPO_ROOT): ProgramSpec[] {
  const toml = parse(readFileSync(join(root, "Anchor.toml"), "utf8")) as {
    programs?: Record<string, Record<string, string>>;
  };
  for (const [cluster, table] of Object.entries(toml.programs ?? {})) {
    for (const name of ECE_PROGRAMS) {
      const id = table[name];
      if (id !== undefined && id !== SDK_IDS[name].toBase58()) {
        throw new AnchorTomlError(
          `Anchor.toml [programs.${cluster}] gives ${name} = ${id}, but the programs and SDK are built for ${SDK_IDS[name].toBase58()}`,
        );
      }
    }
  }
  return ECE_PROGRAMS.map((name) => ({ name, id: SDK_IDS[name], file: join(root, "programs/deploy", `${name}.so`) }));
}
