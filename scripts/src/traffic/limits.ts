// Concurrency and pacing: permits (in-flight work, a lock) and a send rate.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counted permits, granted first come first served: a large request waiting
 * at the head holds back later small ones, so it is not starved. */
export class Permits {
  private free: number;
  private readonly queue: Array<{ n: number; grant: () => void }> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  acquire(n = 1): Promise<void> {
    if (this.queue.length === 0 && this.free >= n) {
      this.free -= n;
      return Promise.resolve();
    }
    return new Promise((grant) => this.queue.push({ n, grant }));
  }

  release(n = 1): void {
    this.free += n;
    for (let head = this.queue[0]; head && head.n <= this.free; head = this.queue[0]) {
      this.queue.shift();
      this.free -= head.n;
      head.grant();
    }
  }

  async using<T>(fn: () => Promise<T>, n = 1): Promise<T> {
    await this.acquire(n);
    try {
      return await fn();
    } finally {
      this.release(n);
    }
  }
}

/** Spaces calls to `wait()` at most `perSecond` per second. */
export class Pacer {
  private next = performance.now();

  constructor(private readonly perSecond: number) {}

  async wait(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now);
  }
}
