// Gathers the engine's inputs from Postgres (users, the chain mirror, payouts, earlier
// checks). Everything the rules read ends up in the inputs, which are stored with the
// result, so the score never depends on the database at recompute time.
import type { ApiDeps } from "../../deps.js";
import {
  type ComplianceInputs,
  type DenyList,
  denyListHit,
  type KycInput,
  type SubjectType,
  type TokenAmount,
} from "./engine/index.js";

type LoaderDeps = Pick<ApiDeps, "pool" | "platform">;

export interface Subject {
  type: Exclude<SubjectType, "batch">;
  id: string;
}

/** Decimals of the mints the platform knows; amounts in other mints cannot be valued (null). */
function amountOf(deps: LoaderDeps, base: string | null, mint: string | null): TokenAmount | null {
  if (base === null || mint === null) return null;
  const p = deps.platform;
  if (mint === p.eceMint.toBase58()) return { base, decimals: p.eceDecimals, mint };
  if (mint === p.usdcMint.toBase58()) return { base, decimals: p.usdcDecimals, mint };
  return null;
}

const DAY = 86_400_000;

/** null when the subject does not exist. */
export async function loadInputs(
  deps: LoaderDeps,
  denyList: DenyList,
  subject: Subject,
  now = new Date(),
): Promise<ComplianceInputs | null> {
  let wallet: string;
  let amount: TokenAmount | null = null;
  let asOf = now;
  let excludeRef: string | null = null;

  if (subject.type === "transaction") {
    const { rows } = await deps.pool.query<{
      signer: string;
      block_time: Date | null;
      amount: string | null;
      mint: string | null;
    }>(
      `SELECT t.signer, t.block_time, a.amount::text AS amount, a.mint
         FROM chain_transactions t
         LEFT JOIN LATERAL (SELECT amount, mint FROM chain_instructions i
                             WHERE i.signature = t.signature AND i.amount IS NOT NULL
                             ORDER BY i.amount DESC, i.index, i.inner_index LIMIT 1) a ON true
        WHERE t.signature = $1`,
      [subject.id],
    );
    const tx = rows[0];
    if (!tx) return null;
    wallet = tx.signer;
    amount = amountOf(deps, tx.amount, tx.mint);
    // A transaction is judged as of its block: its windows look back from when it happened.
    if (tx.block_time) asOf = tx.block_time;
    excludeRef = subject.id;
  } else if (subject.type === "payout") {
    return (await loadPayoutInputs(deps, denyList, [subject.id], now))[0] ?? null;
  } else {
    wallet = subject.id;
  }

  const facts = await walletFacts(deps, [wallet], asOf, denyList, {
    ref: excludeRef,
    subjectType: subject.type,
    subjectIds: [subject.id],
  });
  return inputsOf(subject, asOf, wallet, amount, null, facts.get(wallet) as WalletFacts);
}

type WalletFacts = Pick<ComplianceInputs, "kyc" | "denyList" | "walletFirstSeen" | "history" | "priorFlags">;

function inputsOf(
  subject: Subject,
  asOf: Date,
  wallet: string,
  amount: TokenAmount | null,
  batch: ComplianceInputs["batch"],
  f: WalletFacts,
): ComplianceInputs {
  return { subject: { type: subject.type, id: subject.id }, asOf: asOf.toISOString(), wallet, amount, ...f, batch };
}

/**
 * What the rules read about each wallet, as of `asOf`, in four set-based queries whatever
 * the number of wallets: KYC, first seen, the 7 days of history, standing flags. `exclude`
 * leaves the subject itself out (its own transaction, its own earlier checks).
 */
