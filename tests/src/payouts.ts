// Helpers of the payout suites: a stack with the payout job, a simulated week of sales,
// the `payouts:run` CLI as its own process (killable at a failpoint), signers' approvals.
import { join } from "node:path";
import { pause, treasury } from "@ece/sdk";
import { newKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Keypair, PublicKey } from "@solana/web3.js";
import { parseWeek, weekOf } from "../../api/src/domains/payouts/week.js";
import { type SimulatedCompany, type SimulatedSale, simulateWeek } from "../../scripts/src/payouts/simulate-week.js";
import { spawnReady } from "../../scripts/src/spawn-ready.js";
import { confirmed, sendIxs, signBuilt } from "./api-client.js";
import { type ApiStack, startApiStack } from "./api-stack.js";
import { untilMirrored } from "./indexer.js";

export const FEE_BPS = 250;
const ROOT = join(import.meta.dirname, "../..");

export interface PayoutStack extends ApiStack {
  admin: Keypair;
  adminToken: string;
  usdc: PublicKey;
  /** The ISO week the simulated sales fall in (this week: paid with --allow-open-week). */
  week: string;
}

export async function startPayoutStack(label: string, env: Record<string, string> = {}): Promise<PayoutStack> {
  const admin = newKeypair();
  const stack = await startApiStack(label, {
    env: {
      ADMIN_WALLETS: admin.publicKey.toBase58(),
      MARKETPLACE_FEE_BPS: String(FEE_BPS),
      PAYOUT_TICK_MS: "300",
      ...env,
    },
  });
  return payoutStackOf(stack, admin);
}

/** A started stack whose ADMIN_WALLETS is `admin`, as the payout helpers take it (the browser tests start their own). */
export async function payoutStackOf(stack: ApiStack, admin: Keypair): Promise<PayoutStack> {
  const adminToken = (await stack.client.signIn(admin)).token;
  return { ...stack, admin, adminToken, usdc: new PublicKey(stack.manifest.usdcMint), week: weekOf(new Date()).label };
}

/** Sells the companies' cards on chain (alice sells, bob buys, in USDC) and waits for the mirror. */
export async function sellWeek(stack: PayoutStack, companies: SimulatedCompany[]): Promise<SimulatedSale[]> {
  const sales = await simulateWeek({
    prisma: stack.deps.prisma,
    connection: stack.localnet.connection(),
    platformKey: stack.deps.platformKey,
    currencyMint: stack.usdc,
    currencyDecimals: 6,
    vault: stack.deps.platform.vaults.usdc,
    feeBps: FEE_BPS,
    seller: stack.localnet.wallet("alice"),
    buyer: stack.localnet.wallet("bob"),
    companies,
  });
  await untilMirrored(
    stack.deps.pool,
    sales.map((s) => s.signature),
  );
  return sales;
}

export interface CliRun {
  /** The outcome line, or the failpoint the process froze at (then killed with SIGKILL). */
  out: Record<string, unknown>;
  code: number | null;
  stderr: string;
}

/** `npm run payouts:run -- --week W --allow-open-week` against the stack; with `failpoint`, SIGKILLed there. */
export async function runCli(stack: PayoutStack, opts: { failpoint?: string; wait?: number } = {}): Promise<CliRun> {
  const p = await spawnReady<Record<string, unknown>>(
    "payouts:run",
    join(ROOT, "api/src/domains/payouts/cli.ts"),
    ["--week", stack.week, "--allow-open-week", ...(opts.wait ? ["--wait", String(opts.wait)] : [])],
    { ...process.env, ...stack.env, LOG_LEVEL: "warn", ECE_FAILPOINTS: opts.failpoint ?? "" },
  );
  if (p.ready.failpoint) p.child.kill("SIGKILL");
  const code = await p.exited;
  return { out: p.ready, code, stderr: p.stderr() };
}

/** Signs in `signer` and sends what the API builds for `verb` on `proposal`, in order, each confirmed before the next (as the app does). */
export async function actAs(
  stack: PayoutStack,
  signer: Keypair,
  proposal: string,
  verb: "approve" | "execute",
): Promise<string[]> {
  const token = (await stack.client.signIn(signer)).token;
  const r = await stack.client.post(`/api/v1/treasury/proposals/${proposal}/${verb}`, undefined, { token });
  if (r.status !== 200) throw new Error(`${verb} build: ${r.status} ${r.text}`);
  const conn = stack.localnet.connection();
  const signatures: string[] = [];
  for (const built of r.body.transactions as Array<{ transaction: string }>) {
    const signature = await conn.sendRawTransaction(signBuilt(built.transaction, [signer]));
    await confirmed(conn, signature);
    signatures.push(signature);
  }
  return signatures;
}

export async function approveAs(stack: PayoutStack, signer: Keypair, proposal: string): Promise<void> {
  await actAs(stack, signer, proposal, "approve");
}

/** USDC balance of `owner`'s associated account (0 when it does not exist). */
export async function usdcOf(stack: PayoutStack, owner: PublicKey): Promise<bigint> {
  return tokenBalance(stack, getAssociatedTokenAddressSync(stack.usdc, owner, true));
}

export async function tokenBalance(stack: PayoutStack, account: PublicKey): Promise<bigint> {
  const info = await stack.localnet.connection().getAccountInfo(account, "confirmed");
  return info ? info.data.readBigUInt64LE(64) : 0n;
}

/** A guardian pauses the platform at once. */
export async function pauseNow(stack: PayoutStack): Promise<void> {
  const guardian = stack.localnet.wallet("guardian-1");
  await sendIxs(stack.localnet.connection(), [pause.pauseIx({ guardian: guardian.publicKey, reason: 9 })], [guardian]);
}

/** Unpausing takes the multisig: a pause proposal, two approvals, execution by the executor. */
export async function unpauseByMultisig(stack: PayoutStack): Promise<void> {
  const conn = stack.localnet.connection();
  const { multisig } = stack.deps.platform;
  const ms = treasury.decodeMultisig(
    (await conn.getAccountInfo(multisig, "confirmed")) as NonNullable<Awaited<ReturnType<typeof conn.getAccountInfo>>>,
  );
  const nextIndex = ms.transactionIndex + 1n;
  const action: treasury.ProposalAction = { kind: "pause", action: { kind: "unpause" } };
  const proposal = treasury.newProposalAddress(multisig, action, nextIndex);
  const [s1, s2, executor] = ["signer-1", "signer-2", "executor"].map((n) => stack.localnet.wallet(n)) as [
    Keypair,
    Keypair,
    Keypair,
  ];
  await sendIxs(conn, [treasury.createProposalIx({ creator: s1.publicKey, multisig, action, nextIndex })], [s1]);
  for (const s of [s1, s2]) await sendIxs(conn, [treasury.approveIx({ member: s.publicKey, multisig, proposal })], [s]);
  await sendIxs(
    conn,
    [treasury.executeIx({ executor: executor.publicKey, multisig, proposal, remaining: treasury.pauseAccounts() })],
    [executor],
  );
}

/** The week's batch on chain, or null. */
export async function weekBatch(stack: PayoutStack): Promise<treasury.Proposal | null> {
  const address = treasury.payoutPda(stack.deps.platform.multisig, stack.usdc, parseWeek(stack.week).onChain)[0];
  const info = await stack.localnet.connection().getAccountInfo(address, "confirmed");
  return info ? treasury.decodeProposal(info) : null;
}
