// --state DIR: the ledger on disk. `ledger.bin` holds the accounts (LiteSVM's
// snapshot) with the ledger's own metadata, replaced atomically (write, fsync,
// rename), so a kill at any moment leaves the previous or the next complete
// state. `blocks.ndjson` is appended with every closed block and its
// transactions before the snapshot that includes them; lines past the
// snapshot's slot, or torn by a kill, are dropped when loading.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { LiteSvm } from "litesvm/dist/internal.js";
import type { BlockRecord, TxRecord } from "./history.js";
import type { LedgerMeta } from "./ledger.js";

export interface SavedNode {
  meta: LedgerMeta;
  /** The faucet's secret key (base58-free: a byte array), so airdrops keep working. */
  faucet: number[];
  programs: Array<{ name: string; id: string }>;
  usdcMint: string;
}

export interface Loaded {
  svm: LiteSvm;
  saved: SavedNode;
  entries: Array<{ block: BlockRecord; txs: TxRecord[] }>;
}

const FORMAT = 1;

function writeAtomically(path: string, chunks: Uint8Array[]): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    for (const c of chunks) writeSync(fd, c);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class StateDir {
  private readonly snapshot: string;
  private readonly blocks: string;
  private blockLines = 0;

  constructor(readonly dir: string) {
    this.snapshot = join(dir, "ledger.bin");
    this.blocks = join(dir, "blocks.ndjson");
  }

  exists(): boolean {
    return existsSync(this.snapshot);
  }

  /** Deletes the saved ledger: only the files this class writes, never the rest of DIR. */
  reset(): void {
    for (const path of [this.snapshot, `${this.snapshot}.tmp`, this.blocks, `${this.blocks}.tmp`]) {
      rmSync(path, { force: true });
    }
  }

  load(): Loaded {
    const bytes = readFileSync(this.snapshot);
    const header = JSON.parse(bytes.subarray(4, 4 + bytes.readUInt32LE(0)).toString("utf8")) as SavedNode & {
      format: number;
    };
    if (header.format !== FORMAT)
      throw new Error(`${this.snapshot}: unknown state format ${header.format}; use --reset`);
    const svm = LiteSvm.fromBytes(bytes.subarray(4 + bytes.readUInt32LE(0)));
    const entries: Loaded["entries"] = [];
    if (existsSync(this.blocks)) {
      for (const line of readFileSync(this.blocks, "utf8").split("\n")) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as Loaded["entries"][number];
          if (entry.block.slot < header.meta.slot) entries.push(entry);
        } catch {
          // A line torn by a kill: everything after it is past the snapshot too.
          break;
        }
      }
    }
    return { svm, saved: header, entries };
  }

  /** Rewrites the block log with exactly `entries` (after loading, or when it grew too long). */
  compact(entries: Iterable<{ block: BlockRecord; txs: TxRecord[] }>): void {
    mkdirSync(this.dir, { recursive: true });
    const lines: string[] = [];
    for (const e of entries) lines.push(`${JSON.stringify(e)}\n`);
    writeAtomically(this.blocks, [Buffer.from(lines.join(""))]);
    this.blockLines = lines.length;
  }

  appendBlock(block: BlockRecord, txs: TxRecord[]): void {
    // The first block of a fresh ledger is appended before any snapshot created DIR.
    if (this.blockLines === 0) mkdirSync(this.dir, { recursive: true });
    const fd = openSync(this.blocks, "a");
    try {
      writeSync(fd, `${JSON.stringify({ block, txs })}\n`);
    } finally {
      closeSync(fd);
    }
    this.blockLines += 1;
  }

  get appendedLines(): number {
    return this.blockLines;
  }

  save(svm: LiteSvm, saved: SavedNode): void {
    mkdirSync(this.dir, { recursive: true });
    const header = Buffer.from(JSON.stringify({ format: FORMAT, ...saved }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    writeAtomically(this.snapshot, [length, header, svm.toBytes()]);
  }
}
