// Treasury views (mirror checked against the chain, the chain winning) and the
// unsigned transactions signers build for propose / vote / execute.

import { treasury } from "@ece/sdk";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { ComputeBudgetProgram, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { badRequest, conflict, forbidden, notFound } from "../../core/errors.js";
import { isPubkey } from "../../core/schemas.js";
import type { ApiDeps } from "../../deps.js";
import { currencies } from "../../platform.js";
import {
  type Built,
  buildAll,
  chainMultisig,
  chainPause,
  chainProposal,
  pack,
  permissionNames,
  proposalChainView,
  tokenBalances,
} from "./chain.js";
import { mirrorMember, payoutView, proposalView, proposalWithVotes } from "./queries.js";

/** Entries per transaction at most (the wire limit packs fewer if need be). */
const CREATE_ENTRIES = 20;
/** 23 is the most an append transaction carries (tests/programs measure it); 25 would also overrun the Anchor coder's 1,000-byte buffer. */
const APPEND_ENTRIES = 23;
/**
 * Recipients per execute: each paid entry logs about 420 bytes and the runtime truncates a
 * transaction's logs past 10,000, dropping the PayoutPaid events the indexer reads. The
 * program's tests find 22 the most whose logs stay whole; 20 leaves room for this build's
 * compute-budget instruction and its log lines (about 37,000 CU: compute is not the limit).
 */
const EXECUTE_ENTRIES = 20;
const U64_END = 1n << 64n;

/**
 * A compute budget that differs per transaction of one build: two chunks with
 * the same recipients would otherwise be the same bytes on the same blockhash,
 * and the cluster would drop the second as already processed.
 */
const distinct = (i: number) => ComputeBudgetProgram.setComputeUnitLimit({ units: 400_000 + i });

// ───────────────────────────── views ─────────────────────────────

export async function multisigView(deps: ApiDeps) {
  const address = deps.platform.multisig.toBase58();
  const [row, chain] = await Promise.all([
    deps.prisma.treasuryMultisig.findUnique({ where: { address }, include: { members: true } }),
    chainMultisig(deps).catch(() => null),
  ]);
  if (!row && !chain) throw notFound(`multisig ${address}`);
  const member = (key: string, permissions: number) => ({
    key,
    permissions,
    permissionNames: permissionNames(permissions),
  });
  const mirror = row
    ? {
        createKey: row.createKey,
        threshold: row.threshold,
        timeLockSeconds: row.timeLockSeconds,
        transactionIndex: row.transactionIndex.toString(),
        staleTransactionIndex: row.staleTransactionIndex.toString(),
        riskPolicy: row.riskPolicy as Array<{ minScore: number; extraApprovals: number }>,
        members: row.members.map((m) => member(m.member, m.permissions)),
      }
    : null;
  const fromChain = chain
    ? {
        createKey: chain.createKey.toBase58(),
        threshold: chain.threshold,
        timeLockSeconds: chain.timeLockSeconds,
        transactionIndex: chain.transactionIndex.toString(),
        staleTransactionIndex: chain.staleTransactionIndex.toString(),
        riskPolicy: chain.riskPolicy,
        members: chain.members.map((m) => member(m.key.toBase58(), m.permissions)),
      }
    : null;
  const differences: string[] = [];
  if (mirror && fromChain) {
    for (const k of ["createKey", "threshold", "timeLockSeconds", "transactionIndex", "staleTransactionIndex"] as const)
      if (String(mirror[k]) !== String(fromChain[k]))
        differences.push(`${k}: mirror ${mirror[k]}, chain ${fromChain[k]}`);
    const tiers = (t: Array<{ minScore: number; extraApprovals: number }>) =>
      JSON.stringify(t.map((x) => [x.minScore, x.extraApprovals]));
    if (tiers(mirror.riskPolicy) !== tiers(fromChain.riskPolicy)) differences.push("riskPolicy differs");
    const set = (ms: Array<{ key: string; permissions: number }>) =>
      ms
        .map((m) => `${m.key}:${m.permissions}`)
        .sort()
        .join(",");
    if (set(mirror.members) !== set(fromChain.members)) differences.push("members differ");
  } else if (!mirror) differences.push("the mirror has no row for the multisig");
  const view = (fromChain ?? mirror) as NonNullable<typeof mirror>;
  return {
    address,
    ...view,
    voters: view.members.filter((m) => m.permissionNames.includes("vote")).length,
    source: fromChain ? ("chain" as const) : ("mirror" as const),
    mirrorInSync: fromChain ? differences.length === 0 : null,
    mirrorDifferences: differences,
    mirrorSlot: row && row.slot >= 0n ? Number(row.slot) : null,
  };
}

export async function vaultsView(deps: ApiDeps) {
  const multisig = deps.platform.multisig.toBase58();
  const rows = await deps.prisma.treasuryVault.findMany({ where: { multisig }, orderBy: { address: "asc" } });
  const known = Object.entries(currencies(deps.platform)).map(([name, c]) => ({
    address: c.vault.toBase58(),
    currency: name as "ECE" | "USDC",
    mint: c.mint.toBase58(),
    decimals: c.decimals as number | null,
  }));
  const all = [
    ...known,
    ...rows
      .filter((r) => !known.some((k) => k.address === r.address))
      .map((r) => ({ address: r.address, currency: null, mint: r.mint, decimals: null })),
  ];
  const balances = await tokenBalances(
    deps,
    all.map((v) => new PublicKey(v.address)),
  ).catch(() => all.map(() => undefined));
  return all.map((v, i) => {
    const row = rows.find((r) => r.address === v.address);
    const chain = balances[i];
    const mirrorBalance = row ? row.balance.toFixed() : null;
    return {
      ...v,
      balance: chain === undefined ? mirrorBalance : chain === null ? null : chain.toString(),
      mirrorBalance,
      mirrorSlot: row ? Number(row.slot) : null,
      mirrorInSync: chain === undefined ? null : (chain?.toString() ?? null) === mirrorBalance,
    };
  });
}

export async function pauseView(deps: ApiDeps) {
  const address = deps.platform.pauseState.toBase58();
  const [row, chain] = await Promise.all([
    deps.prisma.pauseState.findUnique({ where: { address } }),
    chainPause(deps).catch(() => null),
  ]);
  if (!row && !chain) throw notFound("pause state");
  const fromChain = chain
    ? {
        paused: chain.paused,
        reason: chain.reason,
        authority: chain.authority.toBase58(),
        guardians: chain.guardians.map((g) => g.toBase58()),
        lastChangedBy: chain.lastChangedBy.toBase58(),
        lastChangedSlot: Number(chain.lastChangedSlot),
      }
    : null;
  const mirror = row
    ? {
        paused: row.paused,
        reason: row.reason,
        authority: row.authority,
        guardians: row.guardians,
        lastChangedBy: row.lastChangedBy,
        lastChangedSlot: Number(row.lastChangedSlot),
      }
    : null;
  const inSync =
    fromChain && mirror
      ? fromChain.paused === mirror.paused &&
        fromChain.authority === mirror.authority &&
        [...fromChain.guardians].sort().join() === [...mirror.guardians].sort().join()
      : fromChain
        ? false
        : null;
  return {
    address,
    ...((fromChain ?? mirror) as NonNullable<typeof mirror>),
    source: fromChain ? ("chain" as const) : ("mirror" as const),
    mirrorInSync: inSync,
  };
}

export async function proposalDetail(deps: ApiDeps, address: string) {
  const [row, chain] = await Promise.all([
    proposalWithVotes(deps, address),
    chainProposal(deps, new PublicKey(address)).catch(() => null),
  ]);
  if (!row || row.multisig !== deps.platform.multisig.toBase58()) {
    if (!chain?.multisig.equals(deps.platform.multisig)) throw notFound(`proposal ${address}`);
  }
  const base = row
    ? proposalView(row)
    : {
        // Not mirrored yet: what the account says.
        address,
        index: (chain as treasury.Proposal).index.toString(),
        kind: (chain as treasury.Proposal).action.kind,
        creator: (chain as treasury.Proposal).creator.toBase58(),
        status: (chain as treasury.Proposal).status,
        riskScore: (chain as treasury.Proposal).riskScore,
        required: (chain as treasury.Proposal).required,
        approvals: (chain as treasury.Proposal).approvals,
        rejections: (chain as treasury.Proposal).rejections,
        cancellations: (chain as treasury.Proposal).cancellations,
        week: null,
        mint: null,
        entryCount: null,
        loadedEntries: null,
        executedEntries: (chain as treasury.Proposal).executedEntries,
        paidAmount: (chain as treasury.Proposal).paidAmount.toString(),
        closed: false,
        createdSignature: "",
        createdSlot: -1,
        slot: -1,
        updatedAt: new Date().toISOString(),
      };
  const chainView = chain ? proposalChainView(chain) : null;
  const inSync =
    chain && row
      ? chain.status === row.status &&
        chain.approvals === row.approvals &&
        chain.rejections === row.rejections &&
        chain.cancellations === row.cancellations &&
        chain.executedEntries === row.executedEntries
      : null;
  return {
    ...base,
    // The chain wins where it still has the account.
    ...(chain
      ? {
          status: chain.status,
          required: chain.required,
          approvals: chain.approvals,
          rejections: chain.rejections,
          cancellations: chain.cancellations,
          executedEntries: chain.executedEntries,
          paidAmount: chain.paidAmount.toString(),
        }
      : {}),
    votes: (row?.votes ?? []).map((v) => ({
      member: v.member,
      vote: v.vote,
      signature: v.signature,
      slot: Number(v.slot),
    })),
    payouts: (row?.payouts ?? []).map(payoutView),
    chain: chainView,
    mirrorInSync: inSync,
  };
}

// ───────────────────────────── builds ─────────────────────────────

type Need = "propose" | "vote" | "execute";
const BIT: Record<Need, number> = {
  propose: treasury.Permission.Propose,
  vote: treasury.Permission.Vote,
  execute: treasury.Permission.Execute,
};

/** The mirror must list the caller as a member holding `need` (the program checks again on chain). */
export async function requireMember(deps: ApiDeps, wallet: string, need: Need): Promise<void> {
  const m = await mirrorMember(deps, wallet);
  if (!m) throw forbidden("not a member of the treasury multisig", "NOT_A_MEMBER");
  if ((m.permissions & BIT[need]) === 0)
    throw forbidden(`this member does not hold the ${need} permission`, "MISSING_PERMISSION");
}

function mintOf(deps: ApiDeps, ref: string): PublicKey {
  const c = currencies(deps.platform);
  if (ref === "ECE" || ref === "USDC") return c[ref].mint;
  if (!isPubkey(ref)) throw badRequest("BAD_MINT", `mint must be "ECE", "USDC" or a mint address, got "${ref}"`);
  return new PublicKey(ref);
}

export interface CreateBody {
  action:
    | { kind: "transfer"; mint: string; to: string; amount: string }
    | { kind: "payoutBatch"; mint: string; week: number; entries: Array<{ recipient: string; amount: string }> }
    | { kind: "unpause" };
  riskScore?: number;
  complianceHash?: string;
}

export interface BuildResult {
  proposal: string;
  index: string | null;
  transactions: Built[];
  /** For the audit log. */
  detail: Record<string, unknown>;
}

export async function buildCreate(deps: ApiDeps, wallet: string, body: CreateBody): Promise<BuildResult> {
  await requireMember(deps, wallet, "propose");
  const creator = new PublicKey(wallet);
  const { multisig } = deps.platform;
  const ms = await chainMultisig(deps);
  if (!ms) throw notFound("the treasury multisig on chain");
  const nextIndex = ms.transactionIndex + 1n;
  const riskScore = body.riskScore ?? 0;
  const complianceHash = body.complianceHash
    ? Uint8Array.from(Buffer.from(body.complianceHash, "hex"))
    : new Uint8Array(32);
  const a = body.action;
  if (a.kind === "unpause") {
    // The way out of an emergency pause: the only proposal the program takes while paused.
    const action: treasury.ProposalAction = { kind: "pause", action: { kind: "unpause" } };
    const proposal = treasury.newProposalAddress(multisig, action, nextIndex);
    const transactions = await buildAll(deps, creator, [
      [treasury.createProposalIx({ creator, multisig, action, nextIndex, proposal, riskScore, complianceHash })],
    ]);
    return {
      proposal: proposal.toBase58(),
      index: nextIndex.toString(),
      transactions,
      detail: { kind: "unpause", index: nextIndex.toString() },
    };
  }
  const mint = mintOf(deps, a.mint);
  if (a.kind === "transfer") {
    const amount = BigInt(a.amount);
    if (amount <= 0n || amount >= U64_END) throw badRequest("BAD_AMOUNT", "amount must be a positive u64");
    const to = new PublicKey(a.to);
    const action: treasury.ProposalAction = { kind: "transfer", mint, to, amount };
    const proposal = treasury.newProposalAddress(multisig, action, nextIndex);
    const destination = getAssociatedTokenAddressSync(mint, to, true);
    const transactions = await buildAll(deps, creator, [
      [
        // Execution pays this account: make sure it exists.
        createAssociatedTokenAccountIdempotentInstruction(creator, destination, to, mint),
        treasury.createProposalIx({ creator, multisig, action, nextIndex, proposal, riskScore, complianceHash }),
      ],
    ]);
    return {
      proposal: proposal.toBase58(),
      index: nextIndex.toString(),
      transactions,
      detail: {
        kind: a.kind,
        mint: mint.toBase58(),
        to: a.to,
        amount: a.amount,
        riskScore,
        index: nextIndex.toString(),
      },
    };
  }
  const entries = a.entries.map((e) => ({ recipient: new PublicKey(e.recipient), amount: BigInt(e.amount) }));
  if (entries.some((e) => e.amount <= 0n || e.amount >= U64_END))
    throw badRequest("BAD_AMOUNT", "every entry's amount must be a positive u64");
  const totalAmount = entries.reduce((s, e) => s + e.amount, 0n);
  if (totalAmount >= U64_END) throw badRequest("BAD_AMOUNT", "the batch total exceeds a u64");
  const proposal = treasury.payoutPda(multisig, mint, a.week)[0];
  if (await chainProposal(deps, proposal).catch(() => null))
    throw conflict(
      "PROPOSAL_EXISTS",
      `the payout batch of week ${a.week} for this mint exists: ${proposal.toBase58()}`,
    );
  // Nothing on chain yet (checked above): the create, then appends.
  const txs = payoutBatchIxs(
    deps,
    creator,
    { mint, week: a.week, entries, riskScore, complianceHash, nextIndex },
    null,
  );
  const transactions = await buildAll(deps, creator, txs);
  return {
    proposal: proposal.toBase58(),
    index: nextIndex.toString(),
    transactions,
    detail: {
      kind: a.kind,
      mint: mint.toBase58(),
      week: a.week,
      entryCount: entries.length,
      totalAmount: totalAmount.toString(),
      riskScore,
      index: nextIndex.toString(),
    },
  };
}

export interface PayoutBatchSpec {
  mint: PublicKey;
  week: number;
  entries: treasury.PayoutEntry[];
  riskScore: number;
  complianceHash: Uint8Array;
  nextIndex: bigint;
}

/**
 * The transactions that put a payout batch on chain, from entry `loaded` on: the create
 * (with as many entries as fit) when nothing is on chain yet, then appends, in order.
 */
export function payoutBatchIxs(
  deps: Pick<ApiDeps, "platform">,
  creator: PublicKey,
  b: PayoutBatchSpec,
  loaded: number | null,
): TransactionInstruction[][] {
  const { multisig } = deps.platform;
  const totalAmount = b.entries.reduce((s, e) => s + e.amount, 0n);
  const proposal = treasury.payoutPda(multisig, b.mint, b.week)[0];
  const createIx = (first: treasury.PayoutEntry[]) =>
    treasury.createProposalIx({
      creator,
      multisig,
      action: {
        kind: "payoutBatch",
        mint: b.mint,
        week: b.week,
        totalAmount,
        entryCount: b.entries.length,
        entries: first,
      },
      nextIndex: b.nextIndex,
      proposal,
      riskScore: b.riskScore,
      complianceHash: b.complianceHash,
    });
  const head = loaded === null ? (pack(creator, b.entries, CREATE_ENTRIES, (chunk) => [createIx(chunk)])[0] ?? []) : [];
  const rest = b.entries.slice(loaded ?? head.length);
  const append = (chunk: treasury.PayoutEntry[], i: number) => [
    distinct(i),
    treasury.appendPayoutEntriesIx({ creator, proposal, entries: chunk }),
  ];
  const appends = rest.length ? pack(creator, rest, APPEND_ENTRIES, (chunk) => append(chunk, 0)) : [];
  return [...(loaded === null ? [[createIx(head)]] : []), ...appends.map(append)];
}

/** The execute transactions that pay a batch's entries from the program's cursor on, in order. */
export function payoutExecuteIxs(
  deps: Pick<ApiDeps, "platform">,
  executor: PublicKey,
  proposal: PublicKey,
  chain: treasury.Proposal,
): TransactionInstruction[][] {
  const a = chain.action;
  if (a.kind !== "payoutBatch") throw new Error("not a payout batch");
  const { multisig } = deps.platform;
  const pending = a.entries.slice(chain.executedEntries);
  const make = (chunk: treasury.PayoutEntry[], i: number) => [
    distinct(i),
    treasury.executeIx({
      executor,
      multisig,
      proposal,
      remaining: treasury.payoutAccounts(
        multisig,
        a.mint,
        chunk.map((e) => e.recipient),
      ),
    }),
  ];
  return pending.length ? pack(executor, pending, EXECUTE_ENTRIES, (chunk) => make(chunk, 0)).map(make) : [];
}

export type VoteKind = "approve" | "reject" | "cancel";

async function loadProposal(deps: ApiDeps, address: string) {
  const key = new PublicKey(address);
  const chain = await chainProposal(deps, key).catch(() => null);
  if (!chain?.multisig.equals(deps.platform.multisig)) {
    const row = await deps.prisma.treasuryProposal.findUnique({ where: { address } });
    if (row?.closed) throw conflict("PROPOSAL_CLOSED", `proposal ${address} was closed on chain`);
    throw notFound(`proposal ${address}`);
  }
  return { key, chain };
}

export async function buildVote(deps: ApiDeps, wallet: string, address: string, how: VoteKind): Promise<BuildResult> {
  await requireMember(deps, wallet, "vote");
  const { key, chain } = await loadProposal(deps, address);
  const voted = await deps.prisma.treasuryProposalVote.findMany({ where: { proposal: address, member: wallet } });
  const ms = await chainMultisig(deps);
  const slot = ms?.members.findIndex((m) => m.key.toBase58() === wallet) ?? -1;
  const bit = slot >= 0 ? 1 << slot : 0;
  if (how === "cancel") {
    const open = chain.status === "Draft" || chain.status === "Active";
    if (open && chain.creator.toBase58() !== wallet)
      throw conflict("CANNOT_CANCEL", "only its creator may withdraw a proposal that is not approved");
    if (!open && chain.status !== "Approved" && chain.status !== "Executing")
      throw conflict("CANNOT_CANCEL", `the proposal is ${chain.status}`);
    if (!open && (voted.some((v) => v.vote === "cancel") || (chain.cancelledMask & bit) !== 0))
      throw conflict("ALREADY_VOTED", "this member already voted to cancel");
  } else {
    if (
      voted.some((v) => v.vote === "approve" || v.vote === "reject") ||
      ((chain.approvedMask | chain.rejectedMask) & bit) !== 0
    )
      throw conflict("ALREADY_VOTED", "this member already voted on the proposal");
    if (chain.status !== "Active") throw conflict("PROPOSAL_NOT_ACTIVE", `the proposal is ${chain.status}, not Active`);
  }
  if (ms && treasury.isStale(chain, ms))
    throw conflict("PROPOSAL_STALE", "a later config change made the proposal stale");
  const member = new PublicKey(wallet);
  const ix = { approve: treasury.approveIx, reject: treasury.rejectIx, cancel: treasury.cancelIx }[how]({
    member,
    multisig: deps.platform.multisig,
    proposal: key,
  });
  const transactions = await buildAll(deps, member, [[ix]]);
  return {
    proposal: address,
    index: chain.index.toString(),
    transactions,
    detail: { vote: how, status: chain.status, approvals: chain.approvals, required: chain.required },
  };
}

export async function buildExecute(deps: ApiDeps, wallet: string, address: string): Promise<BuildResult> {
  await requireMember(deps, wallet, "execute");
  const { key, chain } = await loadProposal(deps, address);
  if (chain.status === "Executed") throw conflict("ALREADY_EXECUTED", "the proposal was executed");
  if (chain.status !== "Approved" && chain.status !== "Executing")
    throw conflict(
      "PROPOSAL_NOT_APPROVED",
      `the proposal is ${chain.status}: it needs ${chain.required} approvals first`,
      {
        approvals: chain.approvals,
        required: chain.required,
      },
    );
  const ms = await chainMultisig(deps);
  if (ms && chain.status === "Approved") {
    if (treasury.isStale(chain, ms)) throw conflict("PROPOSAL_STALE", "a later config change made the proposal stale");
    const unlock = Number(chain.approvedAt) + ms.timeLockSeconds;
    if (ms.timeLockSeconds > 0 && Date.now() / 1000 < unlock)
      throw conflict("TIME_LOCKED", `the time lock ends at ${new Date(unlock * 1000).toISOString()}`, {
        unlocksAt: new Date(unlock * 1000).toISOString(),
      });
  }
  const executor = new PublicKey(wallet);
  const { multisig } = deps.platform;
  const exec = (remaining: ReturnType<typeof treasury.transferAccounts>) =>
    treasury.executeIx({ executor, multisig, proposal: key, remaining });
  const a = chain.action;
  let txs: TransactionInstruction[][];
  switch (a.kind) {
    case "transfer": {
      const destination = getAssociatedTokenAddressSync(a.mint, a.to, true);
      const ixs: TransactionInstruction[] = [];
      const [exists] = await deps.connection.getMultipleAccountsInfo([destination], "confirmed");
      if (!exists) ixs.push(createAssociatedTokenAccountIdempotentInstruction(executor, destination, a.to, a.mint));
      ixs.push(exec(treasury.transferAccounts(multisig, a.mint, destination)));
      txs = [ixs];
      break;
    }
    case "payoutBatch":
      // The program pays entries in order from its cursor: the chunks must land in this order.
      txs = payoutExecuteIxs(deps, executor, key, chain);
      if (txs.length === 0) throw conflict("NOTHING_TO_EXECUTE", "every entry has been paid");
      break;
    case "pause":
      txs = [[exec(treasury.pauseAccounts())]];
      break;
    case "token":
      txs = [[exec(treasury.tokenAccounts())]];
      break;
    default:
      txs = [[exec([])]];
  }
  const transactions = await buildAll(deps, executor, txs);
  return {
    proposal: address,
    index: chain.index.toString(),
    transactions,
    detail: { kind: a.kind, status: chain.status, transactions: transactions.length },
  };
}
