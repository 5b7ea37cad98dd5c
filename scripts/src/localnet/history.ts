// Blocks and transactions the node has produced, bounded: the oldest blocks go
// first, with their transactions, so history is always a contiguous slot range.
import type { UiTokenAmount } from "./token.js";
import type { TransactionErrorJson } from "./tx-error.js";

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: UiTokenAmount;
}

export interface InnerInstructionJson {
  programIdIndex: number;
  accounts: number[];
  /** base58 */
  data: string;
  stackHeight: number;
}

export interface TxRecord {
  signature: string;
  slot: number;
  blockTime: number;
  /** The transaction as sent, base64. */
  wire: string;
  version: "legacy" | 0;
  /** Static keys, then loaded writable, then loaded read-only. */
  keys: string[];
  loaded: { writable: string[]; readonly: string[] };
  err: TransactionErrorJson | null;
  fee: number;
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logs: string[];
  innerInstructions: Array<{ index: number; instructions: InnerInstructionJson[] }>;
  computeUnits: number;
  returnData: { programId: string; data: [string, "base64"] } | null;
  /** Micro-lamports per compute unit, for prioritization fees. */
  cuPrice: number;
  /** Write-locked keys, for prioritization fees. */
  writable: string[];
}

export interface BlockRecord {
  slot: number;
  parentSlot: number;
  blockhash: string;
  previousBlockhash: string;
  blockTime: number;
  blockHeight: number;
  signatures: string[];
}

export interface HistoryLimits {
  /** Most transactions kept. */
  transactions: number;
  /** Most blocks kept. */
  blocks: number;
}

export class History {
  private readonly txs = new Map<string, TxRecord>();
  private readonly byAddress = new Map<string, string[]>();
  private readonly blocks = new Map<number, BlockRecord>();
  private readonly closed: number[] = [];

  constructor(private readonly limits: HistoryLimits) {}

  get firstAvailableBlock(): number {
    return this.closed[0] ?? 0;
  }

  add(tx: TxRecord): void {
    this.txs.set(tx.signature, tx);
    for (const key of new Set(tx.keys)) {
      let list = this.byAddress.get(key);
      if (!list) {
        list = [];
        this.byAddress.set(key, list);
      }
      list.push(tx.signature);
    }
  }

  close(block: BlockRecord): void {
    this.blocks.set(block.slot, block);
    this.closed.push(block.slot);
    while (this.closed.length > this.limits.blocks || this.txs.size > this.limits.transactions) {
      if (!this.evictOldestBlock()) break;
    }
  }

  private evictOldestBlock(): boolean {
    const slot = this.closed.shift();
    if (slot === undefined) return false;
    const block = this.blocks.get(slot);
    this.blocks.delete(slot);
    for (const sig of block?.signatures ?? []) {
      const tx = this.txs.get(sig);
      this.txs.delete(sig);
      for (const key of new Set(tx?.keys ?? [])) {
        const list = this.byAddress.get(key);
        if (list?.[0] === sig) list.shift();
        if (list?.length === 0) this.byAddress.delete(key);
      }
    }
    return true;
  }

  tx(signature: string): TxRecord | undefined {
    return this.txs.get(signature);
  }

  block(slot: number): BlockRecord | undefined {
    return this.blocks.get(slot);
  }

  /** Closed block slots in [from, to], ascending. */
  blockSlots(from: number, to: number): number[] {
    return this.closed.filter((s) => s >= from && s <= to);
  }

  /** Signatures that touched `address`, oldest first. */
  signaturesFor(address: string): readonly string[] {
    return this.byAddress.get(address) ?? [];
  }

  /** Every retained block with its transactions, oldest first (for saving). */
  *entries(): Generator<{ block: BlockRecord; txs: TxRecord[] }> {
    for (const slot of this.closed) {
      const block = this.blocks.get(slot);
      if (!block) continue;
      yield { block, txs: block.signatures.flatMap((s) => this.txs.get(s) ?? []) };
    }
  }
}
