// Rule sets and deny-lists are versioned files: a stored check names the rule-set
// version it was scored with, and recomputing it loads that same version.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RuleSet } from "./engine.js";

const read = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

/** Every rule set ever published, by version; the last is the one new checks use. */
const PUBLISHED = ["rules.v1.json"].map((f) => read<RuleSet>(join(import.meta.dirname, f)));

export const RULE_SETS: ReadonlyMap<string, RuleSet> = new Map(PUBLISHED.map((r) => [r.version, r]));
export const CURRENT_RULES: RuleSet = PUBLISHED[PUBLISHED.length - 1] as RuleSet;

export function ruleSet(version: string): RuleSet | null {
  return RULE_SETS.get(version) ?? null;
}

export interface DenyList {
  version: string;
  entries: Array<{ wallet: string; reason: string; listedAt?: string }>;
}

export const DEFAULT_DENY_LIST = join(import.meta.dirname, "deny-list.v1.json");

export function readDenyList(path = DEFAULT_DENY_LIST): DenyList {
  const list = read<DenyList>(path);
  if (typeof list.version !== "string" || !Array.isArray(list.entries))
    throw new Error(`${path} is not a deny-list ({version, entries[]})`);
  return list;
}

export function denyListHit(
  list: DenyList,
  wallet: string,
): { version: string; listed: boolean; reason: string | null } {
  const hit = list.entries.find((e) => e.wallet === wallet);
  return { version: list.version, listed: hit !== undefined, reason: hit?.reason ?? null };
}
