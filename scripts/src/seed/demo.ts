// Demo data for `npm run dev` (and `npm run seed:demo`), made the way users make it: cards
// minted through the API (real NFTs), listings approved on chain by their sellers' dev
// wallets and confirmed through the API, sales bought and settled the same way, a battle
// created, joined and voted in through the API, and the week's payout run made by the
// payout job's own CLI and approved by the treasury signers through the API.
//
// Each step looks first for what it would make and skips when it is there, so a rerun
// after a failure goes on where it stopped and a rerun after success sends nothing.
//
// The payout run: sales of an earlier week cannot be back-dated on chain, so the run pays
// the current week's sales (`payouts:run --allow-open-week`), as the payout tests do.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { confirmSignature, decodeTokenAccount, treasury } from "@ece/sdk";
import { newKeypair, readKeypair, signBytes, writeKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Connection, type Keypair, PublicKey, Transaction } from "@solana/web3.js";
import bs58 from "bs58";
import pg from "pg";
import { parseWeek, weekOf } from "../../../api/src/domains/payouts/week.js";
import { signInToApi } from "../api-sign-in.js";
import type { Manifest } from "../deploy/manifest.js";
import { untilMirrored } from "../indexer-process.js";
import { spawnReady } from "../spawn-ready.js";
import { prepareTraffic } from "../traffic/index.js";
import { Permits } from "../traffic/limits.js";
import { DEMO_BATTLE, DEMO_COMPANIES, DEMO_LISTINGS, DEMO_SALES, DEMO_USERS } from "./demo-data.js";

const PAYOUTS_CLI = join(import.meta.dirname, "../../../api/src/domains/payouts/cli.ts");
const USDC = (n: number) => (BigInt(n) * 1_000_000n).toString();
const SIGNERS = ["signer-1", "signer-2", "signer-3"] as const;

export interface DemoOptions {
  apiUrl: string;
  rpcUrl: string;
  /** The dev wallets (the localnet's); company payout wallets are kept in its `companies/`. */
  walletsDir: string;
  /** The environment the API runs with (the payout CLI reads the same). */
  apiEnv: NodeJS.ProcessEnv;
  /** An admin of the API (one of its ADMIN_WALLETS). */
  admin: Keypair;
  log?: (line: string) => void;
}

export interface DemoSummary {
  cards: number;
  listings: number;
  battle: string;
  payoutWeek: string;
  /** What this run made (empty: everything was there already). */
  made: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the API, read field by field
type Body = any;

class Api {
  private readonly tokens = new Map<string, string>();

  constructor(readonly base: string) {}

  async signIn(kp: Keypair): Promise<string> {
    const key = kp.publicKey.toBase58();
    let token = this.tokens.get(key);
    if (!token) {
      token = (await signInToApi(this.base, kp)).accessToken;
      this.tokens.set(key, token);
    }
    return token;
  }