async function walletFacts(
  deps: LoaderDeps,
  wallets: string[],
  asOf: Date,
  denyList: DenyList,
  exclude: { ref: string | null; subjectType: Subject["type"]; subjectIds: string[] },
): Promise<Map<string, WalletFacts>> {
  const [users, firstChain, history, flags] = await Promise.all([
    deps.pool.query<{ wallet: string; kyc_status: KycInput; created_at: Date }>(
      "SELECT wallet, kyc_status, created_at FROM users WHERE wallet = ANY($1)",
      [wallets],
    ),
    deps.pool.query<{ signer: string; block_time: Date }>(
      `SELECT w.signer, f.block_time FROM unnest($1::text[]) AS w(signer)
         CROSS JOIN LATERAL (SELECT block_time FROM chain_transactions t
                              WHERE t.signer = w.signer AND t.block_time IS NOT NULL ORDER BY t.slot LIMIT 1) f`,
      [wallets],
    ),
    // Each wallet's own successful transactions in the 7 days before asOf, each with the
    // largest amount it moved (velocity and structuring).
    deps.pool.query<{
      signer: string;
      signature: string;
      block_time: Date;
      amount: string | null;
      mint: string | null;
    }>(
      `SELECT w.signer, h.signature, h.block_time, h.amount, h.mint FROM unnest($1::text[]) AS w(signer)
         CROSS JOIN LATERAL (
           SELECT t.signature, t.block_time, a.amount::text AS amount, a.mint
             FROM chain_transactions t
             LEFT JOIN LATERAL (SELECT amount, mint FROM chain_instructions i
                                 WHERE i.signature = t.signature AND i.amount IS NOT NULL
                                 ORDER BY i.amount DESC, i.index, i.inner_index LIMIT 1) a ON true
            WHERE t.signer = w.signer AND t.success AND t.commitment <> 'dropped'
              AND t.block_time > $2 AND t.block_time <= $3 AND t.signature <> $4
            ORDER BY t.block_time DESC, t.signature LIMIT 1000) h`,
      [wallets, new Date(asOf.getTime() - 7 * DAY), asOf, exclude.ref ?? ""],
    ),
    // Flags that still stand: a reviewer's approve/override clears one, a reviewer's block keeps it.
    deps.pool.query<{ wallet: string; review: number; block: number }>(
      `SELECT inputs->>'wallet' AS wallet,
              count(*) FILTER (WHERE decision = 'review')::int AS review,
              count(*) FILTER (WHERE decision = 'block')::int AS block
         FROM compliance_checks
        WHERE inputs->>'wallet' = ANY($1) AND NOT (subject_type::text = $2 AND subject_id = ANY($3))
        GROUP BY 1`,
      [wallets, exclude.subjectType, exclude.subjectIds],
    ),
  ]);
  const byWallet = <T extends object>(rows: T[], key: (r: T) => string) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  const u = new Map(users.rows.map((r) => [r.wallet, r]));
  const first = new Map(firstChain.rows.map((r) => [r.signer, r.block_time]));
  const hist = byWallet(history.rows, (r) => r.signer);
  const flag = new Map(flags.rows.map((r) => [r.wallet, r]));
  const out = new Map<string, WalletFacts>();
  for (const wallet of wallets) {
    const seen = [u.get(wallet)?.created_at, first.get(wallet)]
      .filter((d): d is Date => d instanceof Date)
      .map((d) => d.getTime());
    out.set(wallet, {
      kyc: u.get(wallet)?.kyc_status ?? "unknown",
      denyList: denyListHit(denyList, wallet),
      walletFirstSeen: seen.length ? new Date(Math.min(...seen)).toISOString() : null,
      history: (hist.get(wallet) ?? []).map((h) => ({
        ref: h.signature,
        at: h.block_time.toISOString(),
        amount: amountOf(deps, h.amount, h.mint),
      })),
      priorFlags: { review: flag.get(wallet)?.review ?? 0, block: flag.get(wallet)?.block ?? 0 },
    });
  }
  return out;
}

/**
 * Inputs of every payout of a run's batch for one mint, as of `asOf`: the batch figures
 * (entries, total, the recipient's part) from one query, the wallets' facts from four.
 * Earlier checks of the same payouts are not flags against them (a rerun scores alike).
 */
export async function loadPayoutInputs(
  deps: LoaderDeps,
  denyList: DenyList,
  payoutIds: string[],
  asOf: Date,
): Promise<ComplianceInputs[]> {
  const { rows } = await deps.pool.query<{
    id: string;
    recipient: string;
    amount: string;
    mint: string;
    entries: number;
    total: string;
    recipient_total: string;
  }>(
    `WITH b AS (SELECT run_id, mint, count(*)::int AS entries, sum(amount) AS total FROM payouts
                 WHERE (run_id, mint) IN (SELECT run_id, mint FROM payouts WHERE id = ANY($1::uuid[]))
                 GROUP BY run_id, mint),
          r AS (SELECT run_id, mint, recipient, sum(amount) AS recipient_total FROM payouts
                 WHERE (run_id, mint) IN (SELECT run_id, mint FROM payouts WHERE id = ANY($1::uuid[]))
                 GROUP BY run_id, mint, recipient)
     SELECT p.id::text, p.recipient, p.amount::text AS amount, p.mint, b.entries, b.total::text AS total,
            r.recipient_total::text AS recipient_total
       FROM payouts p
       JOIN b ON b.run_id = p.run_id AND b.mint = p.mint
       JOIN r ON r.run_id = p.run_id AND r.mint = p.mint AND r.recipient = p.recipient
      WHERE p.id = ANY($1::uuid[])
      ORDER BY p.id`,
    [payoutIds],
  );
  const wallets = [...new Set(rows.map((p) => p.recipient))];
  const facts = await walletFacts(deps, wallets, asOf, denyList, {
    ref: null,
    subjectType: "payout",
    subjectIds: payoutIds,
  });
  return rows.map((p) => {
    const total = amountOf(deps, p.total, p.mint);
    const mine = amountOf(deps, p.recipient_total, p.mint);
    const f = facts.get(p.recipient) as WalletFacts;
    return inputsOf(
      { type: "payout", id: p.id },
      asOf,
      p.recipient,
      amountOf(deps, p.amount, p.mint),
      total && mine ? { entries: p.entries, total, recipientAmount: mine } : null,
      f,
    );
  });
}
