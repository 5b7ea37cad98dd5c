// `npm run dev` as a newcomer runs it: no DATABASE_URL or REDIS_URL (embedded Postgres,
// redis-server from PATH), state in a directory of its own. Started as a terminal's
// foreground job (a process group), stopped as Ctrl-C stops one (SIGINT to the group):
// the web app, the API and the demo data answer; every process it started is gone after
// the stop; a second start resumes the same data without making any again.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKeypair } from "@ece/sdk/node";
import { signInToApi } from "../../scripts/src/api-sign-in.js";
import type { Body } from "../src/api-client.js";

const ROOT = join(import.meta.dirname, "../..");
const START_TIMEOUT_MS = 200_000;

interface Ready {
  app: string;
  api: string;
  rpc: string;
  wallets: string;
  pids: Record<string, number>;
}

interface Dev {
  npm: ChildProcess;
  ready: Ready;
  output(): string;
  exited: Promise<number | null>;
}

function startDev(state: string): Promise<Dev> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const npm = spawn("npm", ["run", "dev", "--", "--state", state, "--ready-json"], {
    cwd: ROOT,
    env,
    // Its own process group, as a shell gives a foreground job: SIGINT goes to the group.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((r) => npm.once("exit", (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev not ready in time:\n${output}`)), START_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      output += d.toString();
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      resolve({ npm, ready: JSON.parse(line) as Ready, output: () => output, exited });
    };
    npm.stdout?.on("data", onData);
    npm.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    npm.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run dev exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Every process below `pid` (children, their children, …). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n")) {
    const [p, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out: number[] = [];
  for (let todo = [pid]; todo.length; ) {
    const next = todo.flatMap((p) => children.get(p) ?? []);
    out.push(...next);
    todo = next;
  }
  return out;
}

/** Running: a zombie (exited, not yet reaped by a parent that is itself exiting) counts as gone. */
function alive(pid: number): string | null {
  try {
    const [stat, ...args] = execFileSync("ps", ["-o", "stat=,args=", "-p", String(pid)], { encoding: "utf8" })
      .trim()
      .split(/\s+/);
    return stat && !stat.startsWith("Z") ? `${pid} ${args.join(" ")}` : null;
  } catch {
    return null; // ps exits 1 when there is no such process
  }
}

const leftOver = (pids: number[]) => pids.map(alive).filter((p) => p !== null);

async function json(url: string, token?: string): Promise<Body> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** What the demo data looks like through the API (ids, so two starts can be compared). */
async function demoData(dev: Dev) {
  const { api } = dev.ready;
  const token = (await signInToApi(api, readKeypair(join(dev.ready.wallets, "alice.json")))).accessToken;
  const cards = (await json(`${api}/api/v1/cards?limit=200`)).items as Body[];
  const listings = (await json(`${api}/api/v1/marketplace/listings?status=active&limit=200`)).items as Body[];
  const battles = (await json(`${api}/api/v1/battles?status=live`)).items as Body[];
  const runs = (await json(`${api}/api/v1/treasury/payout-runs`, token)).items as Body[];
  return {
    cards: cards.map((c) => c.mint as string).sort(),
    listings: listings.map((l) => l.id as string).sort(),
    battles: battles.map((b) => b.id as string),
    runs: runs.map((r) => `${r.week}:${r.status}:${r.payoutCount}`),
    firstCard: cards[0],
  };
}

/** Ctrl-C in the terminal: SIGINT to the job's process group; resolves once npm has exited. */
async function interrupt(dev: Dev): Promise<number[]> {
  const pids = descendants(dev.npm.pid as number);
  process.kill(-(dev.npm.pid as number), "SIGINT");
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    dev.exited,
    new Promise((r) => {
      timer = setTimeout(() => r("timeout"), 90_000);
    }),
  ]);
  clearTimeout(timer);
  assert.notEqual(code, "timeout", `npm run dev did not stop:\n${dev.output()}`);
  return pids;
}

describe("npm run dev", function () {
  this.timeout(2 * START_TIMEOUT_MS + 120_000);
  let state: string;
  let dev: Dev | undefined;

  before(() => {
    state = mkdtempSync(join(tmpdir(), "ece-dev-"));
    // Embedded Postgres runs as the `postgres` user when we are root: it must reach its data directory.
    chmodSync(state, 0o755);
  });
  after(() => {
    if (dev?.npm.exitCode === null) {
      try {
        process.kill(-(dev.npm.pid as number), "SIGKILL");
      } catch {}
    }
    rmSync(state, { recursive: true, force: true });
  });

  it("starts everything with demo data, stops every process on Ctrl-C, and resumes the same data", async () => {
    dev = await startDev(state);
    const first = dev;
    assert.match(first.output(), /✓ postgres +embedded/);
    assert.match(first.output(), /✓ redis +\S*redis-server/);
    assert.match(first.output(), /✓ localnet .*new ledger from genesis/);
    assert.deepEqual(Object.keys(first.ready.pids), ["postgres", "redis", "localnet", "indexer", "api", "app"]);

    // The web app serves its page, wired to this API.
    const page = await fetch(first.ready.app);
    assert.equal(page.status, 200);
    assert.ok((await page.text()).includes(first.ready.api), "the page is handed the API's URL");
    // The API and everything it depends on.
    assert.equal((await json(`${first.ready.api}/ready`)).status, "ready");
    const data = await demoData(first);
    assert.ok(data.cards.length >= 30, `${data.cards.length} cards`);
    assert.ok(data.listings.length >= 5, `${data.listings.length} open listings`);
    assert.equal(data.battles.length, 1, "one live battle");
    assert.equal(data.runs.length, 1);
    assert.match(data.runs[0] ?? "", /:paid:[1-9]/, "the week's payout run is paid");
    // Cards are NFTs on the localnet: the API reads their holder from the chain.
    const card = await json(`${first.ready.api}/api/v1/cards/${data.firstCard.id}`);
    assert.equal(card.ownerSource, "chain");
    assert.ok(card.owner && card.tokenAccount, "held on chain");

    const pids = await interrupt(first);
    assert.ok(pids.length >= 8, `descendants: ${pids}`);
    for (const pid of Object.values(first.ready.pids)) assert.ok(pids.includes(pid));
    assert.match(first.output(), /■ app +stopped[\s\S]*■ api +stopped[\s\S]*■ postgres +stopped/);
    assert.deepEqual(leftOver(pids), [], "nothing left running after the stop");
    await assert.rejects(fetch(`${first.ready.api}/health`), "the API's port is closed");

    dev = await startDev(state);
    const second = dev;
    assert.match(second.output(), /✓ localnet .*ledger restored/);
    assert.match(second.output(), /✓ deploy +already deployed, nothing sent/);
    assert.match(second.output(), /✓ demo +already there/);
    const again = await demoData(second);
    assert.deepEqual(
      { ...again, firstCard: undefined },
      { ...data, firstCard: undefined },
      "the same cards, listings, battle and run",
    );
    const pids2 = await interrupt(second);
    assert.deepEqual(leftOver(pids2), []);
  });
});
