// Step 1: the three ECE programs, executable at the IDs in Anchor.toml (the IDs
// they are compiled for). A missing program is deployed with the BPF Upgradeable
// Loader when its keypair is given: buffer, chunked writes, DeployWithMaxDataLen.
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { newKeypair, readKeypair } from "@ece/sdk/node";
import { type Keypair, PACKET_DATA_SIZE, PublicKey, Transaction } from "@solana/web3.js";
import { anchorPrograms, type ProgramSpec, REPO_ROOT } from "../anchor-programs.js";
import type { Chain } from "./chain.js";
import { DeployError, sol } from "./errors.js";
import {
  BPF_LOADER_UPGRADEABLE_ID,
  BUFFER_METADATA_SIZE,
  createLoaderAccountIx,
  decodeProgramData,
  deployWithMaxDataLenIx,
  initializeBufferIx,
  PROGRAM_SIZE,
  PROGRAMDATA_METADATA_SIZE,
  programAccountState,
  programDataAddress,
  writeIx,
} from "./loader.js";
import { LAMPORTS_PER_SIGNATURE, type StepContext, type StepPlan } from "./target.js";

export { anchorPrograms, type ProgramSpec, REPO_ROOT };

export interface DeployedProgram {
  name: string;
  id: string;
  loader: string;
  programData: string | null;
  upgradeAuthority: string | null;
  /** Whether the bytes on chain are programs/deploy/<name>.so. */
  matchesBinary: boolean;
}

/** Reads what is deployed at a program ID; null when nothing is there. */
export async function inspectProgram(chain: Chain, spec: ProgramSpec): Promise<DeployedProgram | null> {
  const state = programAccountState(await chain.account(spec.id));
  if (state.kind === "missing") return null;
  if (state.kind === "notExecutable") {
    throw new DeployError(
      `${spec.name}: the account at ${spec.id.toBase58()} exists but is not an executable program (owner ${state.owner.toBase58()})`,
    );
  }
  const elf = readFileSync(spec.file);
  if (!state.loader.equals(BPF_LOADER_UPGRADEABLE_ID)) {
    const info = await chain.account(spec.id);
    return {
      name: spec.name,
      id: spec.id.toBase58(),
      loader: state.loader.toBase58(),
      programData: null,
      upgradeAuthority: null,
      matchesBinary: info?.data.equals(elf) ?? false,
    };
  }
  const pd = state.programData ? await chain.account(state.programData) : null;
  const meta = pd ? decodeProgramData(pd.data) : null;
  if (!state.programData || !pd || !meta) {
    throw new DeployError(
      `${spec.name}: ${spec.id.toBase58()} is an upgradeable-loader program without a ProgramData account (closed?)`,
    );
  }
  const code = pd.data.subarray(PROGRAMDATA_METADATA_SIZE);
  const matches =
    code.length >= elf.length &&
    code.subarray(0, elf.length).equals(elf) &&
    code.subarray(elf.length).every((b) => b === 0);
  return {
    name: spec.name,
    id: spec.id.toBase58(),
    loader: state.loader.toBase58(),
    programData: state.programData.toBase58(),
    upgradeAuthority: meta.upgradeAuthority?.toBase58() ?? null,
    matchesBinary: matches,
  };
}

/** Bytes of program code one Write transaction carries (payer = buffer authority). */
export function writeChunkSize(): number {
  const key = PublicKey.default;
  const tx = new Transaction({ feePayer: newKeypair().publicKey, blockhash: key.toBase58(), lastValidBlockHeight: 0 });
  tx.add(writeIx(newKeypair().publicKey, tx.feePayer as PublicKey, 0, new Uint8Array(0)));
  const empty = tx.serialize({ requireAllSignatures: false, verifySignatures: false }).length;
  // The instruction data's compact-u16 length grows by one byte past 127.
  return PACKET_DATA_SIZE - empty - 1;
}

/** Lamports a deploy of `elfLength` bytes needs at its peak (the buffer is refunded after). */
export async function deployCost(chain: Chain, elfLength: number, maxDataLen = 2 * elfLength): Promise<number> {
  const [program, programData, buffer] = await Promise.all([
    chain.rent(PROGRAM_SIZE),
    chain.rent(PROGRAMDATA_METADATA_SIZE + maxDataLen),
    chain.rent(BUFFER_METADATA_SIZE + elfLength),
  ]);
  const txs = Math.ceil(elfLength / writeChunkSize()) + 2;
  return program + programData + buffer + txs * 2 * LAMPORTS_PER_SIGNATURE;
}

export interface LoaderDeploy {
  payer: Keypair;
  /** The program's keypair: its public key becomes the program ID. */
  program: Keypair;
  elf: Uint8Array;
  /** ProgramData capacity (default: twice the ELF, as `solana program deploy`). */
  maxDataLen?: number;
  step?: string;
  name?: string;
}

