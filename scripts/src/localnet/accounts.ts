// Account reads over LiteSVM with a cache of current state and a journal of
// pre-images, so that reads at `confirmed` or `finalized` see the state of that
// slot rather than the newest one, as on a real cluster.
import bs58 from "bs58";
import { Account, type LiteSvm } from "litesvm/dist/internal.js";

export interface AccountState {
  lamports: bigint;
  data: Uint8Array;
  owner: string;
  executable: boolean;
}

const SYSVAR_OWNER = "Sysvar1111111111111111111111111111111111111";
const MAX_CACHED = 200_000;

export function fromNative(a: Account): AccountState {
  return { lamports: a.lamports(), data: a.data(), owner: bs58.encode(a.owner()), executable: a.executable() };
}

function same(a: AccountState | null, b: AccountState | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.lamports === b.lamports &&
    a.owner === b.owner &&
    a.executable === b.executable &&
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(b.data)
  );
}

interface PreImage {
  slot: number;
  pre: AccountState | null;
}

export class AccountStore {
  private readonly cache = new Map<string, AccountState | null>();
  private readonly journal = new Map<string, PreImage[]>();

  constructor(private svm: LiteSvm) {}

  /** Swaps in another SVM (after a restore). */
  reset(svm: LiteSvm): void {
    this.svm = svm;
    this.cache.clear();
    this.journal.clear();
  }

  /** The newest state (processed). */
  current(key: string): AccountState | null {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const native = this.svm.getAccount(bs58.decode(key));
    const state = native ? fromNative(native) : null;
    // Sysvars change with every slot outside any transaction: never cached.
    if (state?.owner !== SYSVAR_OWNER) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, state);
    }
    return state;
  }

  /** The state at the end of `slot` (null: newest). */
  at(key: string, slot: number | null): AccountState | null {
    if (slot !== null) {
      const images = this.journal.get(key);
      const first = images?.find((p) => p.slot > slot);
      if (first) return first.pre;
    }
    return this.current(key);
  }

  /** Re-reads `keys` after a transaction in `slot`; journals and returns those that changed. */
  commit(keys: string[], pre: Map<string, AccountState | null>, slot: number): string[] {
    const changed: string[] = [];
    for (const key of keys) {
      this.cache.delete(key);
      const before = pre.get(key) ?? null;
      const after = this.current(key);
      if (same(before, after)) continue;
      changed.push(key);
      let images = this.journal.get(key);
      if (!images) {
        images = [];
        this.journal.set(key, images);
      }
      images.push({ slot, pre: before });
    }
    return changed;
  }

  /** Writes an account directly (genesis only). */
  set(key: string, state: AccountState): void {
    const native = new Account(state.lamports, state.data, bs58.decode(state.owner), state.executable, 0n);
    this.svm.setAccount(bs58.decode(key), native);
    this.cache.set(key, state);
  }

  /** Forgets pre-images that no commitment level can read any more. */
  prune(finalizedSlot: number): void {
    for (const [key, images] of this.journal) {
      const keep = images.filter((p) => p.slot > finalizedSlot);
      if (keep.length === 0) this.journal.delete(key);
      else if (keep.length !== images.length) this.journal.set(key, keep);
    }
  }

  /** Every account owned by `owner` at the end of `slot` (null: newest). */
  owned(owner: string, slot: number | null): Array<[string, AccountState]> {
    const result = new Map<string, AccountState>();
    for (const entry of this.svm.getProgramAccounts(bs58.decode(owner))) {
      const key = bs58.encode(entry.address);
      result.set(key, fromNative(entry.account()));
    }
    if (slot !== null) {
      for (const [key, images] of this.journal) {
        if (!images.some((p) => p.slot > slot)) continue;
        const then = this.at(key, slot);
        if (then?.owner === owner) result.set(key, then);
        else result.delete(key);
      }
    }
    return [...result];
  }
}
