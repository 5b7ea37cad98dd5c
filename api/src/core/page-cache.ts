// A short-lived cache of serialized list pages. The busiest reads (the card gallery,
// the explorer's first pages) are the same URL for everyone allowed to see them, and
// the mirror behind them changes by the indexer's batches, so a page up to `ttl` old
// is as good as a fresh one. Concurrent misses of one URL share one query.
import type { FastifyReply, FastifyRequest } from "fastify";

interface Entry {
  at: number;
  body: string;
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<string>>();

  /** `ttlMs()` is read on every call, so configuration changes apply at once; 0 turns caching off. */
  constructor(
    private readonly ttlMs: () => number,
    private readonly maxEntries = 2_000,
  ) {}

  async get(key: string, load: () => Promise<string>): Promise<{ body: string; hit: boolean }> {
    const ttl = this.ttlMs();
    if (ttl <= 0) return { body: await load(), hit: false };
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < ttl) return { body: entry.body, hit: true };
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    const body = await pending;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { at: now, body });
    return { body, hit: false };
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Answers a GET from the cache, or runs `handler` and caches its body serialized by the route's schema. */
export async function cachedPage(
  cache: PageCache,
  req: FastifyRequest,
  reply: FastifyReply,
  handler: () => Promise<unknown>,
): Promise<FastifyReply> {
  const { body, hit } = await cache.get(req.url, async () => reply.serialize(await handler()) as string);
  return reply
    .type("application/json; charset=utf-8")
    .header("x-cache", hit ? "hit" : "miss")
    .send(body);
}
