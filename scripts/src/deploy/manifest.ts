// The deployment manifest: every address the other services need (program IDs,
// multisig and the keys of its proposer and executor, pause state, token config,
// mints, vaults), the settings read back from chain, and the signatures of what the deployment sent. Signatures of
// earlier runs against the same cluster (same genesis hash and multisig) are kept.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { token, treasury } from "@ece/sdk";
import type { SentTransaction } from "./chain.js";
import type { DeployedProgram } from "./programs.js";
import { permissionNames, type Target } from "./target.js";
import { EXECUTOR, PROPOSER } from "./wallets.js";

export interface Manifest {
  cluster: { rpcUrl: string; wsUrl: string | null; genesisHash: string; solanaCore: string };
  deployer: string;
  programs: Record<string, DeployedProgram>;
  multisig: {
    address: string;
    createKey: string;
    members: Array<{ name: string; key: string; permissions: number; permissionNames: string[] }>;
    /** The propose-only member: the key a job that creates proposals (weekly payouts) holds instead of a signer's. */
    proposer: string;
    /** The execute-only member: the key that carries out approved proposals. */
    executor: string;
    threshold: number;
    timeLockSeconds: number;
    riskPolicy: treasury.RiskTier[];
  };
  pause: {
    state: string;
    authority: string;
    guardians: Array<{ name: string; key: string }>;
    paused: boolean;
  };
  token: { config: string; admin: string; eceMint: string; decimals: number; cap: string; minters: string[] };
  usdcMint: string;
  vaults: { ece: string; usdc: string };
  transactions: SentTransaction[];
  lastRun: { at: string; transactionsSent: number };
}

export interface ChainReadback {
  programs: DeployedProgram[];
  multisig: treasury.Multisig;
  pause: { state: string; authority: string; guardians: string[]; paused: boolean };
  token: token.TokenConfig;
}

/** Earlier runs' signatures, when the manifest at `path` describes this same deployment. */
export function previousTransactions(path: string, genesisHash: string, multisig: string): SentTransaction[] {
  if (!existsSync(path)) return [];
  try {
    const old = JSON.parse(readFileSync(path, "utf8")) as Partial<Manifest>;
    if (old.cluster?.genesisHash !== genesisHash || old.multisig?.address !== multisig) return [];
    return Array.isArray(old.transactions) ? old.transactions : [];
  } catch {
    return [];
  }
}

export function buildManifest(p: {
  rpcUrl: string;
  wsUrl: string | null;
  cluster: { genesisHash: string; version: string };
  target: Target;
  chain: ChainReadback;
  transactions: SentTransaction[];
  sentThisRun: number;
}): Manifest {
  const { target, chain } = p;
  const names = new Map<string, string>([
    ...target.members.map((m) => [m.key.toBase58(), m.name] as const),
    ...target.guardians.map((g) => [g.key.toBase58(), g.name] as const),
  ]);
  const nameOf = (key: string) => names.get(key) ?? "(unknown)";
  const members = chain.multisig.members.map((m) => ({
    name: nameOf(m.key.toBase58()),
    key: m.key.toBase58(),
    permissions: m.permissions,
    permissionNames: permissionNames(m.permissions),
  }));
  const memberKey = (name: string) => {
    const found = members.find((m) => m.name === name);
    if (!found) throw new Error(`the multisig on chain has no ${name} member`);
    return found.key;
  };
  return {
    cluster: { rpcUrl: p.rpcUrl, wsUrl: p.wsUrl, genesisHash: p.cluster.genesisHash, solanaCore: p.cluster.version },
    deployer: target.deployer.publicKey.toBase58(),
    programs: Object.fromEntries(chain.programs.map((pr) => [pr.name, pr])),
    multisig: {
      address: target.multisig.toBase58(),
      createKey: chain.multisig.createKey.toBase58(),
      members,
      proposer: memberKey(PROPOSER),
      executor: memberKey(EXECUTOR),
      threshold: chain.multisig.threshold,
      timeLockSeconds: chain.multisig.timeLockSeconds,
      riskPolicy: chain.multisig.riskPolicy,
    },
    pause: {
      state: chain.pause.state,
      authority: chain.pause.authority,
      guardians: chain.pause.guardians.map((key) => ({ name: nameOf(key), key })),
      paused: chain.pause.paused,
    },
    token: {
      config: token.tokenConfigPda()[0].toBase58(),
      admin: chain.token.admin.toBase58(),
      eceMint: chain.token.mint.toBase58(),
      decimals: chain.token.decimals,
      cap: chain.token.cap.toString(),
      minters: chain.token.minters.map((m) => m.toBase58()),
    },
    usdcMint: target.usdcMint.toBase58(),
    vaults: {
      ece: treasury.vaultPda(target.multisig, chain.token.mint)[0].toBase58(),
      usdc: treasury.vaultPda(target.multisig, target.usdcMint)[0].toBase58(),
    },
    transactions: p.transactions,
    lastRun: { at: new Date().toISOString(), transactionsSent: p.sentThisRun },
  };
}

export function writeManifest(path: string, manifest: Manifest): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The human summary printed at the end of a run. */
export function summary(m: Manifest, manifestPath: string): string {
  const pad = (s: string) => s.padEnd(16);
  const policy = m.multisig.riskPolicy
    .map(
      (t) =>
        `score ≥ ${t.minScore}: ${t.extraApprovals === treasury.ALL_VOTERS ? "every voter" : `+${t.extraApprovals}`}`,
    )
    .join("; ");
  return [
    `ECE deployment on ${m.cluster.rpcUrl} (genesis ${m.cluster.genesisHash})`,
    ...Object.values(m.programs).map(
      (p) => `  ${pad(p.name)}${p.id}${p.matchesBinary ? "" : "  (differs from programs/deploy)"}`,
    ),
    `  ${pad("multisig")}${m.multisig.address}`,
    ...m.multisig.members.map((x) => `  ${pad(`  ${x.name}`)}${x.key}  ${x.permissionNames.join("+")}`),
    `  ${pad("  threshold")}${m.multisig.threshold}, time lock ${m.multisig.timeLockSeconds} s; ${policy}`,
    `  ${pad("pause state")}${m.pause.state}  ${m.pause.paused ? "PAUSED" : "not paused"}, authority = multisig`,
    ...m.pause.guardians.map((g) => `  ${pad(`  ${g.name}`)}${g.key}`),
    `  ${pad("token config")}${m.token.config}  admin = multisig, ${m.token.decimals} decimals, cap ${m.token.cap}`,
    `  ${pad("ECE mint")}${m.token.eceMint}`,
    `  ${pad("USDC mint")}${m.usdcMint}`,
    `  ${pad("ECE vault")}${m.vaults.ece}`,
    `  ${pad("USDC vault")}${m.vaults.usdc}`,
    `  ${pad("manifest")}${manifestPath}`,
  ].join("\n");
}
