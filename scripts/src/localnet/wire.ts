// Solana's transaction wire format (legacy and v0), parsed by hand: the node needs
// the account keys, their writability and the instructions of every transaction,
// with Agave's error texts for input it cannot read.
import bs58 from "bs58";

export const PACKET_DATA_SIZE = 1232;

export interface WireInstruction {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

export interface WireLookup {
  accountKey: string;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

export interface WireMessage {
  version: "legacy" | 0;
  header: { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number };
  staticKeys: string[];
  recentBlockhash: string;
  /** Offset of the 32 blockhash bytes inside the message. */
  blockhashOffset: number;
  instructions: WireInstruction[];
  lookups: WireLookup[];
}

export interface WireTransaction {
  signatures: Uint8Array[];
  messageOffset: number;
  message: WireMessage;
}

export class WireError extends Error {}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    const b = this.bytes[this.offset];
    if (b === undefined) throw new WireError("io error: failed to fill whole buffer");
    this.offset += 1;
    return b;
  }

  take(n: number): Uint8Array {
    if (this.offset + n > this.bytes.length) throw new WireError("io error: failed to fill whole buffer");
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** Solana's compact-u16 ("short vec") length. */
  shortVec(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const b = this.byte();
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (value > 0xffff) throw new WireError("compact-u16 overflow");
        return value;
      }
    }
    throw new WireError("compact-u16 overflow");
  }

  key(): string {
    return bs58.encode(this.take(32));
  }

  indexes(): number[] {
    return Array.from(this.take(this.shortVec()));
  }

  done(): boolean {
    return this.offset === this.bytes.length;
  }
}

export function parseMessage(bytes: Uint8Array): WireMessage {
  const r = new Reader(bytes);
  const first = r.byte();
  let version: "legacy" | 0 = "legacy";
  let numRequiredSignatures = first;
  if (first & 0x80) {
    if ((first & 0x7f) !== 0) throw new WireError(`unsupported transaction version ${first & 0x7f}`);
    version = 0;
    numRequiredSignatures = r.byte();
  }
  const header = { numRequiredSignatures, numReadonlySignedAccounts: r.byte(), numReadonlyUnsignedAccounts: r.byte() };
  const keyCount = r.shortVec();
  const staticKeys: string[] = [];
  for (let i = 0; i < keyCount; i++) staticKeys.push(r.key());
  const blockhashOffset = r.offset;
  const recentBlockhash = r.key();
  const instructions: WireInstruction[] = [];
  const ixCount = r.shortVec();
  for (let i = 0; i < ixCount; i++) {
    const programIdIndex = r.byte();
    const accounts = r.indexes();
    const data = r.take(r.shortVec());
    instructions.push({ programIdIndex, accounts, data });
  }
  const lookups: WireLookup[] = [];
  if (version === 0) {
    const n = r.shortVec();
    for (let i = 0; i < n; i++)
      lookups.push({ accountKey: r.key(), writableIndexes: r.indexes(), readonlyIndexes: r.indexes() });
  }
  if (!r.done()) throw new WireError("trailing bytes after the message");
  return { version, header, staticKeys, recentBlockhash, blockhashOffset, instructions, lookups };
}

/** Parses and sanitizes a transaction; throws WireError (deserialize) or SanitizeError. */
export function parseTransaction(bytes: Uint8Array): WireTransaction {
  const r = new Reader(bytes);
  const count = r.shortVec();
  const signatures: Uint8Array[] = [];
  for (let i = 0; i < count; i++) signatures.push(r.take(64));
  const messageOffset = r.offset;
  const message = parseMessage(bytes.subarray(messageOffset));
  sanitize(message, signatures.length);
  return { signatures, messageOffset, message };
}

export class SanitizeError extends Error {}

function sanitize(m: WireMessage, signatureCount: number): void {
  const { numRequiredSignatures, numReadonlySignedAccounts, numReadonlyUnsignedAccounts } = m.header;
  // Agave's sanitize checks the signature count with the rest of the message.
  if (signatureCount !== numRequiredSignatures) throw new SanitizeError();
  const loaded = m.lookups.reduce((n, l) => n + l.writableIndexes.length + l.readonlyIndexes.length, 0);
  const total = m.staticKeys.length + loaded;
  if (
    numRequiredSignatures === 0 ||
    numReadonlySignedAccounts >= numRequiredSignatures ||
    numRequiredSignatures + numReadonlyUnsignedAccounts > m.staticKeys.length ||
    total > 256 ||
    new Set(m.staticKeys).size !== m.staticKeys.length
  ) {
    throw new SanitizeError();
  }
  for (const ix of m.instructions) {
    if (ix.programIdIndex === 0 || ix.programIdIndex >= m.staticKeys.length) throw new SanitizeError();
    if (ix.accounts.some((a) => a >= total)) throw new SanitizeError();
  }
}

/** Whether the account at `index` of the message's full key list is write-locked. */
export function isWritableIndex(m: WireMessage, index: number): boolean {
  const { numRequiredSignatures, numReadonlySignedAccounts, numReadonlyUnsignedAccounts } = m.header;
  const n = m.staticKeys.length;
  if (index >= n) {
    const writableLoaded = m.lookups.reduce((k, l) => k + l.writableIndexes.length, 0);
    return index - n < writableLoaded;
  }
  if (index < numRequiredSignatures) return index < numRequiredSignatures - numReadonlySignedAccounts;
  return index < n - numReadonlyUnsignedAccounts;
}

const COMPUTE_BUDGET = "ComputeBudget111111111111111111111111111111";
const DEFAULT_UNITS_PER_IX = 200_000;
const MAX_UNITS = 1_400_000;
export const LAMPORTS_PER_SIGNATURE = 5000;

/** Compute-unit price (micro-lamports) and limit requested by the message. */
export function computeBudget(m: WireMessage): { price: number; limit: number } {
  let price = 0;
  let limit: number | null = null;
  let others = 0;
  for (const ix of m.instructions) {
    if (m.staticKeys[ix.programIdIndex] !== COMPUTE_BUDGET) {
      others += 1;
      continue;
    }
    const view = new DataView(ix.data.buffer, ix.data.byteOffset, ix.data.byteLength);
    if (ix.data[0] === 2 && ix.data.length >= 5) limit = view.getUint32(1, true);
    if (ix.data[0] === 3 && ix.data.length >= 9) price = Number(view.getBigUint64(1, true));
  }
  return { price, limit: Math.min(limit ?? others * DEFAULT_UNITS_PER_IX, MAX_UNITS) };
}

/** The fee Solana charges: 5,000 lamports per signature plus the priority fee. */
export function messageFee(m: WireMessage): number {
  const { price, limit } = computeBudget(m);
  return m.header.numRequiredSignatures * LAMPORTS_PER_SIGNATURE + Math.ceil((price * limit) / 1_000_000);
}
