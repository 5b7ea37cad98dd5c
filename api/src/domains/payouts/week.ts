// ISO weeks (Monday 00:00 UTC to the next Monday): the unit of a payout run. On chain a
// week is the u32 `year * 100 + week` (2026-W47 → 202647), the seed of its batch PDA.

export interface IsoWeek {
  /** "2026-W47" */
  label: string;
  year: number;
  week: number;
  /** Inclusive start and exclusive end, UTC. */
  start: Date;
  end: Date;
  onChain: number;
}

const DAY = 86_400_000;
const LABEL = /^(\d{4})-W(\d{2})$/;

/** Monday 00:00 UTC of ISO week 1 of `year` (the week holding January 4th). */
function weekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY;
}

function make(year: number, week: number): IsoWeek {
  const start = weekOneMonday(year) + (week - 1) * 7 * DAY;
  return {
    label: `${year}-W${String(week).padStart(2, "0")}`,
    year,
    week,
    start: new Date(start),
    end: new Date(start + 7 * DAY),
    onChain: year * 100 + week,
  };
}

/** Parses "2026-W47"; throws with the reason for anything else (week 53 only in years that have one). */
export function parseWeek(label: string): IsoWeek {
  const m = LABEL.exec(label);
  if (!m) throw new Error(`"${label}" is not an ISO week like 2026-W47`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  const weeks = Math.round((weekOneMonday(year + 1) - weekOneMonday(year)) / (7 * DAY));
  if (week < 1 || week > weeks) throw new Error(`${year} has weeks 1–${weeks}, not ${week}`);
  return make(year, week);
}

/** The ISO week holding `at`. */
export function weekOf(at: Date): IsoWeek {
  const t = at.getTime();
  let year = at.getUTCFullYear() + 1;
  while (weekOneMonday(year) > t) year--;
  return make(year, Math.floor((t - weekOneMonday(year)) / (7 * DAY)) + 1);
}

/** The last week that has ended at `now`: what the Monday job pays. */
export const previousWeek = (now: Date): IsoWeek => weekOf(new Date(weekOf(now).start.getTime() - DAY));
