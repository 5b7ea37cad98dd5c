// Sign-In With Solana (the message format of the Wallet Standard's `solana:signIn`,
// after EIP-4361): building, parsing and checking the message, and its ed25519 signature.
import bs58 from "bs58";
import nacl from "tweetnacl";

export interface SiwsFields {
  domain: string;
  address: string;
  statement?: string;
  uri?: string;
  version?: string;
  chainId?: string;
  nonce?: string;
  issuedAt?: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

const HEADER = " wants you to sign in with your Solana account:";
const FIELDS: Array<[keyof SiwsFields, string]> = [
  ["uri", "URI"],
  ["version", "Version"],
  ["chainId", "Chain ID"],
  ["nonce", "Nonce"],
  ["issuedAt", "Issued At"],
  ["expirationTime", "Expiration Time"],
  ["notBefore", "Not Before"],
  ["requestId", "Request ID"],
];

/** The message text, field order as the Wallet Standard's reference implementation writes it. */
export function buildMessage(f: SiwsFields): string {
  let text = `${f.domain}${HEADER}\n${f.address}`;
  if (f.statement) text += `\n\n${f.statement}`;
  const lines: string[] = [];
  for (const [key, label] of FIELDS) {
    const v = f[key];
    if (typeof v === "string" && v !== "") lines.push(`${label}: ${v}`);
  }
  if (f.resources?.length) lines.push(`Resources:\n${f.resources.map((r) => `- ${r}`).join("\n")}`);
  if (lines.length) text += `\n\n${lines.join("\n")}`;
  return text;
}

/** Parses a message back into its fields; null if it is not a SIWS message. */
export function parseMessage(text: string): SiwsFields | null {
  if (text.length > 4096) return null;
  const lines = text.split("\n");
  const first = lines[0] ?? "";
  if (!first.endsWith(HEADER)) return null;
  const domain = first.slice(0, -HEADER.length);
  const address = lines[1] ?? "";
  if (!domain || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address)) return null;
  const out: SiwsFields = { domain, address };
  let i = 2;
  if (lines[i] === "" && lines[i + 1] !== undefined && !isField(lines[i + 1] as string)) {
    out.statement = lines[i + 1];
    i += 2;
  }
  if (lines[i] === "") i++;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "Resources:") {
      out.resources = lines.slice(i + 1).map((l) => l.replace(/^- /, ""));
      break;
    }
    const field = FIELDS.find(([, label]) => line.startsWith(`${label}: `));
    if (!field) return null;
    (out as unknown as Record<string, string>)[field[0]] = line.slice(field[1].length + 2);
  }
  return out;
}

const isField = (line: string) => line === "Resources:" || FIELDS.some(([, label]) => line.startsWith(`${label}: `));

/** Verifies an ed25519 signature of `message` by the base58 `address`. */
export function verifySignature(message: Uint8Array, signature: Uint8Array, address: string): boolean {
  let key: Uint8Array;
  try {
    key = bs58.decode(address);
  } catch {
    return false;
  }
  if (key.length !== 32 || signature.length !== 64) return false;
  return nacl.sign.detached.verify(message, signature, key);
}
