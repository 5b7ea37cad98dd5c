// The signed-in session, outside React so the API client can read and refresh it.
// The API is on another origin, so its httpOnly cookies are not ours to rely on: the
// tokens are kept in sessionStorage (this tab, across reloads) and sent as Bearer.
import { apiUrl } from "./config";

export interface Session {
  wallet: string;
  roles: string[];
  permissions: string[];
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

const KEY = "ece.session";
let current: Session | null = null;
let loaded = false;
const listeners = new Set<() => void>();

function load(): Session | null {
  if (loaded || typeof window === "undefined") return current;
  loaded = true;
  try {
    const s = JSON.parse(window.sessionStorage.getItem(KEY) ?? "null") as Session | null;
    current = s && Date.parse(s.refreshExpiresAt) > Date.now() ? s : null;
  } catch {
    current = null;
  }
  return current;
}

export function getSession(): Session | null {
  return load();
}

/** For useSyncExternalStore: the server renders signed out. */
export const getServerSession = (): Session | null => null;

export function setSession(s: Session | null): void {
  loaded = true;
  current = s;
  if (s) window.sessionStorage.setItem(KEY, JSON.stringify(s));
  else window.sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const can = (s: Session | null, permission: string) => !!s?.permissions.includes(permission);

let refreshing: Promise<Session | null> | null = null;

/** Rotates the refresh token once for every caller waiting on it; a refused refresh signs out. */
export function refreshSession(): Promise<Session | null> {
  const s = load();
  if (!s) return Promise.resolve(null);
  refreshing ??= (async () => {
    try {
      const res = await fetch(`${apiUrl()}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken: s.refreshToken }),
        credentials: "omit",
      });
      if (res.status === 401 || res.status === 400) {
        setSession(null);
        return null;
      }
      if (!res.ok) return s;
      const next = (await res.json()) as Session;
      setSession(next);
      return next;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}
