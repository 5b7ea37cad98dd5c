import { ECE_PAUSE_PROGRAM_ID, pause, token, treasury } from "@ece/sdk";
import type { PoolClient } from "pg";
import type { IndexedTx } from "../chain/decode.js";

export interface MirrorChanges {
  /** Multisigs and vaults created in this batch: the follower starts following them. */
  newAddresses: string[];
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string) => String(d[k]);
const num = (d: Data, k: string) => Number(d[k]);
/** Anchor enums decode as `{ Variant: {} }`. */
const variant = (v: unknown) => Object.keys(v as object)[0] ?? "";
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const ECE_MINT = token.eceMintPda()[0].toBase58();
const TOKEN_CONFIG = token.tokenConfigPda()[0].toBase58();
const PAUSE_STATE = pause.pauseStatePda()[0].toBase58();
const PAUSE_PROGRAM = ECE_PAUSE_PROGRAM_ID.toBase58();

/**
 * Applies the mirror changes of newly inserted transactions, in chain order.
 * Every change is safe in any order too (a backfill walks history backwards):
 * absolute values are guarded by the slot that produced them, counters only
 * grow (GREATEST), sums are added exactly once (the caller only passes
 * transactions it just inserted), and rows an event refers to before the event
 * that creates them exist as placeholders that the creating event fills in.
 */
export async function applyMirror(db: PoolClient, txs: IndexedTx[]): Promise<MirrorChanges> {
  const newAddresses: string[] = [];
  let supplyDelta = 0n;
  const vaultBalances = new Map<string, { amount: bigint; slot: bigint }>();
  for (const tx of txs) {
    if (!tx.success) continue;
    for (const e of tx.events) {
      const created = await applyEvent(db, tx, e.name, e.data);
      if (created) newAddresses.push(created);
    }
    for (const ix of tx.instructions) {
      if (ix.mint !== ECE_MINT || ix.amount === null) continue;
      if (ix.name === "mintTo" || ix.name === "mintToChecked") supplyDelta += ix.amount;
      else if (ix.name === "burn" || ix.name === "burnChecked") supplyDelta -= ix.amount;
    }
    for (const b of tx.postTokenBalances) vaultBalances.set(b.account, { amount: b.amount, slot: tx.slot });
  }
  if (supplyDelta !== 0n) {
    await ensureTokenConfig(db);
    await db.query("UPDATE token_configs SET supply = supply + $2, updated_at = now() WHERE address = $1", [
      TOKEN_CONFIG,
      supplyDelta.toString(),
    ]);
  }
  if (vaultBalances.size > 0)
    await db.query(
      `UPDATE treasury_vaults v SET balance = r.amount, slot = r.slot
         FROM jsonb_to_recordset($1::jsonb) AS r(address text, amount numeric, slot bigint)
        WHERE v.address = r.address AND v.slot <= r.slot`,
      [
        JSON.stringify(
          [...vaultBalances].map(([address, b]) => ({ address, amount: b.amount.toString(), slot: b.slot.toString() })),
        ),
      ],
    );
  return { newAddresses };
}

