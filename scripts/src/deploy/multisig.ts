// Create the treasury multisig: signer-1..3 with every permission, the executor
// with execute only, the proposer with propose only (no vote, so it counts
// toward neither the threshold nor "every voter"), the threshold, time lock and
// default risk policy, at the PDA of the create key kept in the wallets directory.
import { treasury } from "@ece/sdk";
import { DeployError } from "./errors.js";
import { LAMPORTS_PER_SIGNATURE, permissionNames, type StepContext, type StepPlan } from "./target.js";

/** Multisig's size: ece_treasury state::multisig::LEN. */
export const MULTISIG_LEN = 72 + 33 * 10;

export async function readMultisig(ctx: StepContext): Promise<treasury.Multisig | null> {
  const info = await ctx.chain.account(ctx.target.multisig);
  if (!info) return null;
  try {
    return treasury.decodeMultisig(info);
  } catch (e) {
    throw new DeployError(
      `the multisig address ${ctx.target.multisig.toBase58()} holds an account that is not a multisig: ${(e as Error).message}`,
    );
  }
}

const memberText = (m: treasury.Member) => `${m.key.toBase58()} (${permissionNames(m.permissions).join("+")})`;
const policyText = (p: treasury.RiskTier[]) =>
  p
    .map((t) => `≥${t.minScore}: ${t.extraApprovals === treasury.ALL_VOTERS ? "all voters" : `+${t.extraApprovals}`}`)
    .join(", ") || "none";

/** What differs between the multisig on chain and the one this deployment asks for. */
export function multisigDiffs(found: treasury.Multisig, ctx: StepContext): string[] {
  const { target } = ctx;
  const diffs: string[] = [];
  const want = target.members.map((m) => ({ key: m.key, permissions: m.permissions }));
  const key = (m: treasury.Member) => `${m.key.toBase58()}:${m.permissions}`;
  const have = new Set(found.members.map(key));
  if (have.size !== want.length || !want.every((m) => have.has(key(m)))) {
    diffs.push(`members are ${found.members.map(memberText).join(", ")}`);
    diffs.push(`  expected ${want.map(memberText).join(", ")}`);
  }
  if (found.threshold !== target.threshold) {
    diffs.push(`threshold is ${found.threshold}, asked for ${target.threshold} (--threshold)`);
  }
  if (found.timeLockSeconds !== target.timeLockSeconds) {
    diffs.push(`time lock is ${found.timeLockSeconds} s, asked for ${target.timeLockSeconds} s (--time-lock)`);
  }
  if (policyText(found.riskPolicy) !== policyText(target.riskPolicy)) {
    diffs.push(`risk policy is ${policyText(found.riskPolicy)}, expected ${policyText(target.riskPolicy)}`);
  }
  return diffs;
}

export async function planMultisig(ctx: StepContext): Promise<StepPlan> {
  const { target } = ctx;
  const address = target.multisig.toBase58();
  const found = await readMultisig(ctx);
  if (found) {
    const diffs = multisigDiffs(found, ctx);
    if (diffs.length > 0) {
      throw new DeployError(
        [
          `the multisig ${address} already exists with other settings; the script does not change it:`,
          ...diffs.map((d) => `  ${d}`),
          "  Change it through a Config proposal, or run with the flags that match it.",
        ].join("\n"),
      );
    }
    return {
      step: "multisig",
      status: "done",
      detail: `multisig ${address}: ${found.members.length} members, threshold ${found.threshold}, time lock ${found.timeLockSeconds} s`,
    };
  }
  return {
    step: "multisig",
    status: "todo",
    detail: `create the multisig ${address}: ${target.members.map((m) => m.name).join(", ")}; threshold ${target.threshold}, time lock ${target.timeLockSeconds} s`,
    cost: (await ctx.chain.rent(MULTISIG_LEN)) + 2 * LAMPORTS_PER_SIGNATURE,
    run: async () => {
      await ctx.chain.send(
        "multisig",
        "create the treasury multisig",
        [
          treasury.createMultisigIx({
            creator: target.deployer.publicKey,
            createKey: target.createKey.publicKey,
            members: target.members.map((m) => ({ key: m.key, permissions: m.permissions })),
            threshold: target.threshold,
            timeLockSeconds: target.timeLockSeconds,
            riskPolicy: target.riskPolicy,
          }),
        ],
        [target.deployer, target.createKey],
      );
    },
  };
}
