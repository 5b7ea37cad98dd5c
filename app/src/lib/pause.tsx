"use client";
// The emergency pause, read once for the whole app and refreshed by the Paused/Unpaused
// chain events. While paused, buy and approve are disabled with this reason.
import { createContext, useContext } from "react";
import { useLiveEvents } from "./events";
import { useApi } from "./use-api";

export interface PauseView {
  address: string;
  paused: boolean;
  reason: number;
  authority: string;
  guardians: string[];
  lastChangedBy: string;
  lastChangedSlot: number;
  source: "chain" | "mirror";
  mirrorInSync: boolean | null;
}

export interface PauseState {
  view: PauseView | undefined;
  paused: boolean;
  /** Why actions are disabled, for the button's title and the notice beside it. */
  reason: string | null;
  reload(): void;
}

const PauseContext = createContext<PauseState>({
  view: undefined,
  paused: false,
  reason: null,
  reload: () => undefined,
});

export const usePause = () => useContext(PauseContext);

export function pauseReason(v: PauseView): string {
  return `The platform is paused by a guardian (reason code ${v.reason}, slot ${v.lastChangedSlot}); trading and treasury approvals resume when the multisig unpauses.`;
}

export function PauseProvider({ children }: { children: React.ReactNode }) {
  // Public: signed out or in, everyone sees that the platform is paused and why.
  const { data, reload } = useApi<PauseView>("/api/v1/treasury/pause");
  useLiveEvents(["Paused", "Unpaused"], reload);
  const paused = !!data?.paused;
  return (
    <PauseContext.Provider value={{ view: data, paused, reason: data && paused ? pauseReason(data) : null, reload }}>
      {children}
    </PauseContext.Provider>
  );
}
