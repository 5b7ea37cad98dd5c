// The vote message a wallet signs: plain text naming the battle, the side, the
// wallet and a single-use nonce, so a signature cannot be replayed elsewhere.
export const VOTE_HEADER = "ECE battle vote";

export interface VoteFields {
  domain: string;
  battleId: string;
  side: "a" | "b";
  wallet: string;
  nonce: string;
  issuedAt: string;
}

const LINES: Array<[keyof VoteFields, string]> = [
  ["domain", "Domain"],
  ["battleId", "Battle"],
  ["side", "Side"],
  ["wallet", "Wallet"],
  ["nonce", "Nonce"],
  ["issuedAt", "Issued At"],
];

export function buildVoteMessage(f: VoteFields): string {
  return [VOTE_HEADER, ...LINES.map(([k, label]) => `${label}: ${f[k]}`)].join("\n");
}

/** The fields of a vote message, or null when the text is not exactly one. */
export function parseVoteMessage(text: string): VoteFields | null {
  if (text.length > 1024) return null;
  const lines = text.split("\n");
  if (lines.length !== LINES.length + 1 || lines[0] !== VOTE_HEADER) return null;
  const out: Partial<Record<keyof VoteFields, string>> = {};
  for (const [i, [key, label]] of LINES.entries()) {
    const line = lines[i + 1] as string;
    if (!line.startsWith(`${label}: `)) return null;
    out[key] = line.slice(label.length + 2);
  }
  if (out.side !== "a" && out.side !== "b") return null;
  return out as VoteFields;
}
