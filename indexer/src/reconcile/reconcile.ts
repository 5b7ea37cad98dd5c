import { ECE_TREASURY_PROGRAM_ID, pause, SPL_TOKEN_PROGRAM_ID, sleep, token, treasury } from "@ece/sdk";
import { PublicKey } from "@solana/web3.js";
import type { Pool } from "pg";
import type { RpcClient } from "../rpc/client.js";

export interface Difference {
  account: string;
  what: string;
  field: string;
  chain: unknown;
  mirror: unknown;
}

export interface Comparison {
  differences: Difference[];
  checked: { multisigs: number; proposals: number; vaults: number; tokenConfig: boolean; pauseState: boolean };
}

interface RpcAccount {
  data: [string, string];
  owner: string;
}

const toAccount = (a: RpcAccount) => ({ data: Buffer.from(a.data[0], "base64"), owner: new PublicKey(a.owner) });
const TOKEN_CONFIG = token.tokenConfigPda()[0].toBase58();
const ECE_MINT = token.eceMintPda()[0].toBase58();
const PAUSE_STATE = pause.pauseStatePda()[0].toBase58();

/**
 * Compares every on-chain account of the programs with the mirror: multisigs
 * and their members, proposals, vault balances, the token config and mint
 * supply, the pause state. Accounts are read at `confirmed`.
 */
