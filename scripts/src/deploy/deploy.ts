// The deployment, in order: programs, pause (first-come, so right after the
// programs; create_multisig and create_vault also need it to exist), multisig,
// token, vaults. Every step is planned from chain state before anything is
// sent, so a conflict anywhere stops the run before its first transaction; a
// run with nothing to do sends nothing. Afterwards everything is read back and
// checked, and the manifest is written.
import { join } from "node:path";
import { treasury } from "@ece/sdk";
import { PublicKey } from "@solana/web3.js";
import { Chain } from "./chain.js";
import { DeployError, sol } from "./errors.js";
import { requireFunds } from "./funds.js";
import { buildManifest, type Manifest, previousTransactions, summary, writeManifest } from "./manifest.js";
import { planMultisig, readMultisig } from "./multisig.js";
import { planPause, readPause } from "./pause.js";
import { anchorPrograms, inspectProgram, planPrograms } from "./programs.js";
import {
  DEFAULT_POLICY,
  DEFAULT_THRESHOLD,
  DEFAULT_TIME_LOCK_SECONDS,
  ECE_CAP,
  ECE_DECIMALS,
  memberPermissions,
  type StepContext,
  type StepPlan,
  type Target,
} from "./target.js";
import { planToken, readTokenConfig } from "./token.js";
import { planVault, vaultSpecs } from "./vaults.js";
import {
  DEPLOYER,
  GUARDIANS,
  loadOrCreateCreateKey,
  loadWallets,
  MEMBERS,
  usdcMintFromWallets,
  wallet,
} from "./wallets.js";

export interface DeployOptions {
  url: string;
  ws: string | null;
  walletsDir: string;
  out: string;
  threshold?: number;
  timeLockSeconds?: number;
  programKeypairsDir?: string | null;
  usdcMint?: string | null;
  eceDecimals?: number;
  eceCap?: bigint;
  log?: (line: string) => void;
}

export interface DeployResult {
  manifest: Manifest;
  sent: number;
}

function resolveUsdcMint(opts: DeployOptions): PublicKey {
  if (opts.usdcMint) {
    try {
      return new PublicKey(opts.usdcMint);
    } catch {
      throw new DeployError(`--usdc-mint ${opts.usdcMint} is not a base58 public key`);
    }
  }
  const kp = usdcMintFromWallets(opts.walletsDir);
  if (!kp) {
    throw new DeployError(
      `no USDC mint: ${join(opts.walletsDir, "usdc-mint.json")} does not exist and --usdc-mint was not given.\n` +
        "  On devnet pass --usdc-mint 4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU (Circle's devnet USDC).",
    );
  }
  return kp.publicKey;
}

