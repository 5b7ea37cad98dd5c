// Fills a migrated, empty database with a benchmark-sized mirror: chain transactions
// with their instructions and events, spread over weeks of slots, and cards across
// companies. Every row is made by the server (INSERT … SELECT generate_series); the
// client only sends pools of addresses and signature pieces it drew at random.
import { randomBytes } from "node:crypto";
import { ECE_PAUSE_PROGRAM_ID, ECE_TOKEN_PROGRAM_ID, ECE_TREASURY_PROGRAM_ID, SPL_TOKEN_PROGRAM_ID } from "@ece/sdk";
import bs58 from "bs58";
import pg from "pg";

export interface SeedOptions {
  databaseUrl: string;
  transactions: number;
  cards: number;
  companies?: number;
  /** Wallets that sign and own things. */
  wallets?: number;
  /** The transactions span this many days, ending now. */
  days?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  transactions: number;
  instructions: number;
  events: number;
  cards: number;
  companies: number;
  seconds: number;
  /** A few values the benchmark queries by (a busy wallet, the time range). */
  sample: { wallet: string; from: string; to: string };
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const pubkey = () => bs58.encode(randomBytes(32));
/** Base58 text of `n` characters (pieces of signatures). */
const b58chars = (n: number) =>
  Array.from(randomBytes(n), (b) => B58[b % 58])
    .join("")
    .slice(0, n);

const TOKEN = ECE_TOKEN_PROGRAM_ID.toBase58();
const TREASURY = ECE_TREASURY_PROGRAM_ID.toBase58();
const PAUSE = ECE_PAUSE_PROGRAM_ID.toBase58();
const SPL = SPL_TOKEN_PROGRAM_ID.toBase58();

/**
 * Transaction kinds, with a weight out of 1000: the program and instruction the
 * indexer would list, the event it logs, whether a token amount moves (by an SPL
 * CPI), and the program error when it fails. A null program is a plain SPL
 * transfer into a treasury vault (the indexer follows vaults too).
 */
const KINDS: Array<[number, string | null, string, string | null, boolean, string]> = [
  [300, TOKEN, "mint_to", "Minted", true, "CapExceeded"],
  [120, TOKEN, "burn", "Burned", true, "ZeroAmount"],
  [200, null, "transfer", null, true, ""],
  [120, TREASURY, "create_proposal", "ProposalCreated", false, "MissingPermission"],
  [140, TREASURY, "approve", "ProposalApproved", false, "AlreadyVoted"],
  [30, TREASURY, "reject", "ProposalRejected", false, "ProposalNotActive"],
  [70, TREASURY, "execute", "ProposalExecuted", true, "TimeLockNotElapsed"],
  [10, TREASURY, "cancel", "ProposalCancelled", false, "NotMember"],
  [5, PAUSE, "pause", "Paused", false, "NotGuardian"],
  [5, PAUSE, "unpause", "Unpaused", false, "NotAuthority"],
];

const SECTORS = ["technology", "energy", "finance", "health", "consumer", "industrials", "materials", "media"];

async function count(client: pg.ClientBase, table: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

export async function seed(opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const companies = opts.companies ?? 30;
  const walletCount = opts.wallets ?? 5_000;
  const days = opts.days ?? 42;
  const started = performance.now();
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    for (const table of ["chain_transactions", "cards", "companies"]) {
      const n = await count(client, table);
      if (n > 0) throw new Error(`${table} already has ${n} rows: seed only an empty, migrated database`);
    }
    // A bulk load: no WAL flush per commit, room to sort for the index builds.
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query("SET work_mem = '64MB'");

    const wallets = Array.from({ length: walletCount }, pubkey);
    const mints = Array.from({ length: 4 }, pubkey); // ECE, USDC and two foreign mints
    const vaults = Array.from({ length: 4 }, pubkey);
    const pieces = Array.from({ length: 1024 }, () => b58chars(11));
    const kinds = KINDS.flatMap(([w, ...k]) => Array.from({ length: w }, () => k));

    await client.query("BEGIN");
    await client.query(
      `CREATE TEMP TABLE seed_wallets ON COMMIT DROP AS
       SELECT (ord - 1)::int AS i, key FROM unnest($1::text[]) WITH ORDINALITY AS t(key, ord)`,
      [wallets],
    );
    await client.query("CREATE UNIQUE INDEX ON seed_wallets (i)");
    await client.query(
      `CREATE TEMP TABLE seed_kinds ON COMMIT DROP AS
       SELECT (ord - 1)::int AS k, program, instruction, event, moves, error_name
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (program text, instruction text, event text, moves boolean, error_name text))
         WITH ORDINALITY AS t(program, instruction, event, moves, error_name, ord)`,
      [
        JSON.stringify(
          kinds.map(([program, instruction, event, moves, error]) => ({
            program,
            instruction,
            event,
            moves,
            error_name: error,
          })),
        ),
      ],
    );
    await client.query("CREATE UNIQUE INDEX ON seed_kinds (k)");
    // One row per kind, keyed as the transactions name it, for the instruction and event passes.
    await client.query(
      `CREATE TEMP TABLE seed_kind_info ON COMMIT DROP AS
       SELECT DISTINCT coalesce(program, '-') || ':' || instruction AS key, program, instruction, event, moves FROM seed_kinds`,
    );
    // Foreign keys to rows this transaction has just written need no check (superusers only; else they are checked).
    await client.query("SET LOCAL session_replication_role = replica").catch(() => {});

    // Secondary indexes are dropped and rebuilt after the load (one sort each instead of
    // a million inserts into each); their definitions are put back exactly as they were.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename IN ('chain_transactions', 'chain_instructions', 'chain_events')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const ix of indexes) await client.query(`DROP INDEX ${pg.escapeIdentifier(ix.name)}`);

    const t0 = performance.now();
    // Slots are spread evenly over `days` (400 ms each), so block times are too; the
    // signature is a base58 string of 88 characters (64 bytes: the first piece is 2–4).
    await client.query(
      `INSERT INTO chain_transactions
         (signature, slot, block_time, success, error, error_name, fee, compute_units, signer, signers,
          programs, program, instruction, accounts, logs, commitment, indexed_at)
       SELECT sig, slot, bt, ok,
              CASE WHEN ok THEN NULL ELSE jsonb_build_object('InstructionError', jsonb_build_array(0, jsonb_build_object('Custom', 6000 + (h % 8)))) END,
              CASE WHEN ok THEN NULL ELSE k.error_name END,
              5000 + 5000 * (h % 2), 1500 + (h % 9000), w.key,
              CASE WHEN h % 7 = 0 THEN ARRAY[w.key, w2.key] ELSE ARRAY[w.key] END,
              CASE WHEN k.program IS NULL THEN '{}'::text[] ELSE ARRAY[k.program] END,
              k.program, CASE WHEN k.program IS NULL THEN NULL ELSE k.instruction END,
              ARRAY[w.key, w2.key, ($5::text[])[1 + (h % 4)::int], ($6::text[])[1 + (h / 4 % 4)::int], coalesce(k.program, $7)],
              ARRAY['Program ' || coalesce(k.program, $7) || ' invoke [1]',
                    'Program log: Instruction: ' || k.instruction,
                    'Program ' || coalesce(k.program, $7) || CASE WHEN ok THEN ' success' ELSE ' failed: custom program error' END],
              CASE WHEN slot < $3::bigint - 64 THEN 'finalized'::"Commitment" ELSE 'confirmed'::"Commitment" END,
              bt + interval '300 milliseconds'
       FROM (
         SELECT g,
                abs(hashint8extended(g, 7)) AS h,
                $3::bigint - (($1::bigint - g) * $2::bigint) / $1::bigint AS slot
         FROM generate_series(1, $1::bigint) AS g
       ) s
       CROSS JOIN LATERAL (SELECT to_timestamp($4::double precision - ($3::bigint - s.slot) * 0.4) AS bt,
                                  (s.h % 1000)::int AS kind, (s.h % 50) <> 0 AS ok) d
       JOIN seed_kinds k ON k.k = d.kind
       -- a skewed choice of signer: a few wallets are busy, most are not
       JOIN seed_wallets w ON w.i = (floor($8::int * power((s.h / 1000 % 100000) / 100000.0, 3)))::int
       JOIN seed_wallets w2 ON w2.i = (s.h / 7 % $8::int)::int
       CROSS JOIN LATERAL (SELECT (2 + s.g % 3)::text
         || ($9::text[])[1 + (s.g % 1024)::int] || ($9::text[])[1 + (s.g / 1024 % 1024)::int]
         || ($9::text[])[1 + (s.g / 1048576 % 1024)::int] || ($9::text[])[1 + (s.h % 1024)::int]
         || ($9::text[])[1 + (s.h / 1024 % 1024)::int] || ($9::text[])[1 + (s.h / 1048576 % 1024)::int]
         || ($9::text[])[1 + (s.h / 7 % 1024)::int] || left(($9::text[])[1 + (s.h / 13 % 1024)::int], 10) AS sig) sg`,
      [
        opts.transactions,
        Math.round((days * 86_400) / 0.4),
        400_000_000,
        Date.now() / 1000,
        mints,
        vaults,
        SPL,
        walletCount,
        pieces,
      ],
    );
    log(`chain_transactions: ${opts.transactions} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // One top-level instruction per transaction, and the SPL CPI of those that move tokens.
    const t1 = performance.now();
    const amount = "(1 + abs(hashint8extended(t.slot, 3)) % 1000000) * 1000000";
    await client.query(
      `INSERT INTO chain_instructions (signature, index, inner_index, slot, block_time, program, name, args, accounts, amount, mint, stack_height)
       SELECT t.signature, 0, -1, t.slot, t.block_time, coalesce(k.program, $1), k.instruction,
              CASE WHEN k.moves THEN jsonb_build_object('amount', (${amount})::text) ELSE '{}'::jsonb END,
              t.accounts[1:4], CASE WHEN k.moves THEN ${amount} END, CASE WHEN k.moves THEN t.accounts[3] END, 1
       FROM chain_transactions t JOIN seed_kind_info k ON k.key = coalesce(t.program, '-') || ':' || coalesce(t.instruction, 'transfer')`,
      [SPL],
    );
    await client.query(
      `INSERT INTO chain_instructions (signature, index, inner_index, slot, block_time, program, name, args, accounts, amount, mint, stack_height)
       SELECT i.signature, 0, 0, i.slot, i.block_time, $1,
              CASE i.name WHEN 'mint_to' THEN 'mintTo' WHEN 'burn' THEN 'burn' ELSE 'transfer' END,
              jsonb_build_object('amount', i.amount::text), i.accounts[2:4], i.amount, i.mint, 2
       FROM chain_instructions i WHERE i.amount IS NOT NULL AND i.program <> $1`,
      [SPL],
    );
    const instructions = await count(client, "chain_instructions");
    log(`chain_instructions: ${instructions} rows in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

    // The event each successful ECE instruction logs.
    const t2 = performance.now();
    await client.query(
      `INSERT INTO chain_events (signature, index, slot, block_time, program, name, data, amount)
       SELECT t.signature, 0, t.slot, t.block_time, t.program, k.event,
              jsonb_strip_nulls(jsonb_build_object('by', t.signer, 'amount', i.amount::text, 'slot', t.slot)), i.amount
       FROM chain_transactions t
       JOIN seed_kind_info k ON k.key = t.program || ':' || t.instruction
       JOIN chain_instructions i ON i.signature = t.signature AND i.index = 0 AND i.inner_index = -1
       WHERE t.success AND t.program IS NOT NULL
       ORDER BY t.slot`,
    );
    const events = await count(client, "chain_events");
    log(`chain_events: ${events} rows in ${((performance.now() - t2) / 1000).toFixed(1)} s`);

    const t3 = performance.now();
    for (const ix of indexes) await client.query(ix.def);
    log(`${indexes.length} indexes rebuilt in ${((performance.now() - t3) / 1000).toFixed(1)} s`);

    // Companies, then cards: names, sectors and rarities by weight, owners among the
    // wallets, creation times over the same weeks.
    const t4 = performance.now();
    await client.query(
      `INSERT INTO companies (id, name, ticker, sector, payout_wallet, created_at)
       SELECT gen_random_uuid(), 'Company ' || lpad(g::text, 3, '0'), 'C' || lpad(g::text, 3, '0'),
              ($2::text[])[1 + (g - 1) % array_length($2::text[], 1)], (SELECT key FROM seed_wallets WHERE i = g),
              now() - interval '60 days'
       FROM generate_series(1, $1::int) g`,
      [companies, SECTORS],
    );
    await client.query(
      `INSERT INTO cards (id, mint, company_id, name, sector, rarity, metrics, image_url, owner, owner_slot, created_at, updated_at)
       SELECT gen_random_uuid(), ($4::text[])[g],
              c.id, c.name || ' #' || g, c.sector,
              (CASE WHEN h % 100 < 60 THEN 'common' WHEN h % 100 < 85 THEN 'rare' WHEN h % 100 < 97 THEN 'epic' ELSE 'legendary' END)::"Rarity",
              jsonb_build_object('revenue', (h % 100000) * 1000, 'growth', round(((h % 400) - 100) / 10.0, 1), 'employees', 10 + h % 5000),
              'https://cdn.ece.test/cards/' || g || '.png',
              w.key, 400000000 - h % 1000000,
              now() - (interval '1 second' * (($2::bigint * ($1::bigint - g)) / $1::bigint)) , now()
       FROM (SELECT g, abs(hashint8extended(g, 11)) AS h FROM generate_series(1, $1::bigint) g) s
       JOIN (SELECT id, name, sector, row_number() OVER (ORDER BY ticker) - 1 AS n FROM companies) c ON c.n = s.g % $3::int
       JOIN seed_wallets w ON w.i = (s.h / 100 % $5::int)::int`,
      [opts.cards, days * 86_400, companies, Array.from({ length: opts.cards }, pubkey), walletCount],
    );
    log(`${companies} companies and ${opts.cards} cards in ${((performance.now() - t4) / 1000).toFixed(1)} s`);

    const busy = wallets[0] as string;
    await client.query("COMMIT");
    await client.query("ANALYZE chain_transactions, chain_instructions, chain_events, cards, companies");
    const { rows } = await client.query<{ from: Date; to: Date }>(
      `SELECT min(block_time) AS "from", max(block_time) AS "to" FROM chain_transactions`,
    );
    return {
      transactions: opts.transactions,
      instructions,
      events,
      cards: opts.cards,
      companies,
      seconds: (performance.now() - started) / 1000,
      sample: { wallet: busy, from: rows[0]?.from.toISOString() ?? "", to: rows[0]?.to.toISOString() ?? "" },
    };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}
