// Blocks of recent slots.
import bs58 from "bs58";
import type { BlockRecord, TxRecord } from "../../history.js";
import type { Ledger } from "../../ledger.js";
import { parseTransaction } from "../../wire.js";
import { Code, invalidParams, RpcError } from "../errors.js";
import type { MethodTable, RpcContext } from "../methods.js";
import { bool, type Config, config, historyCommitment, oneOf, required, u64 } from "../params.js";
import {
  checkVersion,
  encodedTransactionWithMeta,
  keysWithRoles,
  statusMeta,
  transactionView,
} from "../transaction-json.js";

const MAX_BLOCK_RANGE = 500_000;

/** A closed block at commitment `c`, or the error Agave gives for that slot. */
function blockAt(ledger: Ledger, slot: number, cfg: Config): BlockRecord {
  const c = historyCommitment(cfg);
  if (slot > ledger.slotAt(c)) throw new RpcError(Code.blockNotAvailable, `Block not available for slot ${slot}`);
  const first = ledger.history.firstAvailableBlock;
  if (slot < first) {
    throw new RpcError(
      Code.blockCleanedUp,
      `Block ${slot} cleaned up, does not exist on node. First available block: ${first}`,
    );
  }
  const block = ledger.history.block(slot);
  if (!block)
    throw new RpcError(Code.slotSkipped, `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
  return block;
}

/** A transaction in getBlock's "accounts" details, as Agave's build_json_accounts: every
 * signature, the keys with their roles, and the meta without instructions or logs. */
function accountsOnly(tx: TxRecord, withVersion: boolean, rewards: boolean): Record<string, unknown> {
  const { signatures, message } = parseTransaction(Buffer.from(tx.wire, "base64"));
  const meta: Record<string, unknown> = {
    ...statusMeta(tx),
    preTokenBalances: tx.preTokenBalances,
    postTokenBalances: tx.postTokenBalances,
  };
  if (rewards) meta.rewards = [];
  const out: Record<string, unknown> = {
    transaction: {
      signatures: signatures.map((s) => bs58.encode(s)),
      accountKeys: keysWithRoles(message, tx.keys),
    },
    meta,
  };
  if (withVersion) out.version = tx.version;
  return out;
}

export function blockMethods({ ledger }: RpcContext): MethodTable {
  const slotRange = (start: number, end: number, cfg: Config): number[] => {
    const c = historyCommitment(cfg);
    if (end - start > MAX_BLOCK_RANGE) throw invalidParams(`Slot range too large; max ${MAX_BLOCK_RANGE}`);
    return ledger.history.blockSlots(start, Math.min(end, ledger.slotAt(c)));
  };
  return {
    getBlock: (params) => {
      const slot = u64(required(params, 0));
      const rawCfg = params[1];
      const cfg = typeof rawCfg === "string" ? { encoding: rawCfg } : config(params, 1);
      // The config is checked first, as Agave deserializes it before looking up the block.
      const view = transactionView(cfg);
      const details = oneOf(cfg.transactionDetails, ["full", "signatures", "none", "accounts"] as const, "full");
      const rewards = cfg.rewards === undefined ? true : bool(cfg.rewards);
      const block = blockAt(ledger, slot, cfg);
      const txs = block.signatures.flatMap((s) => ledger.history.tx(s) ?? []);
      // Only encoded transactions need a version the client supports (not signatures / none).
      if (details === "full" || details === "accounts") for (const tx of txs) checkVersion(tx, view);
      const out: Record<string, unknown> = {
        blockHeight: block.blockHeight,
        blockTime: block.blockTime,
        blockhash: block.blockhash,
        parentSlot: block.parentSlot,
        previousBlockhash: block.previousBlockhash,
      };
      if (details === "full") out.transactions = txs.map((tx) => encodedTransactionWithMeta(tx, view));
      if (details === "signatures") out.signatures = block.signatures;
      if (details === "accounts")
        out.transactions = txs.map((tx) => accountsOnly(tx, view.maxVersion !== null, rewards));
      if (rewards) out.rewards = [];
      return out;
    },
    getBlocks: (params) => {
      const start = u64(required(params, 0));
      const endParam = params[1];
      const hasEnd = typeof endParam === "number";
      const cfg = hasEnd ? config(params, 2) : config(params, 1);
      const end = hasEnd ? u64(endParam) : start + MAX_BLOCK_RANGE;
      return slotRange(start, end, cfg);
    },
    getBlocksWithLimit: (params) => {
      const start = u64(required(params, 0));
      const limit = u64(required(params, 1));
      if (limit > MAX_BLOCK_RANGE) throw invalidParams(`Limit too large; max ${MAX_BLOCK_RANGE}`);
      return slotRange(start, start + MAX_BLOCK_RANGE, config(params, 2)).slice(0, limit);
    },
    getBlockTime: (params) => {
      const slot = u64(required(params, 0));
      return blockAt(ledger, slot, { commitment: "confirmed" }).blockTime;
    },
  };
}