export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const log = opts.log ?? (() => {});
  const wallets = loadWallets(opts.walletsDir);
  const usdcMint = resolveUsdcMint(opts);
  const chain = new Chain({ url: opts.url, ...(opts.ws ? { ws: opts.ws } : {}), log });
  const cluster = await chain.ping();
  log(`Deploying ECE to ${opts.url} (solana-core ${cluster.version}, genesis ${cluster.genesisHash})`);

  const createKey = loadOrCreateCreateKey(opts.walletsDir);
  if (createKey.created) log(`  generated the multisig create key ${createKey.path}`);
  const target: Target = {
    deployer: wallets.deployer,
    createKey: createKey.key,
    multisig: treasury.multisigPda(createKey.key.publicKey)[0],
    members: MEMBERS.map((name) => ({
      name,
      key: wallet(wallets, name).publicKey,
      permissions: memberPermissions(name),
    })),
    threshold: opts.threshold ?? DEFAULT_THRESHOLD,
    timeLockSeconds: opts.timeLockSeconds ?? DEFAULT_TIME_LOCK_SECONDS,
    riskPolicy: DEFAULT_POLICY,
    guardians: GUARDIANS.map((name) => ({ name, key: wallet(wallets, name).publicKey })),
    eceDecimals: opts.eceDecimals ?? ECE_DECIMALS,
    eceCap: opts.eceCap ?? ECE_CAP,
    usdcMint,
  };
  const ctx: StepContext = { chain, target, log };

  const programPlans = await planPrograms(ctx, opts.programKeypairsDir ?? null);
  const pausePlan = await planPause(ctx);
  const plans: StepPlan[] = [
    ...programPlans,
    pausePlan,
    await planMultisig(ctx),
    await planToken(ctx),
    ...(await Promise.all(vaultSpecs(ctx).map((v) => planVault(ctx, v)))),
  ];
  const todo = plans.filter((p) => p.status === "todo");
  const paused = pausePlan.status === "done" && (await readPause(ctx))?.paused === true;
  if (paused && todo.some((p) => p.step === "multisig" || p.step.startsWith("vault/"))) {
    throw new DeployError(
      "the platform is paused, and ece_treasury refuses to create the multisig or vaults while it is;\n" +
        "  unpause it (a multisig Pause{Unpause} proposal) and run the deploy again.",
    );
  }

  const costs = todo.map((p) => ({ step: p.step, cost: p.status === "todo" ? p.cost : 0 }));
  const needed = costs.reduce((a, c) => a + c.cost, 0);
  await requireFunds(
    chain,
    { name: DEPLOYER, key: wallets.deployer.publicKey, file: join(opts.walletsDir, `${DEPLOYER}.json`) },
    needed,
    costs,
  );

  let programsJustDeployed = false;
  for (const plan of plans) {
    if (plan.status === "done") {
      log(`✓ ${plan.step}: ${plan.detail}`);
      continue;
    }
    const isProgram = plan.step.startsWith("programs/");
    // A program deployed in slot N runs from slot N + 1: let the slot turn before using it.
    if (programsJustDeployed && !isProgram) await chain.waitSlots(1);
    programsJustDeployed = isProgram;
    log(`→ ${plan.step}: ${plan.detail}`);
    await plan.run();
  }

  // Read everything back: each step must now see its state as done.
  const after = [
    ...(await planPrograms(ctx, null)),
    await planPause(ctx),
    await planMultisig(ctx),
    await planToken(ctx),
    ...(await Promise.all(vaultSpecs(ctx).map((v) => planVault(ctx, v)))),
  ];
  const notDone = after.filter((p) => p.status !== "done");
  if (notDone.length > 0) {
    throw new DeployError(
      `after sending, these steps are still not on chain: ${notDone.map((p) => p.step).join(", ")}`,
    );
  }
  const [programs, multisig, pause, tokenConfig] = await Promise.all([
    Promise.all(anchorPrograms().map((s) => inspectProgram(chain, s))),
    readMultisig(ctx),
    readPause(ctx),
    readTokenConfig(ctx),
  ]);
  if (!multisig || !pause || !tokenConfig || programs.some((p) => p === null)) {
    throw new DeployError("the deployment could not be read back from chain");
  }
  const manifest = buildManifest({
    rpcUrl: opts.url,
    wsUrl: opts.ws,
    cluster,
    target,
    chain: { programs: programs.filter((p) => p !== null), multisig, pause, token: tokenConfig },
    transactions: [...previousTransactions(opts.out, cluster.genesisHash, target.multisig.toBase58()), ...chain.sent],
    sentThisRun: chain.sent.length,
  });
  writeManifest(opts.out, manifest);

  if (chain.sent.length === 0) {
    log("Nothing to send: every step is already on chain and matches this deployment; no transactions were sent.");
  } else {
    const spent = needed > 0 ? ` (estimated cost ${sol(needed)})` : "";
    log(`Sent ${chain.sent.length} transaction${chain.sent.length === 1 ? "" : "s"}${spent}.`);
  }
  log(summary(manifest, opts.out));
  return { manifest, sent: chain.sent.length };
}