export async function compareMirror(rpc: RpcClient, pool: Pool): Promise<Comparison> {
  const diffs: Difference[] = [];
  const diff = (account: string, what: string, field: string, chain: unknown, mirror: unknown) => {
    // pg returns bigint and numeric columns as strings: compare scalars as text.
    const norm = (v: unknown) =>
      typeof v === "bigint" || typeof v === "number" || typeof v === "string" ? String(v) : JSON.stringify(v);
    if (norm(chain) !== norm(mirror)) diffs.push({ account, what, field, chain, mirror });
  };
  const compare = (account: string, what: string, fields: [string, unknown, unknown][]) => {
    for (const [field, chain, mirror] of fields) diff(account, what, field, chain, mirror);
  };
  const accounts = await rpc.call<{ pubkey: string; account: RpcAccount }[]>("getProgramAccounts", [
    ECE_TREASURY_PROGRAM_ID.toBase58(),
    { encoding: "base64", commitment: "confirmed" },
  ]);
  const multisigs = new Map<string, treasury.Multisig>();
  const proposals = new Map<string, treasury.Proposal>();
  for (const { pubkey, account } of accounts) {
    const acc = toAccount(account);
    try {
      multisigs.set(pubkey, treasury.decodeMultisig(acc));
      continue;
    } catch {}
    try {
      proposals.set(pubkey, treasury.decodeProposal(acc));
    } catch {}
  }

  const mirrorMultisigs = await rows(pool, "SELECT * FROM treasury_multisigs");
  const { rows: members } = await pool.query<{ multisig: string; member: string; permissions: number }>(
    "SELECT multisig, member, permissions FROM treasury_members",
  );
  for (const [address, m] of multisigs) {
    const row = mirrorMultisigs.get(address);
    if (!row) {
      diff(address, "multisig", "exists", true, false);
      continue;
    }
    compare(address, "multisig", [
      ["createKey", m.createKey.toBase58(), row.create_key],
      ["threshold", m.threshold, row.threshold],
      ["timeLockSeconds", m.timeLockSeconds, row.time_lock_seconds],
      ["transactionIndex", m.transactionIndex, row.transaction_index],
      ["staleTransactionIndex", m.staleTransactionIndex, row.stale_transaction_index],
      ["riskPolicy", m.riskPolicy, row.risk_policy],
      [
        "members",
        m.members.map((x) => `${x.key.toBase58()}:${x.permissions}`).sort(),
        members
          .filter((x) => x.multisig === address)
          .map((x) => `${x.member}:${x.permissions}`)
          .sort(),
      ],
    ]);
  }
  for (const address of mirrorMultisigs.keys())
    if (!multisigs.has(address)) diff(address, "multisig", "exists", false, true);

  const mirrorProposals = await rows(pool, "SELECT * FROM treasury_proposals");
  for (const [address, p] of proposals) {
    const row = mirrorProposals.get(address);
    if (!row || row.closed) {
      diff(address, "proposal", "exists", true, row ? "closed" : false);
      continue;
    }
    const fields: [string, unknown, unknown][] = [
      ["multisig", p.multisig.toBase58(), row.multisig],
      ["index", p.index, row.index],
      ["kind", p.action.kind, row.kind],
      ["creator", p.creator.toBase58(), row.creator],
      ["status", p.status, row.status],
      ["riskScore", p.riskScore, row.risk_score],
      ["required", p.required, row.required],
      ["approvals", p.approvals, row.approvals],
      ["rejections", p.rejections, row.rejections],
      ["cancellations", p.cancellations, row.cancellations],
      ["executedEntries", p.executedEntries, row.executed_entries],
      ["paidAmount", p.paidAmount, row.paid_amount],
    ];
    if (p.action.kind === "transfer") fields.push(["mint", p.action.mint.toBase58(), row.mint]);
    if (p.action.kind === "payoutBatch")
      fields.push(
        ["week", p.action.week, row.week],
        ["mint", p.action.mint.toBase58(), row.mint],
        ["entryCount", p.action.entryCount, row.entry_count],
        ["loadedEntries", p.loadedEntries, row.loaded_entries],
      );
    compare(address, "proposal", fields);
  }
  for (const [address, row] of mirrorProposals)
    if (!row.closed && !proposals.has(address)) diff(address, "proposal", "exists", false, true);

  // Vaults: the multisigs' token accounts at the vault PDAs, both ways.
  const mirrorVaults = await rows(pool, "SELECT * FROM treasury_vaults");
  const chainVaults = new Map<string, { mint: string; amount: string; multisig: string }>();
  for (const address of multisigs.keys()) {
    const { value } = await rpc.call<{
      value: {
        pubkey: string;
        account: { data: { parsed: { info: { mint: string; tokenAmount: { amount: string } } } } };
      }[];
    }>("getTokenAccountsByOwner", [
      address,
      { programId: SPL_TOKEN_PROGRAM_ID.toBase58() },
      { encoding: "jsonParsed", commitment: "confirmed" },
    ]);
    for (const { pubkey, account } of value) {
      const { mint, tokenAmount } = account.data.parsed.info;
      if (treasury.vaultPda(new PublicKey(address), new PublicKey(mint))[0].toBase58() === pubkey)
        chainVaults.set(pubkey, { mint, amount: tokenAmount.amount, multisig: address });
    }
  }
  for (const [address, v] of chainVaults) {
    const row = mirrorVaults.get(address);
    if (!row) diff(address, "vault", "exists", true, false);
    else
      compare(address, "vault", [
        ["balance", v.amount, row.balance],
        ["mint", v.mint, row.mint],
        ["multisig", v.multisig, row.multisig],
      ]);
  }
  for (const address of mirrorVaults.keys())
    if (!chainVaults.has(address)) diff(address, "vault", "exists", false, true);

  const [configInfo, pauseInfo] = await rpc
    .call<{ value: (RpcAccount | null)[] }>("getMultipleAccounts", [
      [TOKEN_CONFIG, PAUSE_STATE],
      { encoding: "base64", commitment: "confirmed" },
    ])
    .then((r) => r.value);
  const mirrorToken = (await rows(pool, "SELECT * FROM token_configs")).get(TOKEN_CONFIG);
  if (configInfo) {
    const c = token.decodeTokenConfig(toAccount(configInfo));
    if (!mirrorToken) diff(TOKEN_CONFIG, "tokenConfig", "exists", true, false);
    else {
      const supply = await rpc.call<{ value: { amount: string } }>("getTokenSupply", [
        ECE_MINT,
        { commitment: "confirmed" },
      ]);
      compare(TOKEN_CONFIG, "tokenConfig", [
        ["mint", c.mint.toBase58(), mirrorToken.mint],
        ["admin", c.admin.toBase58(), mirrorToken.admin],
        ["cap", c.cap, mirrorToken.cap],
        ["decimals", c.decimals, mirrorToken.decimals],
        ["minters", c.minters.map((m) => m.toBase58()).sort(), [...(mirrorToken.minters as string[])].sort()],
        ["totalMinted", c.totalMinted, mirrorToken.total_minted],
        ["totalBurned", c.totalBurned, mirrorToken.total_burned],
      ]);
      diff(ECE_MINT, "mint", "supply", supply.value.amount, mirrorToken.supply);
    }
  } else if (mirrorToken) diff(TOKEN_CONFIG, "tokenConfig", "exists", false, true);

  const mirrorPause = (await rows(pool, "SELECT * FROM pause_states")).get(PAUSE_STATE);
  if (pauseInfo) {
    const s = pause.decodePauseState(toAccount(pauseInfo), new PublicKey(pauseInfo.owner));
    if (!mirrorPause) diff(PAUSE_STATE, "pauseState", "exists", true, false);
    else {
      compare(PAUSE_STATE, "pauseState", [
        ["authority", s.authority.toBase58(), mirrorPause.authority],
        ["paused", s.paused, mirrorPause.paused],
        ["reason", s.reason, mirrorPause.reason],
        ["guardians", s.guardians.map((g) => g.toBase58()), mirrorPause.guardians],
        ["lastChangedBy", s.lastChangedBy.toBase58(), mirrorPause.last_changed_by],
        ["lastChangedSlot", s.lastChangedSlot, mirrorPause.last_changed_slot],
      ]);
    }
  } else if (mirrorPause) diff(PAUSE_STATE, "pauseState", "exists", false, true);

  return {
    differences: diffs,
    checked: {
      multisigs: multisigs.size,
      proposals: proposals.size,
      vaults: chainVaults.size,
      tokenConfig: configInfo !== null && configInfo !== undefined,
      pauseState: pauseInfo !== null && pauseInfo !== undefined,
    },
  };
}

/** Rows by their `address` column; numeric and bigint columns come back as strings. */
async function rows(pool: Pool, sql: string): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await pool.query(sql);
  return new Map(rows.map((r) => [String(r.address), r]));
}

/**
 * Compares until the mirror agrees or `waitMs` passes: the chain moves while
 * the comparison reads it, and a follower a block behind is not a difference.
 */
export async function reconcile(rpc: RpcClient, pool: Pool, waitMs = 15_000): Promise<Comparison> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = await compareMirror(rpc, pool);
    if (result.differences.length === 0 || Date.now() >= deadline) return result;
    await sleep(500);
  }
}
