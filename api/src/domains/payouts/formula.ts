// The allocation formula, a pure function (the run stores its inputs and result):
//
//   distributable D = floor(revenue × companyShareBps / 10 000)   (the rest stays in the treasury)
//   company c gets  D × (10 000 − winnerBonusBps)/10 000 × volume_c / Σ volume
//                 + D × winnerBonusBps/10 000 / |winners|          if c won a battle closed in the week
//
// With no winners the bonus part goes to the volume part. Shares are exact rationals;
// each company gets the floor of its share and the units left over go one by one to
// the largest remainders (ties: company id), so the shares add up to D exactly.

export interface FormulaParams {
  companyShareBps: number;
  winnerBonusBps: number;
}

export interface CompanyWeek {
  companyId: string;
  /** Card sales volume of the week in the batch's mint (base units). */
  volume: bigint;
  battleWins: number;
}

export interface Allocation {
  companyId: string;
  amount: bigint;
}

const BPS = 10_000n;

export function allocate(revenue: bigint, companies: CompanyWeek[], p: FormulaParams): Allocation[] {
  const distributable = (revenue * BigInt(p.companyShareBps)) / BPS;
  const totalVolume = companies.reduce((s, c) => s + c.volume, 0n);
  const winners = companies.filter((c) => c.battleWins > 0).length;
  if (distributable === 0n || (totalVolume === 0n && winners === 0)) return [];
  const bonus = winners > 0 ? BigInt(p.winnerBonusBps) : 0n;
  // When nothing sold, winners share everything.
  const volumeBps = totalVolume > 0n ? BPS - bonus : 0n;
  const bonusBps = totalVolume > 0n ? bonus : BPS;
  const V = totalVolume > 0n ? totalVolume : 1n;
  const W = BigInt(Math.max(winners, 1));
  const denominator = BPS * V * W;
  const shares = companies.map((c) => {
    const numerator = distributable * volumeBps * c.volume * W + (c.battleWins > 0 ? distributable * bonusBps * V : 0n);
    return { companyId: c.companyId, amount: numerator / denominator, remainder: numerator % denominator };
  });
  let left = distributable - shares.reduce((s, x) => s + x.amount, 0n);
  const order = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? (a.companyId < b.companyId ? -1 : 1) : a.remainder > b.remainder ? -1 : 1,
  );
  for (const s of order) {
    if (left === 0n) break;
    s.amount += 1n;
    left -= 1n;
  }
  return shares.filter((s) => s.amount > 0n).map(({ companyId, amount }) => ({ companyId, amount }));
}
