import { sleep } from "./backoff.js";

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Circuit breaker around the RPC node: after `threshold` consecutive failures it
 * opens for a cooldown (doubling up to `maxCooldownMs` while failures go on), so
 * a node in trouble gets one probe at a time instead of every retry of every call.
 */
export class CircuitBreaker {
  state: BreakerState = "closed";
  private failures = 0;
  private openUntil = 0;
  private cooldownMs: number;
  private probing = false;

  constructor(
    private readonly threshold = 5,
    private readonly baseCooldownMs = 1_000,
    private readonly maxCooldownMs = 30_000,
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {
    this.cooldownMs = baseCooldownMs;
  }

  /** Waits until a call may go out; while half-open only one probe runs at a time. */
  async acquire(): Promise<void> {
    for (;;) {
      if (this.state === "closed") return;
      const now = Date.now();
      if (this.state === "open" && now >= this.openUntil) this.set("half-open");
      if (this.state === "half-open" && !this.probing) {
        this.probing = true;
        return;
      }
      await sleep(Math.max(10, Math.min(250, this.openUntil - now)));
    }
  }

  /** For callers that must not wait (an API request): whether a call may go out now.
   * Taking the half-open probe counts as acquiring it. */
  tryAcquire(): boolean {
    if (this.state === "closed") return true;
    if (this.state === "open" && Date.now() >= this.openUntil) this.set("half-open");
    if (this.state === "half-open" && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.cooldownMs = this.baseCooldownMs;
    if (this.state !== "closed") this.set("closed");
  }

  failure(): void {
    this.failures++;
    const probeFailed = this.state === "half-open" && this.probing;
    this.probing = false;
    if (probeFailed || (this.state === "closed" && this.failures >= this.threshold)) {
      if (probeFailed) this.cooldownMs = Math.min(this.maxCooldownMs, this.cooldownMs * 2);
      this.openUntil = Date.now() + this.cooldownMs;
      this.set("open");
    }
  }

  private set(state: BreakerState) {
    this.state = state;
    this.onChange(state);
  }
}
