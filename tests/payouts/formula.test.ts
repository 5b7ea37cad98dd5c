// The pure parts of the cycle: ISO weeks and the allocation formula.
import assert from "node:assert/strict";
import { allocate } from "../../api/src/domains/payouts/formula.js";
import { parseWeek, previousWeek, weekOf } from "../../api/src/domains/payouts/week.js";

describe("payouts: ISO weeks", () => {
  it("parses a week into its UTC Monday-to-Monday span and its on-chain number", () => {
    const w = parseWeek("2026-W47");
    assert.equal(w.start.toISOString(), "2026-11-16T00:00:00.000Z");
    assert.equal(w.end.toISOString(), "2026-11-23T00:00:00.000Z");
    assert.equal(w.onChain, 202647);
  });

  it("knows which years have a week 53, and refuses malformed weeks", () => {
    assert.equal(parseWeek("2026-W53").start.toISOString(), "2026-12-28T00:00:00.000Z");
    assert.throws(() => parseWeek("2027-W53"), /2027 has weeks 1–52/);
    assert.throws(() => parseWeek("2026-W00"), /weeks 1–53/);
    assert.throws(() => parseWeek("2026-47"), /not an ISO week/);
  });

  it("puts days near New Year in the right ISO year", () => {
    assert.equal(weekOf(new Date("2027-01-01T12:00:00Z")).label, "2026-W53");
    assert.equal(weekOf(new Date("2025-12-29T00:00:00Z")).label, "2026-W01");
    assert.equal(weekOf(new Date("2026-11-22T23:59:59.999Z")).label, "2026-W47");
    assert.equal(previousWeek(new Date("2026-11-30T00:00:00Z")).label, "2026-W48");
  });
});

describe("payouts: the allocation formula", () => {
  const params = { companyShareBps: 8000, winnerBonusBps: 1000 };

  it("splits by volume with the winners' bonus, exactly", () => {
    const out = allocate(
      46_250_000n,
      [
        { companyId: "a", volume: 1_500_000_000n, battleWins: 0 },
        { companyId: "b", volume: 250_000_000n, battleWins: 1 },
        { companyId: "c", volume: 100_000_000n, battleWins: 0 },
      ],
      params,
    );
    assert.deepEqual(out, [
      { companyId: "a", amount: 27_000_000n },
      { companyId: "b", amount: 8_200_000n },
      { companyId: "c", amount: 1_800_000n },
    ]);
  });

  it("always distributes exactly the distributable amount (largest remainders)", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 200; t++) {
      const revenue = BigInt(1 + rnd(10_000_000));
      const companies = Array.from({ length: 1 + rnd(40) }, (_, i) => ({
        companyId: `c${String(i).padStart(3, "0")}`,
        volume: BigInt(rnd(5) === 0 ? 0 : 1 + rnd(1_000_000)),
        battleWins: rnd(6) === 0 ? 1 : 0,
      }));
      const out = allocate(revenue, companies, params);
      const sum = out.reduce((s, x) => s + x.amount, 0n);
      const anyone = companies.some((c) => c.volume > 0n || c.battleWins > 0);
      assert.equal(sum, anyone ? (revenue * 8000n) / 10_000n : 0n, `case ${t}`);
      for (const x of out) assert.ok(x.amount > 0n);
    }
  });

  it("gives everything to the winners when nothing sold, and nothing when there is nobody", () => {
    assert.deepEqual(allocate(1_000n, [{ companyId: "w", volume: 0n, battleWins: 2 }], params), [
      { companyId: "w", amount: 800n },
    ]);
    assert.deepEqual(allocate(1_000n, [], params), []);
  });
});
