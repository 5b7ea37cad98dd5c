import { backoffMs } from "@ece/sdk";
import type { Logger } from "pino";
import WebSocket from "ws";
import type { IndexerMetrics } from "../metrics.js";

/**
 * Low-latency wake-ups: `logsSubscribe` (mentions, confirmed) for every followed
 * address. A notification only says "look now"; what to index always comes from
 * `getSignaturesForAddress`, so lost, duplicated or reordered notifications and
 * dropped connections cost latency, never data. Reconnects with backoff and
 * wakes the follower on every (re)connect to cover what it missed meanwhile.
 */
export class LogsWatcher {
  private ws: WebSocket | null = null;
  private readonly addresses = new Set<string>();
  private attempt = 0;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private alive = true;

  constructor(
    private readonly url: string,
    private readonly onWake: (reason: string) => void,
    private readonly log: Logger,
    private readonly metrics: IndexerMetrics,
  ) {}

  start(addresses: Iterable<string>): void {
    for (const a of addresses) this.addresses.add(a);
    this.connect();
  }

  /** Follows one more address (a vault discovered by the indexer). */
  watch(address: string): void {
    if (this.addresses.has(address)) return;
    this.addresses.add(address);
    if (this.ws?.readyState === WebSocket.OPEN) this.subscribe(this.ws, address);
  }

  stop(): void {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.ws?.terminate();
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on("open", () => {
      this.attempt = 0;
      this.alive = true;
      for (const a of this.addresses) this.subscribe(ws, a);
      this.onWake("ws-open");
      // A half-open TCP connection shows no error: ping, and give up on silence.
      this.heartbeat = setInterval(() => {
        if (!this.alive) {
          ws.terminate();
          return;
        }
        this.alive = false;
        ws.ping();
      }, 10_000);
    });
    ws.on("pong", () => {
      this.alive = true;
    });
    ws.on("message", (raw) => {
      this.alive = true;
      let msg: { method?: string; error?: unknown };
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        return;
      }
      if (msg.method === "logsNotification") this.onWake("logs");
      else if (msg.error) this.log.warn({ error: msg.error }, "logsSubscribe refused");
    });
    ws.on("error", (e) => this.log.debug({ err: e.message }, "logs websocket error"));
    ws.on("close", () => {
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      if (this.stopped) return;
      this.metrics.wsReconnects.inc();
      const delay = backoffMs(this.attempt++, 200, 5_000) + 50;
      this.log.info({ delay }, "logs websocket closed; reconnecting");
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private subscribe(ws: WebSocket, address: string) {
    ws.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: address,
        method: "logsSubscribe",
        params: [{ mentions: [address] }, { commitment: "confirmed" }],
      }),
    );
  }
}
