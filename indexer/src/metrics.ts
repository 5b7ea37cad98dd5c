import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** The indexer's Prometheus metrics, in a registry of its own so that several
 * indexers (tests) can live in one process. */
export class IndexerMetrics {
  readonly registry = new Registry();

  constructor() {
    // Process metrics too (heap, RSS, event loop lag): memory over a long run is judged on them.
    collectDefaultMetrics({ register: this.registry });
  }

  readonly transactions = new Counter({
    name: "ece_indexer_transactions_total",
    help: "Transactions written to the mirror, by outcome on chain",
    labelNames: ["status"],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: "ece_indexer_events_total",
    help: "Program events written to the mirror",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly skipped = new Counter({
    name: "ece_indexer_skipped_total",
    help: "Instructions or log lines of our programs that did not decode and were skipped",
    labelNames: ["what"],
    registers: [this.registry],
  });
  readonly batches = new Histogram({
    name: "ece_indexer_batch_seconds",
    help: "Time to fetch, decode and write one batch",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly rpcRequests = new Counter({
    name: "ece_indexer_rpc_requests_total",
    help: "RPC requests by method and outcome (ok, retry, error)",
    labelNames: ["method", "outcome"],
    registers: [this.registry],
  });
  readonly breakerState = new Gauge({
    name: "ece_indexer_rpc_circuit_state",
    help: "RPC circuit breaker: 0 closed, 1 half-open, 2 open",
    registers: [this.registry],
  });
  readonly wsReconnects = new Counter({
    name: "ece_indexer_ws_reconnects_total",
    help: "WebSocket (logsSubscribe) reconnections",
    registers: [this.registry],
  });
  readonly cycleErrors = new Counter({
    name: "ece_indexer_cycle_errors_total",
    help: "Follow cycles that failed and were retried",
    registers: [this.registry],
  });
  readonly headSlot = new Gauge({
    name: "ece_indexer_head_slot",
    help: "Latest confirmed slot of the node",
    registers: [this.registry],
  });
  readonly indexedSlot = new Gauge({
    name: "ece_indexer_indexed_slot",
    help: "Slot up to which every followed address is mirrored",
    registers: [this.registry],
  });
  readonly lagSlots = new Gauge({
    name: "ece_indexer_lag_slots",
    help: "Confirmed slots not yet mirrored",
    registers: [this.registry],
  });
  readonly lagSeconds = new Gauge({
    name: "ece_indexer_lag_seconds",
    help: "Age of the oldest confirmed transaction not yet mirrored (0 when caught up)",
    registers: [this.registry],
  });
  readonly finalized = new Counter({
    name: "ece_indexer_finalized_total",
    help: "Mirrored transactions marked finalized (or dropped)",
    labelNames: ["commitment"],
    registers: [this.registry],
  });
  readonly mirrorDifferences = new Gauge({
    name: "ece_indexer_mirror_differences",
    help: "Differences between the mirror and account state at the last check",
    registers: [this.registry],
  });
  readonly up = new Gauge({
    name: "ece_indexer_healthy",
    help: "1 while the last follow cycle succeeded and the RPC circuit is closed",
    registers: [this.registry],
  });
}
