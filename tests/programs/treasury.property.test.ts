// Property test: random sequences of proposals, votes, executions, pauses and
// config changes against the real programs. After every step the treasury's
// invariants must hold. Seeded, so a failure replays: PROPERTY_SEED=<n>.
import { strict as assert } from "node:assert";
import { pause, token, treasury } from "@ece/sdk";
import type { Keypair, PublicKey } from "@solana/web3.js";
import { recordCu } from "../src/cu.js";
import { Platform } from "../src/platform.js";
import { newKeypair, type Svm, type TxResult } from "../src/svm.js";

const SEQUENCES = Number(process.env.PROPERTY_SEQUENCES ?? 2_000);
const STEPS = Number(process.env.PROPERTY_STEPS ?? 16);
const SEED = Number(process.env.PROPERTY_SEED ?? 0xece);

/** mulberry32: small, fast, good enough to drive a fuzzer. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[int(xs.length)];
    if (x === undefined) throw new Error("pick from an empty list");
    return x;
  };
  return { next, int, pick };
}

interface Tracked {
  address: PublicKey;
  action: treasury.ProposalAction;
  /** Recipient token accounts, for transfers the destination. */
  accounts: PublicKey[];
}

/** One random sequence on a fresh platform; returns the number of steps that succeeded. */
function sequence(seed: number, stats: Map<string, number>, chain?: Svm): Platform {
  const r = rng(seed);
  const p = new Platform(
    {
      permissions: [7, 7, 7, treasury.Permission.Vote],
      cap: 1_000_000n,
      threshold: 2,
      timeLockSeconds: r.pick([0, 0, 30]),
    },
    chain,
  );
  const cap = 1_000_000n;
  const minter = newKeypair();
  const eceAccount = p.tokenAccount(minter.publicKey, p.ece);
  // A listed minter from the start, so minting meets the cap and the pause.
  const listing: treasury.ProposalAction = { kind: "token", action: { kind: "addMinter", minter: minter.publicKey } };
  const listed = p.propose(p.members[0] as Keypair, listing).proposal;
  p.approveBy(listed, 2);
  p.svm.advanceTime(30);
  p.execute(p.members[0] as Keypair, listed, p.executeAccounts(listing));
  const voters: Keypair[] = [...p.members];
  const owners = [newKeypair(), newKeypair(), newKeypair()];
  const destinations = owners.map((o) => p.tokenAccount(o.publicKey));
  const proposals: Tracked[] = [];
  let funded = BigInt(r.int(10_000));
  if (funded > 0n) p.fundUsdc(p.vault(), funded);
  let executed = 0n;
  /** Entries (by proposal and index) and transfers already paid. */
  const paid = new Set<string>();
  /** What each destination should hold. */
  const expected = new Map<string, bigint>(destinations.map((d) => [d.toBase58(), 0n]));

  const count = (name: string, res: TxResult) => {
    const key = `${name} ${res.ok ? "ok" : (res.error?.name ?? res.raw ?? "failed")}`;
    stats.set(key, (stats.get(key) ?? 0) + 1);
  };

  const propose = (action: treasury.ProposalAction, accounts: PublicKey[]) => {
    const creator = r.pick(p.members.slice(0, 3));
    const res = p.propose(creator, action, { riskScore: r.int(101) });
    count(`propose ${action.kind}`, res.r);
    if (res.r.ok) proposals.push({ address: res.proposal, action, accounts });
    return res.r;
  };

  const steps: Array<() => TxResult | null> = [
    () => {
      const amount = BigInt(1 + r.int(8_000));
      p.fundUsdc(p.vault(), amount);
      funded += amount;
      return null;
    },
    () => {
      const i = r.int(owners.length);
      const amount = BigInt(1 + r.int(3_000));
      const action: treasury.ProposalAction = {
        kind: "transfer",
        mint: p.usdc,
        to: (owners[i] as Keypair).publicKey,
        amount,
      };
      return propose(action, [destinations[i] as PublicKey]);
    },
    () => {
      const n = 1 + r.int(4);
      const entries = Array.from({ length: n }, () => ({
        recipient: r.pick(destinations),
        amount: BigInt(1 + r.int(1_000)),
      }));
      const action: treasury.ProposalAction = {
        kind: "payoutBatch",
        mint: p.usdc,
        week: r.int(4), // a few weeks, so duplicates are attempted
        totalAmount: entries.reduce((s, e) => s + e.amount, 0n),
        entryCount: n,
        entries,
      };
      return propose(
        action,
        entries.map((e) => e.recipient),
      );
    },
    () => {
      const kind = r.int(3);
      const actions: treasury.ConfigAction[] =
        kind === 0
          ? [{ kind: "setThreshold", threshold: 1 + r.int(4) }]
          : kind === 1
            ? [{ kind: "setTimeLock", seconds: r.pick([0, 10, 30]) }]
            : [{ kind: "setRiskPolicy", tiers: r.next() < 0.5 ? [] : [{ minScore: 50, extraApprovals: 1 }] }];
      return propose({ kind: "config", actions }, []);
    },
    () => propose({ kind: "pause", action: { kind: "unpause" } }, []),
    () =>
      propose(
        r.next() < 0.5
          ? { kind: "token", action: { kind: "addMinter", minter: minter.publicKey } }
          : { kind: "token", action: { kind: "setCap", cap: BigInt(1 + r.int(Number(cap))) } },
        [],
      ),
    () => vote(),
    () => vote(),
    () => vote(),
    () => rally(),
    () => rally(),
    () => rally(),
    () => execute(),
    () => execute(),
    () => execute(),
    () => execute(),
    () => {
      if (r.next() < 0.7) return null;
      const g = r.pick(p.guardians);
      return p.send([pause.pauseIx({ guardian: g.publicKey, reason: 1 })], [g]);
    },
    () => {
      p.svm.advanceTime(r.pick([5, 15, 40]));
      return null;
    },
    () => {
      const res = p.send(
        [token.mintToIx({ minter: minter.publicKey, destination: eceAccount, amount: BigInt(1 + r.int(500_000)) })],
        [minter],
      );
      count("mint_to", res);
      return res;
    },
  ];

  /** Mostly the newest proposals, so sequences reach approval and execution. */
  const recent = (): Tracked => r.pick(r.next() < 0.7 ? proposals.slice(-2) : proposals);

  function vote(): TxResult | null {
    if (proposals.length === 0) return null;
    const t = recent();
    const kind = r.pick(["approve", "approve", "approve", "approve", "reject", "cancel"] as const);
    const before = p.proposal(t.address);
    const wasPaused = p.paused();
    const res = p.vote(kind, r.pick(voters), t.address);
    count(kind, res);
    if (res.ok && wasPaused) assert.equal(t.action.kind, "pause", `a ${kind} went through while paused`);
    if (res.ok && kind !== "cancel")
      assert.ok(!treasury.isStale(before, p.multisigState()), "voted on a stale proposal");
    return res;
  }

  /** Two voters approve one of the newest proposals (each vote checked as any other). */
  function rally(): TxResult | null {
    if (proposals.length === 0) return null;
    const t = recent();
    let last: TxResult | null = null;
    for (const v of [...voters].sort(() => r.next() - 0.5).slice(0, 2)) {
      const wasPaused = p.paused();
      last = p.vote("approve", v, t.address);
      count("approve", last);
      if (last.ok && wasPaused) assert.equal(t.action.kind, "pause", "an approve went through while paused");
    }
    return last;
  }

  function execute(): TxResult | null {
    if (proposals.length === 0) return null;
    const ready = proposals.filter((x) => ["Approved", "Executing"].includes(p.proposal(x.address).status));
    const t = ready.length > 0 && r.next() < 0.8 ? r.pick(ready) : r.pick(proposals);
    const before = p.proposal(t.address);
    const ms = p.multisigState();
    const wasPaused = p.paused();
    const now = p.svm.now();
    let chunk = t.accounts;
    if (t.action.kind === "payoutBatch") {
      const start = before.executedEntries;
      chunk = t.accounts.slice(start, start + 1 + r.int(t.accounts.length - start));
    }
    const res = p.execute(r.pick(p.members.slice(0, 3)), t.address, p.executeAccounts(t.action, chunk));
    count(`execute ${t.action.kind}`, res);
    if (!res.ok) return res;

    // Executed: it must have been allowed.
    if (wasPaused) assert.equal(t.action.kind, "pause", "executed a non-pause proposal while paused");
    assert.ok(before.status === "Approved" || before.status === "Executing", `executed from ${before.status}`);
    assert.ok(before.approvals >= before.required, "executed without the required approvals");
    assert.ok(before.required >= ms.threshold || treasury.isStale(before, ms), "required below threshold");
    if (before.status === "Approved") {
      assert.ok(!treasury.isStale(before, ms), "executed a stale proposal");
      assert.ok(now >= before.approvedAt + BigInt(ms.timeLockSeconds), "executed inside the time lock");
    }
    if (t.action.kind === "transfer") {
      const key = `${t.address.toBase58()}`;
      assert.ok(!paid.has(key), "a transfer executed twice");
      paid.add(key);
      executed += t.action.amount;
      const d = (t.accounts[0] as PublicKey).toBase58();
      expected.set(d, (expected.get(d) ?? 0n) + t.action.amount);
    } else if (t.action.kind === "payoutBatch") {
      chunk.forEach((recipient, i) => {
        const index = before.executedEntries + i;
        const key = `${t.address.toBase58()}#${index}`;
        assert.ok(!paid.has(key), "a payout entry paid twice");
        paid.add(key);
        const entry = (t.action as { entries: treasury.PayoutEntry[] }).entries[index];
        if (!entry?.recipient.equals(recipient)) throw new Error("entry paid to another recipient");
        executed += entry.amount;
        expected.set(recipient.toBase58(), (expected.get(recipient.toBase58()) ?? 0n) + entry.amount);
      });
    }
    return res;
  }

  for (let s = 0; s < STEPS; s++) {
    const res = r.pick(steps)();
    if (res?.ok) recordCu("ece_treasury", "max of any instruction (property test)", res.computeUnits, null);
    // Invariants, after every step.
    assert.equal(p.balance(p.vault()), funded - executed, "vault balance = funded − executed");
    for (const d of destinations)
      assert.equal(p.balance(d), expected.get(d.toBase58()), "recipient got exactly its payments");
    const cfg = p.tokenConfig();
    assert.ok(p.supply() <= cfg.cap, "token supply ≤ cap");
    assert.equal(p.supply(), cfg.totalMinted - cfg.totalBurned, "supply = minted − burned");
    const m = p.multisigState();
    assert.ok(m.threshold >= 1 && m.threshold <= treasury.voters(m), "threshold within 1..voters");
  }
  return p;
}

