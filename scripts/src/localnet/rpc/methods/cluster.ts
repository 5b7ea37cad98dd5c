// Cluster, slot, blockhash and fee methods.
import bs58 from "bs58";
import { MAX_PROCESSING_AGE } from "../../ledger.js";
import { messageFee, parseMessage } from "../../wire.js";
import { invalidParams } from "../errors.js";
import type { MethodTable, RpcContext } from "../methods.js";
import {
  checkMinContextSlot,
  commitment,
  config,
  context,
  type Params,
  pubkey,
  required,
  string,
  u64,
} from "../params.js";

export const SLOTS_PER_EPOCH = 432_000;

/** A blockhash parameter; Agave's error is Hash::from_str's, in Debug form, alone. */
function blockhash(v: unknown): string {
  const s = string(v);
  let bytes: Uint8Array;
  try {
    bytes = bs58.decode(s);
  } catch {
    throw invalidParams(s.length > 44 ? "WrongSize" : "Invalid");
  }
  if (bytes.length !== 32) throw invalidParams("WrongSize");
  return s;
}

export function clusterMethods({ ledger, version }: RpcContext): MethodTable {
  const slotOf = (params: Params, at = 0): number => {
    const cfg = config(params, at);
    return checkMinContextSlot(cfg, ledger, commitment(cfg));
  };
  return {
    getVersion: () => ({ "solana-core": version.solanaCore, "feature-set": version.featureSet }),
    getHealth: () => "ok",
    getGenesisHash: () => ledger.genesisHash,
    getIdentity: () => ({ identity: ledger.identity }),
    getSlot: (params) => slotOf(params),
    getBlockHeight: (params) => slotOf(params),
    getTransactionCount: (params) => {
      slotOf(params);
      return ledger.transactionCount;
    },
    getFirstAvailableBlock: () => ledger.history.firstAvailableBlock,
    getEpochSchedule: () => ({
      slotsPerEpoch: SLOTS_PER_EPOCH,
      leaderScheduleSlotOffset: SLOTS_PER_EPOCH,
      warmup: false,
      firstNormalEpoch: 0,
      firstNormalSlot: 0,
    }),
    getEpochInfo: (params) => {
      const slot = slotOf(params);
      return {
        absoluteSlot: slot,
        blockHeight: slot,
        epoch: Math.floor(slot / SLOTS_PER_EPOCH),
        slotIndex: slot % SLOTS_PER_EPOCH,
        slotsInEpoch: SLOTS_PER_EPOCH,
        transactionCount: ledger.transactionCount,
      };
    },
    getLatestBlockhash: (params) => {
      const cfg = config(params, 0);
      const c = commitment(cfg);
      const slot = checkMinContextSlot(cfg, ledger, c);
      return { context: context(slot), value: ledger.latestBlockhash(c) };
    },
    isBlockhashValid: (params) => {
      const hash = blockhash(required(params, 0));
      const slot = slotOf(params, 1);
      return { context: context(slot), value: ledger.isBlockhashValid(hash) };
    },
    getFeeForMessage: (params) => {
      const encoded = string(required(params, 0));
      const slot = slotOf(params, 1);
      let fee: number | null = null;
      try {
        const message = parseMessage(Buffer.from(encoded, "base64"));
        fee = ledger.isBlockhashValid(message.recentBlockhash) ? messageFee(message) : null;
      } catch (e) {
        throw invalidParams(
          `failed to deserialize solana_message::versioned::VersionedMessage: ${(e as Error).message}`,
        );
      }
      return { context: context(slot), value: fee };
    },
    getMinimumBalanceForRentExemption: (params) => {
      const size = u64(required(params, 0), "usize");
      if (size > 10 * 1024 * 1024) throw invalidParams("Invalid params: data length exceeds the 10 MiB account limit");
      return Number(ledger.svm.minimumBalanceForRentExemption(BigInt(size)));
    },
    getRecentPrioritizationFees: (params) => {
      const raw = params[0] ?? [];
      if (!Array.isArray(raw)) throw invalidParams("Invalid params: invalid type, expected a sequence.");
      if (raw.length > 128) throw invalidParams("Too many inputs provided; max 128");
      const keys = new Set(raw.map(pubkey));
      const last = ledger.confirmedSlot;
      const out: Array<{ slot: number; prioritizationFee: number }> = [];
      // As Agave's PrioritizationFeeCache: per block, the lowest price of any
      // transaction, raised to the lowest price paid to write-lock each given key.
      for (const slot of ledger.history.blockSlots(last - MAX_PROCESSING_AGE + 1, last)) {
        let blockMin: number | null = null;
        const keyMin = new Map<string, number>();
        for (const sig of ledger.history.block(slot)?.signatures ?? []) {
          const tx = ledger.history.tx(sig);
          if (!tx) continue;
          blockMin = Math.min(blockMin ?? tx.cuPrice, tx.cuPrice);
          for (const k of tx.writable) {
            if (keys.has(k)) keyMin.set(k, Math.min(keyMin.get(k) ?? tx.cuPrice, tx.cuPrice));
          }
        }
        out.push({ slot, prioritizationFee: Math.max(blockMin ?? 0, ...keyMin.values()) });
      }
      return out;
    },
  };
}
