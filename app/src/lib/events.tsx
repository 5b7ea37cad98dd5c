"use client";
// One EventSource on the API's live stream (chain events such as ProposalApproved and
// PayoutPaid, API events such as sale.completed and battle.vote), shared by every
// component that listens; the browser resumes it with Last-Event-ID after a drop.
import { useEffect, useRef, useSyncExternalStore } from "react";
import { apiUrl } from "./config";

export interface LiveEvent<T = unknown> {
  id: string;
  source: "chain" | "api";
  type: string;
  at: string;
  data: T;
  seq?: string;
}

type Handler = (e: LiveEvent) => void;
export type LiveState = "idle" | "connecting" | "open" | "closed";

let source: EventSource | null = null;
let state: LiveState = "idle";
const handlers = new Map<string, Set<Handler>>();
const stateListeners = new Set<() => void>();

function setState(s: LiveState) {
  state = s;
  for (const l of stateListeners) l();
}

function dispatch(type: string, msg: MessageEvent<string>) {
  let e: LiveEvent;
  try {
    e = JSON.parse(msg.data) as LiveEvent;
  } catch {
    return;
  }
  for (const h of handlers.get(type) ?? []) h(e);
}

function open(): EventSource {
  if (source) return source;
  setState("connecting");
  source = new EventSource(`${apiUrl()}/api/v1/events/stream`);
  source.onopen = () => setState("open");
  source.onerror = () => setState(source?.readyState === EventSource.CLOSED ? "closed" : "connecting");
  for (const type of handlers.keys()) source.addEventListener(type, (m) => dispatch(type, m));
  return source;
}

function listen(types: readonly string[], h: Handler): () => void {
  const es = open();
  for (const type of types) {
    let set = handlers.get(type);
    if (!set) {
      set = new Set();
      handlers.set(type, set);
      es.addEventListener(type, (m) => dispatch(type, m));
    }
    set.add(h);
  }
  return () => {
    for (const type of types) handlers.get(type)?.delete(h);
  };
}

/** Calls `handler` for every live event of `types` while the component is mounted. */
export function useLiveEvents(types: readonly string[], handler: Handler): void {
  const ref = useRef(handler);
  ref.current = handler;
  const key = types.join(",");
  useEffect(() => listen(key.split(","), (e) => ref.current(e)), [key]);
}

export function useLiveState(): LiveState {
  return useSyncExternalStore(
    (l) => {
      stateListeners.add(l);
      return () => stateListeners.delete(l);
    },
    () => state,
    () => "idle",
  );
}