describe("ece_treasury property test", () => {
  it(`keeps its invariants over ${SEQUENCES} random sequences of ${STEPS} steps (seed ${SEED})`, function () {
    this.timeout(0);
    const stats = new Map<string, number>();
    let chain: Svm | undefined;
    for (let i = 0; i < SEQUENCES; i++) {
      try {
        // A new chain now and then keeps memory flat; in between, fresh singletons.
        chain = sequence(SEED + i, stats, i % 50 === 0 ? undefined : chain).svm;
      } catch (e) {
        throw new Error(
          `sequence ${i} (PROPERTY_SEED=${SEED + i} PROPERTY_SEQUENCES=1) failed: ${(e as Error).message}`,
        );
      }
    }
    if (process.env.PROPERTY_STATS)
      console.log(
        [...stats.entries()]
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n"),
      );
    // The run must have exercised the interesting paths, not only failed early.
    for (const key of [
      "execute transfer ok",
      "execute payoutBatch ok",
      "execute config ok",
      "execute pause ok",
      "execute token ok",
      "approve Paused",
      "execute transfer Paused",
      "propose payoutBatch AlreadyInitialized",
      "approve ProposalStale",
      "mint_to ok",
      "mint_to CapExceeded",
    ])
      if (SEQUENCES >= 200) assert.ok((stats.get(key) ?? 0) > 0, `the run never hit "${key}"`);
  });
});
