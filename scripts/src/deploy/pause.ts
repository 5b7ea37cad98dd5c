// Initialise ece_pause: authority = the treasury multisig PDA, guardians
// guardian-1 and guardian-2. `initialize` is first-come, so the script sends it
// as soon as the programs are in place and then checks what is stored.
import { ECE_PAUSE_PROGRAM_ID, pause } from "@ece/sdk";
import { DeployError } from "./errors.js";
import { LAMPORTS_PER_SIGNATURE, type StepContext, type StepPlan } from "./target.js";

/** PauseState's size: ece_shared::pause::layout::LEN. */
export const PAUSE_STATE_LEN = 85 + 32 * 8;

export interface PauseView {
  state: string;
  authority: string;
  guardians: string[];
  paused: boolean;
  reason: number;
}

export async function readPause(ctx: StepContext): Promise<PauseView | null> {
  const [state] = pause.pauseStatePda();
  const info = await ctx.chain.account(state);
  if (!info) return null;
  let decoded: pause.PauseState;
  try {
    decoded = pause.decodePauseState(info, ECE_PAUSE_PROGRAM_ID);
  } catch (e) {
    throw new DeployError(`the pause state ${state.toBase58()} exists but cannot be read: ${(e as Error).message}`);
  }
  return {
    state: state.toBase58(),
    authority: decoded.authority.toBase58(),
    guardians: decoded.guardians.map((g) => g.toBase58()),
    paused: decoded.paused,
    reason: decoded.reason,
  };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export async function planPause(ctx: StepContext): Promise<StepPlan> {
  const { target } = ctx;
  const want = {
    authority: target.multisig.toBase58(),
    guardians: target.guardians.map((g) => g.key.toBase58()),
  };
  const found = await readPause(ctx);
  if (found) {
    const diffs: string[] = [];
    if (found.authority !== want.authority) {
      diffs.push(`authority is ${found.authority}, this deployment's multisig is ${want.authority}`);
    }
    if (!sameSet(found.guardians, want.guardians)) {
      diffs.push(`guardians are [${found.guardians.join(", ")}], expected [${want.guardians.join(", ")}]`);
    }
    if (diffs.length > 0) {
      throw new DeployError(
        [
          `ece_pause is already initialised (${found.state}) with other settings; the script does not overwrite it:`,
          ...diffs.map((d) => `  ${d}`),
          "  The authority is set once; guardians change only through a multisig Pause{SetGuardians} proposal.",
          "  If this chain belongs to another deployment, use that deployment's wallets directory",
          "  (its multisig-create-key.json).",
        ].join("\n"),
      );
    }
    const state = found.paused ? `PAUSED (reason ${found.reason})` : "not paused";
    return { step: "pause", status: "done", detail: `ece_pause initialised at ${found.state}, ${state}` };
  }
  return {
    step: "pause",
    status: "todo",
    detail: `initialise ece_pause: authority ${want.authority} (multisig), guardians ${target.guardians.map((g) => g.name).join(", ")}`,
    cost: (await ctx.chain.rent(PAUSE_STATE_LEN)) + LAMPORTS_PER_SIGNATURE,
    run: async () => {
      await ctx.chain.send(
        "pause",
        "initialise ece_pause",
        [
          pause.initializeIx({
            payer: target.deployer.publicKey,
            authority: target.multisig,
            guardians: target.guardians.map((g) => g.key),
          }),
        ],
        [target.deployer],
      );
    },
  };
}
