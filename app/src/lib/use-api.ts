"use client";
// Reads an API path into state. The path is the key: a new path (filters, sign-in) fetches
// again; `reload()` refetches in place (live events) keeping what is shown until the answer.
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "./api";
import { useSession } from "./session";

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): Loaded<T> {
  const { session } = useSession();
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError }>({ key: null });
  const [tick, setTick] = useState(0);
  // Signing in or out changes what the API answers for the same path.
  const key = path === null ? null : `${session?.accessToken ? session.wallet : "-"} ${path}`;

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is how reload() asks for the same key again
  useEffect(() => {
    if (path === null) return;
    const ac = new AbortController();
    api<T>(path, { signal: ac.signal }).then(
      (data) => setState({ key, data }),
      (e: unknown) => {
        if (ac.signal.aborted) return;
        setState({ key, error: e instanceof ApiError ? e : new ApiError(0, "CLIENT", String(e)) });
      },
    );
    return () => ac.abort();
  }, [key, path, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: path !== null && !current,
    reload,
  };
}
