// Solana's WebSocket subscriptions: account, program, signature, logs, slot and
// root, each notified once per change at the subscriber's commitment level.
import type { WebSocket, WebSocketServer } from "ws";
import type { AccountState } from "./accounts.js";
import type { TxRecord } from "./history.js";
import type { Commitment, Ledger, LedgerListener, SlotEvent } from "./ledger.js";
import { serialize } from "./rpc/dispatch.js";
import {
  type AccountFilter,
  type AccountView,
  accountFilters,
  accountView,
  decimalsReader,
  encodeAccount,
} from "./rpc/encode.js";
import { Code, invalidParams, RpcError } from "./rpc/errors.js";
import { bool, commitment, config, type Params, pubkey, required, signature } from "./rpc/params.js";

type Kind = "account" | "program" | "signature" | "logs" | "slot" | "root";

interface Base {
  id: number;
  socket: WebSocket;
  kind: Kind;
}

interface AccountSub extends Base {
  kind: "account";
  key: string;
  commitment: Commitment;
  view: AccountView;
}

interface ProgramSub extends Base {
  kind: "program";
  program: string;
  commitment: Commitment;
  view: AccountView;
  filters: AccountFilter[];
}

interface SignatureSub extends Base {
  kind: "signature";
  signature: string;
  commitment: Commitment;
  received: boolean;
}

interface LogsSub extends Base {
  kind: "logs";
  /** null: every transaction. */
  mentions: string | null;
  commitment: Commitment;
}

type Sub = AccountSub | ProgramSub | SignatureSub | LogsSub | (Base & { kind: "slot" | "root" });

const NOTIFICATION: Record<Kind, string> = {
  account: "accountNotification",
  program: "programNotification",
  signature: "signatureNotification",
  logs: "logsNotification",
  slot: "slotNotification",
  root: "rootNotification",
};

export class PubSub implements LedgerListener {
  private nextId = 0;
  private readonly subs = new Map<number, Sub>();
  private readonly bySocket = new Map<WebSocket, Set<number>>();
  private readonly accountSubs = new Map<string, Set<AccountSub>>();
  private readonly programSubs = new Map<string, Set<ProgramSub>>();
  private readonly signatureSubs = new Map<string, Set<SignatureSub>>();
  private readonly decimalsOf: (mint: string) => number | null;

  constructor(private readonly ledger: Ledger) {
    this.decimalsOf = decimalsReader((k) => ledger.accounts.current(k));
    ledger.listeners.push(this);
  }

  attach(server: WebSocketServer): void {
    server.on("connection", (socket) => {
      this.bySocket.set(socket, new Set());
      socket.on("message", (data, isBinary) => this.onMessage(socket, isBinary ? "" : data.toString()));
      socket.on("close", () => this.drop(socket));
      socket.on("error", () => this.drop(socket));
    });
  }

  private drop(socket: WebSocket): void {
    for (const id of this.bySocket.get(socket) ?? []) this.remove(id);
    this.bySocket.delete(socket);
  }

