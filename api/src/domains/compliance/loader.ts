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
  let batch: ComplianceInputs["batch"] = null;
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
    const { rows } = await deps.pool.query<{
      recipient: string;
      amount: string;
      mint: string;
      entries: number;
      total: string;
      recipient_total: string;
    }>(
      `SELECT p.recipient, p.amount::text AS amount, p.mint,
              b.entries, b.total::text AS total, b.recipient_total::text AS recipient_total
         FROM payouts p
         CROSS JOIN LATERAL (SELECT count(*)::int AS entries, sum(q.amount) AS total,
                                    sum(q.amount) FILTER (WHERE q.recipient = p.recipient) AS recipient_total
                               FROM payouts q WHERE q.run_id = p.run_id AND q.mint = p.mint) b
        WHERE p.id = $1`,
      [subject.id],
    );
    const p = rows[0];
    if (!p) return null;
    wallet = p.recipient;
    amount = amountOf(deps, p.amount, p.mint);
    const total = amountOf(deps, p.total, p.mint);
    const mine = amountOf(deps, p.recipient_total, p.mint);
    if (total && mine) batch = { entries: p.entries, total, recipientAmount: mine };
  } else {
    wallet = subject.id;
  }

  const [user, firstChain, history, flags] = await Promise.all([
    deps.pool.query<{ kyc_status: KycInput; created_at: Date }>(
      "SELECT kyc_status, created_at FROM users WHERE wallet = $1",
      [wallet],
    ),
    deps.pool.query<{ block_time: Date | null }>(
      `SELECT block_time FROM chain_transactions WHERE signer = $1 AND block_time IS NOT NULL
        ORDER BY slot LIMIT 1`,
      [wallet],
    ),
    // The wallet's own successful transactions in the 7 days before asOf, each with the
    // largest amount it moved (velocity and structuring).
    deps.pool.query<{ signature: string; block_time: Date; amount: string | null; mint: string | null }>(
      `SELECT t.signature, t.block_time, a.amount::text AS amount, a.mint
         FROM chain_transactions t
         LEFT JOIN LATERAL (SELECT amount, mint FROM chain_instructions i
                             WHERE i.signature = t.signature AND i.amount IS NOT NULL
                             ORDER BY i.amount DESC, i.index, i.inner_index LIMIT 1) a ON true
        WHERE t.signer = $1 AND t.success AND t.commitment <> 'dropped'
          AND t.block_time > $2 AND t.block_time <= $3 AND t.signature <> $4
        ORDER BY t.block_time DESC, t.signature LIMIT 1000`,
      [wallet, new Date(asOf.getTime() - 7 * DAY), asOf, excludeRef ?? ""],
    ),
    // Flags that still stand: a reviewer's approve/override clears one, a reviewer's block keeps it.
    deps.pool.query<{ review: number; block: number }>(
      `SELECT count(*) FILTER (WHERE decision = 'review')::int AS review,
              count(*) FILTER (WHERE decision = 'block')::int AS block
         FROM compliance_checks
        WHERE inputs->>'wallet' = $1 AND NOT (subject_type::text = $2 AND subject_id = $3)`,
      [wallet, subject.type, subject.id],
    ),
  ]);

  const seen = [user.rows[0]?.created_at, firstChain.rows[0]?.block_time]
    .filter((d): d is Date => d instanceof Date)
    .map((d) => d.getTime());
  return {
    subject: { type: subject.type, id: subject.id },
    asOf: asOf.toISOString(),
    wallet,
    amount,
    kyc: user.rows[0]?.kyc_status ?? "unknown",
    denyList: denyListHit(denyList, wallet),
    walletFirstSeen: seen.length ? new Date(Math.min(...seen)).toISOString() : null,
    history: history.rows.map((h) => ({
      ref: h.signature,
      at: h.block_time.toISOString(),
      amount: amountOf(deps, h.amount, h.mint),
    })),
    priorFlags: { review: flags.rows[0]?.review ?? 0, block: flags.rows[0]?.block ?? 0 },
    batch,
  };
}