/** Deploys an ELF with the upgradeable loader; the payer becomes the upgrade authority. */
export async function deployProgram(
  chain: Chain,
  d: LoaderDeploy,
): Promise<{ programData: PublicKey; buffer: PublicKey }> {
  const step = d.step ?? "programs";
  const name = d.name ?? d.program.publicKey.toBase58();
  const payer = d.payer.publicKey;
  const buffer = newKeypair();
  const maxDataLen = d.maxDataLen ?? 2 * d.elf.length;
  const bufferSize = BUFFER_METADATA_SIZE + d.elf.length;
  await chain.send(
    step,
    `${name}: create buffer ${buffer.publicKey.toBase58()}`,
    [
      createLoaderAccountIx(payer, buffer.publicKey, bufferSize, await chain.rent(bufferSize)),
      initializeBufferIx(buffer.publicKey, payer),
    ],
    [d.payer, buffer],
  );
  const chunk = writeChunkSize();
  const writes = [];
  for (let offset = 0; offset < d.elf.length; offset += chunk) {
    writes.push({
      description: `${name}: write bytes ${offset}..${Math.min(offset + chunk, d.elf.length)}`,
      ixs: [writeIx(buffer.publicKey, payer, offset, d.elf.subarray(offset, offset + chunk))],
      signers: [d.payer],
    });
  }
  try {
    await chain.sendEach(step, writes, 16, true);
    await chain.send(
      step,
      `${name}: deploy ${d.program.publicKey.toBase58()}`,
      [
        createLoaderAccountIx(payer, d.program.publicKey, PROGRAM_SIZE, await chain.rent(PROGRAM_SIZE)),
        deployWithMaxDataLenIx({
          payer,
          program: d.program.publicKey,
          buffer: buffer.publicKey,
          upgradeAuthority: payer,
          maxDataLen,
        }),
      ],
      [d.payer, d.program],
    );
  } catch (e) {
    if (e instanceof DeployError) {
      throw new DeployError(
        `${e.message}\n  The buffer ${buffer.publicKey.toBase58()} keeps its rent; reclaim it with \`solana program close ${buffer.publicKey.toBase58()}\`.`,
      );
    }
    throw e;
  }
  return { programData: programDataAddress(d.program.publicKey), buffer: buffer.publicKey };
}

function programKeypair(dir: string, spec: ProgramSpec): Keypair {
  const path = join(dir, `${spec.name}-keypair.json`);
  if (!existsSync(path)) {
    throw new DeployError(
      `${spec.name} is not deployed and ${path} does not exist: --program-keypairs needs ${spec.name}-keypair.json, the keypair of ${spec.id.toBase58()}`,
    );
  }
  const kp = readKeypair(path);
  if (!kp.publicKey.equals(spec.id)) {
    throw new DeployError(
      `${path} is the keypair of ${kp.publicKey.toBase58()}, but ${spec.name} is built for ${spec.id.toBase58()} (Anchor.toml)`,
    );
  }
  return kp;
}

/** Step 1, per program: already deployed (done), deployable (todo), or a clear failure. */
export async function planPrograms(
  ctx: Pick<StepContext, "chain"> & { target: Pick<StepContext["target"], "deployer"> },
  programKeypairsDir: string | null,
  specs: ProgramSpec[] = anchorPrograms(),
): Promise<StepPlan[]> {
  const found = await Promise.all(specs.map((s) => inspectProgram(ctx.chain, s)));
  const missing = specs.filter((_, i) => found[i] === null);
  if (missing.length > 0 && programKeypairsDir === null) {
    const costs = await Promise.all(missing.map((s) => deployCost(ctx.chain, readFileSync(s.file).length)));
    const total = costs.reduce((a, b) => a + b, 0);
    throw new DeployError(
      [
        `${missing.map((s) => s.name).join(", ")} ${missing.length === 1 ? "is" : "are"} not deployed on ${ctx.chain.url}:`,
        ...missing.map((s) => `  ${s.name} at ${s.id.toBase58()}`),
        "  To deploy them from programs/deploy/*.so, pass --program-keypairs DIR where DIR holds",
        `  ${missing.map((s) => `${s.name}-keypair.json`).join(", ")} (the keypairs of those IDs);`,
        `  the deployer pays about ${sol(total)} and becomes the upgrade authority.`,
        "  Or deploy them yourself (`solana program deploy programs/deploy/<name>.so --program-id <keypair>`).",
      ].join("\n"),
    );
  }
  return Promise.all(
    specs.map(async (spec, i): Promise<StepPlan> => {
      const deployed = found[i];
      const step = `programs/${spec.name}`;
      if (deployed) {
        const binary = deployed.matchesBinary ? "matches" : "differs from";
        return {
          step,
          status: "done",
          detail: `${spec.name} deployed at ${deployed.id} (${binary} ${relative(REPO_ROOT, spec.file)})`,
        };
      }
      const program = programKeypair(programKeypairsDir as string, spec);
      const elf = readFileSync(spec.file);
      return {
        step,
        status: "todo",
        detail: `deploy ${relative(REPO_ROOT, spec.file)} (${elf.length} bytes) at ${spec.id.toBase58()} with the upgradeable loader`,
        cost: await deployCost(ctx.chain, elf.length),
        run: async () => {
          await deployProgram(ctx.chain, {
            payer: ctx.target.deployer,
            program,
            elf,
            step: "programs",
            name: spec.name,
          });
        },
      };
    }),
  );
}