  private onMessage(socket: WebSocket, text: string): void {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      this.send(socket, { jsonrpc: "2.0", error: { code: Code.parse, message: "Parse error" }, id: null });
      return;
    }
    if (Array.isArray(request) && request.length === 0) {
      this.send(socket, { jsonrpc: "2.0", error: { code: Code.invalidRequest, message: "Invalid request" }, id: null });
      return;
    }
    const requests = Array.isArray(request) ? request : [request];
    const replies = requests.map((r) => this.call(socket, r)).filter((r) => r !== null);
    if (replies.length > 0) this.send(socket, Array.isArray(request) ? replies : replies[0]);
  }

  private call(socket: WebSocket, request: unknown): unknown {
    const { jsonrpc, method, params, id } = (request ?? {}) as Record<string, unknown>;
    const replyId = typeof id === "number" || typeof id === "string" ? id : null;
    if (jsonrpc !== "2.0" || typeof method !== "string") {
      return { jsonrpc: "2.0", error: { code: Code.invalidRequest, message: "Invalid request" }, id: replyId };
    }
    // Keep-alive pings some clients send as notifications.
    if (id === undefined) return null;
    try {
      if (params !== undefined && params !== null && !Array.isArray(params)) {
        throw invalidParams("Invalid params: invalid type: map, expected a sequence.");
      }
      const result = this.method(socket, method, (params as Params | undefined) ?? []);
      return { jsonrpc: "2.0", result, id: replyId };
    } catch (e) {
      const err = e instanceof RpcError ? e : new RpcError(Code.internal, "Internal error");
      return { jsonrpc: "2.0", error: { code: err.code, message: err.message }, id: replyId };
    }
  }

  private method(socket: WebSocket, method: string, params: Params): unknown {
    const kind = method.endsWith("Unsubscribe") ? method.slice(0, -"Unsubscribe".length) : null;
    if (kind !== null && Object.hasOwn(NOTIFICATION, kind)) {
      const id = required(params, 0);
      const sub = typeof id === "number" ? this.subs.get(id) : undefined;
      if (!sub || sub.kind !== kind || sub.socket !== socket) {
        throw invalidParams("Invalid subscription id.");
      }
      this.remove(sub.id);
      return true;
    }
    const base = { id: this.nextId++, socket };
    let sub: Sub;
    switch (method) {
      case "accountSubscribe": {
        const cfg = config(params, 1);
        sub = {
          ...base,
          kind: "account",
          key: param(pubkey, required(params, 0), "pubkey"),
          commitment: commitment(cfg),
          view: accountView(cfg, "binary"),
        };
        break;
      }
      case "programSubscribe": {
        const cfg = config(params, 1);
        sub = {
          ...base,
          kind: "program",
          program: param(pubkey, required(params, 0), "pubkey"),
          commitment: commitment(cfg),
          view: accountView(cfg, "binary"),
          filters: accountFilters(cfg.filters),
        };
        break;
      }
      case "signatureSubscribe": {
        const cfg = config(params, 1);
        const received = cfg.enableReceivedNotification === undefined ? false : bool(cfg.enableReceivedNotification);
        sub = {
          ...base,
          kind: "signature",
          signature: param(signature, required(params, 0), "signature"),
          commitment: commitment(cfg),
          received,
        };
        break;
      }
      case "logsSubscribe": {
        const filter = required(params, 0);
        let mentions: string | null = null;
        if (filter !== "all" && filter !== "allWithVotes") {
          const list = (filter as { mentions?: unknown } | null)?.mentions;
          if (!Array.isArray(list))
            throw invalidParams('Invalid params: expected "all", "allWithVotes" or { mentions }.');
          if (list.length !== 1) throw invalidParams("Invalid Request: Only 1 address supported");
          mentions = param(pubkey, list[0], "mentions");
        }
        sub = { ...base, kind: "logs", mentions, commitment: commitment(config(params, 1)) };
        break;
      }
      case "slotSubscribe":
        sub = { ...base, kind: "slot" };
        break;
      case "rootSubscribe":
        sub = { ...base, kind: "root" };
        break;
      default:
        throw new RpcError(Code.methodNotFound, "Method not found");
    }
    this.add(sub);
    return sub.id;
  }

  private add(sub: Sub): void {
    this.subs.set(sub.id, sub);
    this.bySocket.get(sub.socket)?.add(sub.id);
    if (sub.kind === "account") index(this.accountSubs, sub.key, sub);
    if (sub.kind === "program") index(this.programSubs, sub.program, sub);
    if (sub.kind === "signature") {
      index(this.signatureSubs, sub.signature, sub);
      this.catchUpSignature(sub);
    }
  }

  /** A subscription to a signature that already reached its commitment fires at once. */
  private catchUpSignature(sub: SignatureSub): void {
    const tx = this.ledger.history.tx(sub.signature);
    if (tx && this.ledger.reached(tx, sub.commitment)) {
      queueMicrotask(() => {
        if (this.subs.has(sub.id)) this.signatureDone(sub, tx);
      });
    }
  }

  private remove(id: number): void {
    const sub = this.subs.get(id);
    if (!sub) return;
    this.subs.delete(id);
    this.bySocket.get(sub.socket)?.delete(id);
    if (sub.kind === "account") unindex(this.accountSubs, sub.key, sub);
    if (sub.kind === "program") unindex(this.programSubs, sub.program, sub);
    if (sub.kind === "signature") unindex(this.signatureSubs, sub.signature, sub);
  }

  private send(socket: WebSocket, message: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(serialize(message));
  }

  private notify(sub: Sub, result: unknown): void {
    this.send(sub.socket, { jsonrpc: "2.0", method: NOTIFICATION[sub.kind], params: { result, subscription: sub.id } });
  }

  private contextual(slot: number, value: unknown): unknown {
    return { context: { slot }, value };
  }

  // ---- ledger events -----------------------------------------------------

  transaction(tx: TxRecord, changed: readonly string[]): void {
    if (this.subs.size === 0) return;
    for (const sub of this.signatureSubs.get(tx.signature) ?? []) {
      if (sub.received) this.notify(sub, this.contextual(tx.slot, "receivedSignature"));
      if (sub.commitment === "processed") this.signatureDone(sub, tx);
    }
    this.logs(tx, "processed");
    this.accounts(changed, "processed", tx.slot);
  }

  slot(event: SlotEvent): void {
    if (this.subs.size === 0) return;
    for (const sub of this.subs.values()) {
      if (sub.kind === "slot") {
        this.notify(sub, { parent: event.confirmed.slot, root: this.ledger.finalizedSlot, slot: event.slot });
      }
      if (sub.kind === "root" && event.finalized) this.notify(sub, event.finalized.slot);
    }
    const levels: Array<[Commitment, typeof event.confirmed | null, ReadonlySet<string>]> = [
      ["confirmed", event.confirmed, event.confirmedChanges],
      ["finalized", event.finalized, event.finalizedChanges],
    ];
    for (const [level, block, changes] of levels) {
      if (!block) continue;
      for (const sig of block.signatures) {
        const tx = this.ledger.history.tx(sig);
        if (!tx) continue;
        for (const sub of this.signatureSubs.get(sig) ?? []) if (sub.commitment === level) this.signatureDone(sub, tx);
        this.logs(tx, level);
      }
      this.accounts([...changes], level, block.slot);
    }
  }

  private signatureDone(sub: SignatureSub, tx: TxRecord): void {
    this.notify(sub, this.contextual(tx.slot, { err: tx.err }));
    this.remove(sub.id);
  }

  private logs(tx: TxRecord, level: Commitment): void {
    let keys: Set<string> | null = null;
    for (const sub of this.subs.values()) {
      if (sub.kind !== "logs" || sub.commitment !== level) continue;
      if (sub.mentions !== null) {
        keys ??= new Set(tx.keys);
        if (!keys.has(sub.mentions)) continue;
      }
      this.notify(sub, this.contextual(tx.slot, { signature: tx.signature, err: tx.err, logs: tx.logs }));
    }
  }

  private accounts(changed: readonly string[], level: Commitment, slot: number): void {
    if (this.accountSubs.size === 0 && this.programSubs.size === 0) return;
    const at = level === "processed" ? null : slot;
    for (const key of changed) {
      const subs = this.accountSubs.get(key);
      const needed = subs && [...subs].some((s) => s.commitment === level);
      const state = needed || this.programSubs.size > 0 ? this.ledger.accounts.at(key, at) : null;
      for (const sub of subs ?? []) {
        if (sub.commitment !== level) continue;
        this.notify(sub, this.contextual(slot, state ? this.encode(state, sub.view) : emptyAccount()));
      }
      if (!state) continue;
      for (const sub of this.programSubs.get(state.owner) ?? []) {
        if (sub.commitment !== level || !sub.filters.every((f) => f(state))) continue;
        this.notify(sub, this.contextual(slot, { pubkey: key, account: this.encode(state, sub.view) }));
      }
    }
  }

  private encode(state: AccountState, view: AccountView): unknown {
    try {
      return encodeAccount(state, view, this.decimalsOf);
    } catch {
      // base58 of a large account: fall back rather than drop the notification.
      return encodeAccount(state, { encoding: "base64", slice: view.slice }, this.decimalsOf);
    }
  }
}

/**
 * Agave's pubsub reads keys and signatures with FromStr: a string that is not
 * one is "Invalid Request: Invalid <thing> provided" (-32602); a non-string
 * keeps the serde type error.
 */
function param<T>(read: (v: unknown) => T, v: unknown, thing: string): T {
  if (typeof v !== "string") return read(v);
  try {
    return read(v);
  } catch {
    throw invalidParams(`Invalid Request: Invalid ${thing} provided`);
  }
}

/** What Agave sends when a subscribed account is closed. */
function emptyAccount(): unknown {
  return {
    lamports: 0,
    owner: "11111111111111111111111111111111",
    data: ["", "base64"],
    executable: false,
    rentEpoch: 0,
    space: 0,
  };
}

function index<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function unindex<T>(map: Map<string, Set<T>>, key: string, value: T): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}
