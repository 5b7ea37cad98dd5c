// Waits for many signatures at once: one loop polls getSignatureStatuses for
// everything pending, 256 signatures per call. A transaction the node never
// shows is given up once its blockhash has expired.
import type { Commitment, Rpc } from "./rpc.js";

/** How a transaction ended: landed (`err` null when it succeeded), or not at all. */
export type Outcome =
  | { signature: string; landed: true; err: unknown }
  | { signature: string; landed: false; reason: string };

export const succeeded = (o: Outcome): boolean => o.landed && o.err === null;

export function describe(o: Outcome): string {
  if (!o.landed) return `not landed (${o.reason})`;
  return o.err === null ? "succeeded" : `failed with ${JSON.stringify(o.err)}`;
}

interface Status {
  err: unknown;
  confirmationStatus: "processed" | "confirmed" | "finalized" | null;
}

interface Waiter {
  level: Commitment;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
}

interface Pending {
  lastValidBlockHeight: number;
  waiters: Waiter[];
}

const BATCH = 256;
/** The block height is read this often (ms), to notice expired blockhashes. */
const HEIGHT_EVERY_MS = 1000;
/** Polling that keeps failing this long (ms) fails every wait. */
const GIVE_UP_MS = 30_000;

export class Confirmer {
  private readonly pending = new Map<string, Pending>();
  private polling = false;
  /** Ends the loop's current pause early. */
  private wake: (() => void) | null = null;

  constructor(
    private readonly rpc: Rpc,
    private readonly pollMs = 20,
  ) {}

  /** Resolves once `signature` has reached `level`, or has expired unseen. */
  wait(signature: string, lastValidBlockHeight: number, level: Commitment): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      let entry = this.pending.get(signature);
      if (!entry) {
        entry = { lastValidBlockHeight, waiters: [] };
        this.pending.set(signature, entry);
      }
      entry.waiters.push({ level, resolve, reject });
      if (!this.polling) void this.poll();
      // Who waits for processed holds others up (a proposal's index): look now.
      else if (level === "processed") this.wake?.();
    });
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let heightAt = Number.NEGATIVE_INFINITY;
    let failingSince: number | null = null;
    while (this.pending.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
      const signatures = [...this.pending.keys()];
      try {
        // The height before the statuses: a transaction still unseen after the
        // chain passed its last valid height can no longer land.
        let height: number | null = null;
        if (performance.now() - heightAt >= HEIGHT_EVERY_MS) {
          heightAt = performance.now();
          height = await this.rpc.call<number>("getBlockHeight", [{ commitment: "confirmed" }]);
        }
        const batches = [];
        for (let i = 0; i < signatures.length; i += BATCH) {
          batches.push(
            this.rpc
              .call<{ value: Array<Status | null> }>("getSignatureStatuses", [signatures.slice(i, i + BATCH)])
              .then((r) => r.value),
          );
        }
        const statuses = (await Promise.all(batches)).flat();
        signatures.forEach((signature, i) => {
          this.settle(signature, statuses[i] ?? null, height);
        });
        failingSince = null;
      } catch (e) {
        failingSince ??= performance.now();
        if (performance.now() - failingSince > GIVE_UP_MS) {
          for (const entry of this.pending.values()) for (const w of entry.waiters) w.reject(e);
          this.pending.clear();
        }
      }
    }
    this.polling = false;
  }

  private settle(signature: string, status: Status | null, height: number | null): void {
    const entry = this.pending.get(signature);
    if (!entry) return;
    const expired = status === null && height !== null && height > entry.lastValidBlockHeight;
    entry.waiters = entry.waiters.filter((w) => {
      if (expired) {
        w.resolve({ signature, landed: false, reason: "blockhash expired" });
        return false;
      }
      const reached = status !== null && (w.level === "processed" || status.confirmationStatus !== "processed");
      if (reached) w.resolve({ signature, landed: true, err: status.err });
      return !reached;
    });
    if (entry.waiters.length === 0) this.pending.delete(signature);
  }
}