  async call(method: string, path: string, as?: Keypair, body?: unknown): Promise<Body> {
    const headers: Record<string, string> = {};
    if (as) headers.authorization = `Bearer ${await this.signIn(as)}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }

  /** Every item of a paged list. */
  async all(path: string, as?: Keypair): Promise<Body[]> {
    const items: Body[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const page: Body = await this.call("GET", `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ""}`, as);
      items.push(...page.items);
      cursor = page.nextCursor ? encodeURIComponent(page.nextCursor) : null;
    } while (cursor);
    return items;
  }
}

export async function seedDemo(o: DemoOptions): Promise<DemoSummary> {
  const log = o.log ?? (() => {});
  const api = new Api(o.apiUrl);
  const conn = new Connection(o.rpcUrl, "confirmed");
  const wallet = (name: string) => readKeypair(join(o.walletsDir, `${name}.json`));
  const users = DEMO_USERS.map(wallet);
  const userOf = (i: number) => users[i % users.length] as Keypair;
  const nextUser = (i: number) => userOf(i + 1);
  const [alice, bob] = [userOf(0), userOf(1)];
  const made: string[] = [];
  const deploymentPath = o.apiEnv.DEPLOYMENT;
  const databaseUrl = o.apiEnv.DATABASE_URL;
  if (!deploymentPath || !databaseUrl) throw new Error("the API's environment lacks DEPLOYMENT or DATABASE_URL");
  const manifest = JSON.parse(readFileSync(deploymentPath, "utf8")) as Manifest;

  /** Signs a transaction the API built and sends it; resolves with its signature once confirmed. */
  const send = async (built: Body, signer: Keypair): Promise<string> => {
    const tx = Transaction.from(Buffer.from(built.transaction, "base64"));
    tx.partialSign(signer);
    const signature = await conn.sendRawTransaction(tx.serialize());
    const r = await confirmSignature(conn, signature, built.lastValidBlockHeight);
    if (!r.ok) throw new Error(`transaction ${signature} failed: ${JSON.stringify(r.err)}`);
    return signature;
  };

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    // The signers' role comes from the mirror of the multisig: let the indexer catch up with the deployment.
    await untilMirrored(
      pool,
      manifest.transactions.map((t) => t.signature),
      120_000,
    );

    // ECE for the voters, minted through the programs (a minter added by a treasury proposal;
    // it also seeds the vaults and leaves a transfer proposal approved by one signer of two).
    const eceAta = getAssociatedTokenAddressSync(new PublicKey(manifest.token.eceMint), alice.publicKey);
    const eceAccount = await conn.getAccountInfo(eceAta);
    if (!eceAccount || !decodeTokenAccount(eceAccount.data)?.amount) {
      made.push("ECE");
      log("ECE for alice, bob and carol (a minter added through the multisig)");
      await prepareTraffic({ rpcUrl: o.rpcUrl, walletsDir: o.walletsDir, manifest });
    }

    // Cards: one per company, minted by the API to its owner; each company's payout wallet.
    const companies = new Map<string, Body>((await api.all("/companies")).map((c: Body) => [c.name, c]));
    const missing = DEMO_COMPANIES.map((c, i) => ({ c, i })).filter(({ c }) => !companies.has(c.name));
    if (missing.length) {
      made.push("cards");
      log(`minting ${missing.length} cards through the API`);
    }
    const mints = new Permits(6);
    await Promise.all(
      missing.map(({ c, i }) =>
        mints.using(async () => {
          const card = await api.call("POST", "/cards", o.admin, {
            company: { name: c.name, ticker: c.ticker, sector: c.sector },
            name: c.card,
            rarity: c.rarity,
            metrics: c.metrics,
            owner: userOf(i).publicKey.toBase58(),
          });
          companies.set(c.name, card.company);
        }),
      ),
    );
    const payoutDir = join(o.walletsDir, "companies");
    mkdirSync(payoutDir, { recursive: true });
    for (const c of DEMO_COMPANIES) {
      const company = companies.get(c.name);
      if (!company || company.payoutWallet) continue;
      const file = join(payoutDir, `${c.ticker}.json`);
      if (!existsSync(file)) writeKeypair(file, newKeypair());
      await api.call("PUT", `/companies/${company.id}/payout-wallet`, o.admin, {
        wallet: readKeypair(file).publicKey.toBase58(),
      });
    }
    const cards = new Map<string, Body>((await api.all("/cards")).map((c: Body) => [c.company.name, c]));
    const cardOf = (i: number): Body => {
      const card = cards.get((DEMO_COMPANIES[i] as (typeof DEMO_COMPANIES)[number]).name);
      if (!card) throw new Error(`the card of ${DEMO_COMPANIES[i]?.name} is missing`);
      return card;
    };

    /** Lists card `i` by its owner: the approval signed and sent, then confirmed through the API. */
    const list = async (i: number, price: number): Promise<Body> => {
      const seller = userOf(i);
      const { listing, transaction } = await api.call("POST", "/marketplace/listings", seller, {
        cardId: cardOf(i).id,
        currency: "USDC",
        price: USDC(price),
      });
      const signature = await send(transaction, seller);
      return api.call("POST", `/marketplace/listings/${listing.id}/confirm`, seller, { signature });
    };

    // This week's sales, then the payout run that pays them (once: a run that exists is the
    // demo's, or a later one; one still in flight, from a start that failed, is carried on).
    const runs = (await api.call("GET", "/treasury/payout-runs", o.admin)).items as Body[];
    const inFlight = runs.find((r) => r.status !== "paid" && r.status !== "failed");
    const week: string = inFlight?.week ?? runs[0]?.week ?? weekOf(new Date()).label;
    if (runs.length === 0 || inFlight) {
      made.push("payout run");
      const sold = new Set((await api.all("/marketplace/sales")).map((s: Body) => s.cardId as string).filter(Boolean));
      const signatures: string[] = [];
      for (const s of DEMO_SALES) {
        if (sold.has(cardOf(s.company).id)) continue;
        log(`sale: ${DEMO_COMPANIES[s.company]?.card} for ${s.price} USDC`);
        const listing = await list(s.company, s.price);
        const buyer = nextUser(s.company);
        const { transaction } = await api.call("POST", `/marketplace/listings/${listing.id}/buy`, buyer);
        const signature = await send(transaction, buyer);
        await api.call("POST", `/marketplace/listings/${listing.id}/settle`, buyer, { signature });
        signatures.push(signature);
      }
      await untilMirrored(pool, signatures, 120_000);
      log(`payout run of ${week} (--allow-open-week: the current week)`);
      await payoutCycle(o.apiEnv, week, 0);
      const [proposal] = treasury.payoutPda(
        new PublicKey(manifest.multisig.address),
        new PublicKey(manifest.usdcMint),
        parseWeek(week).onChain,
      );
      await approveBySigners(api, proposal.toBase58(), wallet, send);
      const paid = await payoutCycle(o.apiEnv, week, 120);
      if (paid.status !== "paid") throw new Error(`the payout run of ${week} ended ${JSON.stringify(paid)}`);
    }

    // Open listings (once per card: a listing since cancelled or sold stays so).
    const listed = new Set((await api.all("/marketplace/listings")).map((l: Body) => l.card.id as string));
    const toList = DEMO_LISTINGS.filter((l) => !listed.has(cardOf(l.company).id));
    if (toList.length) {
      made.push("listings");
      log(`listing ${toList.length} cards`);
    }
    // One listing per seller at a time: a wallet's transactions need not race each other.
    const sellers = new Map(users.map((u) => [u.publicKey.toBase58(), new Permits(1)]));
    await Promise.all(
      toList.map((l) =>
        (sellers.get(userOf(l.company).publicKey.toBase58()) as Permits).using(() => list(l.company, l.price)),
      ),
    );

    // The battle (live for a week from the first start): created by the admin, joined by both
    // cards' owners, two votes cast.
    let battle = (await api.all("/battles")).find((b: Body) => b.title === DEMO_BATTLE.title);
    if (!battle) {
      made.push("battle");
      log(`battle: ${DEMO_BATTLE.title}`);
      const now = Date.now();
      battle = await api.call("POST", "/battles", o.admin, {
        title: DEMO_BATTLE.title,
        cardAId: cardOf(DEMO_BATTLE.a).id,
        cardBId: cardOf(DEMO_BATTLE.b).id,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + DEMO_BATTLE.days * 86_400_000).toISOString(),
      });
      for (const [side, i] of [
        ["a", DEMO_BATTLE.a],
        ["b", DEMO_BATTLE.b],
      ] as const) {
        await api.call("POST", `/battles/${battle.id}/join`, userOf(i), { side, cardId: cardOf(i).id });
      }
      for (const [side, voter] of [
        ["a", alice],
        ["b", bob],
      ] as const) {
        const { message } = await api.call("GET", `/battles/${battle.id}/vote-message?side=${side}`, voter);
        const signature = bs58.encode(signBytes(new TextEncoder().encode(message), voter));
        await api.call("POST", `/battles/${battle.id}/votes`, voter, { side, message, signature });
      }
    }

    return {
      cards: cards.size,
      listings: (await api.all("/marketplace/listings?status=active")).length,
      battle: battle.title,
      payoutWeek: week,
      made,
    };
  } finally {
    await pool.end();
  }
}

/** One `payouts:run --allow-open-week` of `week`, waiting up to `wait` seconds; its outcome line. */
async function payoutCycle(env: NodeJS.ProcessEnv, week: string, wait: number): Promise<Body> {
  const p = await spawnReady<Body>(
    "payouts:run",
    PAYOUTS_CLI,
    ["--week", week, "--allow-open-week", "--wait", String(wait)],
    { ...env, LOG_LEVEL: "warn" },
  );
  const code = await p.exited;
  if (code !== 0 || p.ready.error) throw new Error(`payouts:run ${week}: ${JSON.stringify(p.ready)}\n${p.stderr()}`);
  return p.ready;
}

/** The treasury signers approve `proposal` through the API, one after another, until it has the approvals it needs. */
async function approveBySigners(
  api: Api,
  proposal: string,
  wallet: (name: string) => Keypair,
  send: (built: Body, signer: Keypair) => Promise<string>,
): Promise<void> {
  for (const name of SIGNERS) {
    const detail = await eventually(() => api.call("GET", `/treasury/proposals/${proposal}`, wallet(name)));
    const chain = detail.chain;
    if (!chain || chain.approvals >= chain.required) return;
    if ((detail.votes as Body[]).some((v) => v.member === wallet(name).publicKey.toBase58())) continue;
    const built = await api.call("POST", `/treasury/proposals/${proposal}/approve`, wallet(name));
    for (const tx of built.transactions as Body[]) await send(tx, wallet(name));
  }
}

/** `read`'s answer once it gives one (the mirror a read goes to may be a moment behind the chain). */
async function eventually<T>(read: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