async function applyEvent(db: PoolClient, tx: IndexedTx, name: string, d: Data): Promise<string | null> {
  const slot = tx.slot.toString();
  switch (name) {
    case "MultisigCreated":
      await upsertMultisig(db, d, slot, str(d, "create_key"));
      return follow(db, str(d, "multisig"), "multisig");
    case "ConfigChanged":
      await upsertMultisig(db, d, slot, null);
      return null;
    case "VaultCreated": {
      await ensureMultisig(db, str(d, "multisig"));
      await db.query(
        `INSERT INTO treasury_vaults (address, multisig, mint, balance, slot) VALUES ($1, $2, $3, 0, $4)
         ON CONFLICT (address) DO NOTHING`,
        [str(d, "vault"), str(d, "multisig"), str(d, "mint"), slot],
      );
      return follow(db, str(d, "vault"), "vault");
    }
    case "ProposalCreated":
      await createProposal(db, tx, d, slot);
      return null;
    case "PayoutEntriesAdded":
      // Carries no multisig to make a placeholder with; its ProposalCreated is
      // always in the same or an earlier transaction of the proposal's history.
      await db.query(
        `UPDATE treasury_proposals SET loaded_entries = GREATEST(COALESCE(loaded_entries, 0), $2), entry_count = $3,
                status = CASE WHEN slot <= $5 THEN $4::"ProposalStatus" ELSE status END, slot = GREATEST(slot, $5),
                updated_at = now()
          WHERE address = $1`,
        [str(d, "proposal"), num(d, "loaded_entries"), num(d, "entry_count"), variant(d.status), slot],
      );
      return null;
    case "ProposalApproved":
    case "ProposalRejected":
    case "ProposalCancelled": {
      const [vote, counter] = VOTES[name];
      await ensureProposal(db, str(d, "proposal"), str(d, "multisig"));
      await db.query(
        `INSERT INTO treasury_proposal_votes (proposal, member, vote, signature, slot) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [str(d, "proposal"), str(d, "member"), vote, tx.signature, slot],
      );
      await db.query(
        `UPDATE treasury_proposals SET ${counter} = GREATEST(${counter}, $2), required = $3,
                status = CASE WHEN slot <= $5 THEN $4::"ProposalStatus" ELSE status END, slot = GREATEST(slot, $5),
                updated_at = now()
          WHERE address = $1`,
        [str(d, "proposal"), num(d, counter), num(d, "required"), variant(d.status), slot],
      );
      return null;
    }
    case "ProposalExecuted": {
      await ensureProposal(db, str(d, "proposal"), str(d, "multisig"));
      await setStatus(db, str(d, "proposal"), variant(d.status), slot);
      // A transfer records its amount as paid; it is the one SPL transfer its execution makes.
      const transfer =
        treasury.PROPOSAL_KINDS[num(d, "kind")] === "transfer"
          ? tx.instructions.find((i) => i.innerIndex >= 0 && (i.name === "transfer" || i.name === "transferChecked"))
          : undefined;
      if (transfer?.amount != null)
        await db.query("UPDATE treasury_proposals SET paid_amount = $2 WHERE address = $1", [
          str(d, "proposal"),
          transfer.amount.toString(),
        ]);
      return null;
    }
    case "PayoutPaid":
      await ensureProposal(db, str(d, "proposal"), str(d, "multisig"));
      await db.query(
        `UPDATE treasury_proposals SET executed_entries = executed_entries + 1, paid_amount = paid_amount + $2,
                updated_at = now()
          WHERE address = $1`,
        [str(d, "proposal"), str(d, "amount")],
      );
      // The weekly run's payout at this entry is paid, by this transaction.
      await db.query(
        `UPDATE payouts SET status = 'paid', signature = $3, paid_slot = $4, updated_at = now()
          WHERE proposal = $1 AND entry_index = $2 AND status <> 'paid'`,
        [str(d, "proposal"), num(d, "entry_index"), tx.signature, slot],
      );
      return null;
    case "ProposalClosed":
      await ensureProposal(db, str(d, "proposal"), str(d, "multisig"));
      await db.query("UPDATE treasury_proposals SET closed = true, updated_at = now() WHERE address = $1", [
        str(d, "proposal"),
      ]);
      return null;
    case "TokenInitialized":
      await db.query(
        `INSERT INTO token_configs (address, mint, admin, cap, decimals, minters, slot)
         VALUES ($1, $2, $3, $4, $5, '{}', $6)
         ON CONFLICT (address) DO UPDATE SET mint = excluded.mint, decimals = excluded.decimals,
           admin = CASE WHEN token_configs.slot <= excluded.slot THEN excluded.admin ELSE token_configs.admin END,
           cap = CASE WHEN token_configs.slot <= excluded.slot THEN excluded.cap ELSE token_configs.cap END,
           slot = GREATEST(token_configs.slot, excluded.slot), updated_at = now()`,
        [TOKEN_CONFIG, str(d, "mint"), str(d, "admin"), str(d, "cap"), num(d, "decimals"), slot],
      );
      return null;
    case "AdminChanged":
    case "CapChanged":
    case "MinterAdded":
    case "MinterRemoved": {
      await ensureTokenConfig(db);
      const set = {
        AdminChanged: "admin = $2",
        CapChanged: "cap = $2::numeric",
        MinterAdded: "minters = array_append(array_remove(minters, $2), $2)",
        MinterRemoved: "minters = array_remove(minters, $2)",
      }[name];
      const value = {
        AdminChanged: "new_admin",
        CapChanged: "new_cap",
        MinterAdded: "minter",
        MinterRemoved: "minter",
      }[name];
      await db.query(
        `UPDATE token_configs SET ${set}, slot = $3, updated_at = now() WHERE address = $1 AND slot <= $3`,
        [TOKEN_CONFIG, str(d, value), slot],
      );
      return null;
    }
    case "Minted":
    case "Burned":
      await ensureTokenConfig(db);
      await db.query(
        `UPDATE token_configs SET ${name === "Minted" ? "total_minted = total_minted" : "total_burned = total_burned"} + $2,
                updated_at = now() WHERE address = $1`,
        [TOKEN_CONFIG, str(d, "amount")],
      );
      return null;
    case "PauseInitialized": {
      // The state records its initializer (the instruction's payer) as the last changer.
      const init = tx.instructions.find((i) => i.program === PAUSE_PROGRAM && i.name === "initialize");
      await db.query(
        `INSERT INTO pause_states (address, authority, paused, reason, last_changed_by, last_changed_slot, guardians, slot)
         VALUES ($1, $2, false, 0, $3, $4, $5, $4)
         ON CONFLICT (address) DO UPDATE SET authority = excluded.authority,
           guardians = CASE WHEN pause_states.slot <= excluded.slot THEN excluded.guardians ELSE pause_states.guardians END,
           last_changed_by = CASE WHEN pause_states.last_changed_slot <= excluded.last_changed_slot
                                  THEN excluded.last_changed_by ELSE pause_states.last_changed_by END,
           last_changed_slot = GREATEST(pause_states.last_changed_slot, excluded.last_changed_slot),
           slot = GREATEST(pause_states.slot, excluded.slot), updated_at = now()`,
        [PAUSE_STATE, str(d, "authority"), init?.accounts[0] ?? "", str(d, "slot"), d.guardians as string[]],
      );
      return null;
    }
    case "Paused":
    case "Unpaused":
    case "GuardiansChanged": {
      // Each stamps who changed the state and when; the latest stamp wins.
      await ensurePauseState(db);
      const set = {
        Paused: "paused = true, reason = $4",
        Unpaused: "paused = false", // the reason of the last pause stays, as on chain
        GuardiansChanged: "guardians = $4, slot = $3",
      }[name];
      const value =
        name === "Paused" ? num(d, "reason") : name === "GuardiansChanged" ? (d.guardians as string[]) : null;
      await db.query(
        `UPDATE pause_states SET ${set}, last_changed_by = $2, last_changed_slot = $3, updated_at = now()
          WHERE address = $1 AND last_changed_slot <= $3`,
        name === "Unpaused"
          ? [PAUSE_STATE, str(d, "by"), str(d, "slot")]
          : [PAUSE_STATE, str(d, "by"), str(d, "slot"), value],
      );
      return null;
    }
    default:
      return null;
  }
}

/** A new address to follow: anything can be sent to a multisig or a vault
 * without calling our programs (SOL, tokens), and the mirror must see it. */
async function follow(db: PoolClient, address: string, kind: string): Promise<string> {
  await db.query(
    "INSERT INTO indexer_cursors (address, kind, slot) VALUES ($1, $2, 0) ON CONFLICT (address) DO NOTHING",
    [address, kind],
  );
  return address;
}

const VOTES = {
  ProposalApproved: ["approve", "approvals"],
  ProposalRejected: ["reject", "rejections"],
  ProposalCancelled: ["cancel", "cancellations"],
} as const;

async function upsertMultisig(db: PoolClient, d: Data, slot: string, createKey: string | null) {
  const members = d.members as { key: string; permissions: number }[];
  const riskPolicy = (d.risk_policy as { min_score: number; extra_approvals: number }[]).map((t) => ({
    minScore: t.min_score,
    extraApprovals: t.extra_approvals,
  }));
  const { rows } = await db.query<{ address: string }>(
    `INSERT INTO treasury_multisigs (address, create_key, threshold, time_lock_seconds, transaction_index,
                                     stale_transaction_index, risk_policy, slot)
     VALUES ($1, COALESCE($2, ''), $3, $4, 0, $5, $6, $7)
     ON CONFLICT (address) DO UPDATE SET
       create_key = COALESCE($2, treasury_multisigs.create_key),
       threshold = excluded.threshold, time_lock_seconds = excluded.time_lock_seconds,
       stale_transaction_index = GREATEST(treasury_multisigs.stale_transaction_index, excluded.stale_transaction_index),
       risk_policy = excluded.risk_policy, slot = excluded.slot, updated_at = now()
     WHERE treasury_multisigs.slot <= excluded.slot
     RETURNING address`,
    [
      str(d, "multisig"),
      createKey,
      num(d, "threshold"),
      num(d, "time_lock_seconds"),
      d.stale_transaction_index === undefined ? "0" : str(d, "stale_transaction_index"),
      JSON.stringify(riskPolicy),
      slot,
    ],
  );
  if (rows.length === 0) {
    // An older config than the mirror's: only the create key may be new.
    if (createKey)
      await db.query("UPDATE treasury_multisigs SET create_key = $2 WHERE address = $1", [
        str(d, "multisig"),
        createKey,
      ]);
    return;
  }
  await db.query("DELETE FROM treasury_members WHERE multisig = $1", [str(d, "multisig")]);
  await db.query(
    `INSERT INTO treasury_members (multisig, member, permissions)
     SELECT $1, r.key, r.permissions FROM jsonb_to_recordset($2::jsonb) AS r(key text, permissions int)`,
    [str(d, "multisig"), JSON.stringify(members)],
  );
}

async function createProposal(db: PoolClient, tx: IndexedTx, d: Data, slot: string) {
  const multisig = str(d, "multisig");
  await ensureMultisig(db, multisig);
  await db.query(
    "UPDATE treasury_multisigs SET transaction_index = GREATEST(transaction_index, $2) WHERE address = $1",
    [multisig, str(d, "index")],
  );
  const kind = treasury.PROPOSAL_KINDS[num(d, "kind")] ?? `kind${num(d, "kind")}`;
  // Mint (transfers, payout batches), week, size and the entries loaded at
  // creation come from the create_proposal arguments.
  const create = tx.instructions.find(
    (i) => i.name === "create_proposal" && i.accounts.includes(str(d, "proposal")) && i.args,
  );
  const action = create?.args?.action as Data | undefined;
  const actionName = action ? variant(action) : "";
  const actionArgs = (action?.[actionName] ?? {}) as Data;
  const batchArgs = actionName.toLowerCase() === "payoutbatch" ? actionArgs : null;
  const mint = typeof actionArgs.mint === "string" ? actionArgs.mint : null;
  await db.query(
    `INSERT INTO treasury_proposals (address, multisig, index, kind, creator, status, risk_score, required,
                                     week, mint, entry_count, loaded_entries, created_signature, created_slot, slot)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
     ON CONFLICT (address) DO UPDATE SET multisig = excluded.multisig, index = excluded.index, kind = excluded.kind,
       creator = excluded.creator, risk_score = excluded.risk_score, week = excluded.week, mint = excluded.mint,
       entry_count = COALESCE(treasury_proposals.entry_count, excluded.entry_count),
       loaded_entries = GREATEST(treasury_proposals.loaded_entries, excluded.loaded_entries),
       created_signature = excluded.created_signature, created_slot = excluded.created_slot,
       status = CASE WHEN treasury_proposals.slot <= excluded.slot THEN excluded.status ELSE treasury_proposals.status END,
       required = CASE WHEN treasury_proposals.slot <= excluded.slot THEN excluded.required
                       ELSE treasury_proposals.required END,
       slot = GREATEST(treasury_proposals.slot, excluded.slot), updated_at = now()`,
    [
      str(d, "proposal"),
      multisig,
      str(d, "index"),
      kind,
      str(d, "creator"),
      capitalised(variant(d.status)),
      num(d, "risk_score"),
      num(d, "required"),
      batchArgs ? Number(batchArgs.week) : null,
      mint,
      batchArgs ? Number(batchArgs.entry_count) : null,
      Array.isArray(batchArgs?.entries) ? batchArgs.entries.length : null,
      tx.signature,
      slot,
    ],
  );
}

async function setStatus(db: PoolClient, proposal: string, status: string, slot: string) {
  await db.query(
    `UPDATE treasury_proposals SET status = $2, slot = $3, updated_at = now() WHERE address = $1 AND slot <= $3`,
    [proposal, capitalised(status), slot],
  );
}

/** Placeholder rows: filled in by the event that creates them, whenever it comes. */
async function ensureMultisig(db: PoolClient, address: string) {
  await db.query(
    `INSERT INTO treasury_multisigs (address, create_key, threshold, time_lock_seconds, transaction_index,
                                     stale_transaction_index, risk_policy, slot)
     VALUES ($1, '', 0, 0, 0, 0, '[]', -1) ON CONFLICT (address) DO NOTHING`,
    [address],
  );
}

async function ensureProposal(db: PoolClient, address: string, multisig?: string) {
  if (multisig) await ensureMultisig(db, multisig);
  await db.query(
    `INSERT INTO treasury_proposals (address, multisig, index, kind, creator, status, risk_score, required,
                                     created_signature, created_slot, slot)
     VALUES ($1, $2, -1, '', '', 'Draft', 0, 0, '', -1, -1) ON CONFLICT (address) DO NOTHING`,
    [address, multisig ?? ""],
  );
}

async function ensureTokenConfig(db: PoolClient) {
  await db.query(
    `INSERT INTO token_configs (address, mint, admin, cap, decimals, minters, slot)
     VALUES ($1, $2, '', 0, 0, '{}', -1) ON CONFLICT (address) DO NOTHING`,
    [TOKEN_CONFIG, ECE_MINT],
  );
}

async function ensurePauseState(db: PoolClient) {
  await db.query(
    `INSERT INTO pause_states (address, authority, paused, reason, last_changed_by, last_changed_slot, guardians, slot)
     VALUES ($1, '', false, 0, '', -1, '{}', -1) ON CONFLICT (address) DO NOTHING`,
    [PAUSE_STATE],
  );
}
