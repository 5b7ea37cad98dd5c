"use client";
// A cursor-paged list: the first page through useApi, "load more" appends the next ones.
import { useCallback, useState } from "react";
import { api, type Page } from "./api";
import { useApi } from "./use-api";

export function usePaged<T>(path: string | null) {
  const first = useApi<Page<T>>(path);
  const [extra, setExtra] = useState<{ base: Page<T> | undefined; items: T[]; cursor: string | null }>({
    base: undefined,
    items: [],
    cursor: null,
  });
  const [busy, setBusy] = useState(false);
  // Pages appended to an older first page are dropped when the first page changes.
  const current = extra.base === first.data && first.data !== undefined;
  const items = first.data ? [...first.data.items, ...(current ? extra.items : [])] : undefined;
  const cursor = current ? extra.cursor : (first.data?.nextCursor ?? null);

  const loadMore = useCallback(async () => {
    if (!path || !cursor || !first.data) return;
    setBusy(true);
    try {
      const sep = path.includes("?") ? "&" : "?";
      const next = await api<Page<T>>(`${path}${sep}cursor=${encodeURIComponent(cursor)}`);
      setExtra((e) => ({
        base: first.data,
        items: [...(e.base === first.data ? e.items : []), ...next.items],
        cursor: next.nextCursor,
      }));
    } finally {
      setBusy(false);
    }
  }, [path, cursor, first.data]);

  return { items, error: first.error, loading: first.loading, reload: first.reload, hasMore: !!cursor, loadMore, busy };
}
