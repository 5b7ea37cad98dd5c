// The API client: JSON in and out, the one error shape, Bearer auth with one refresh on 401.
import { apiUrl } from "./config";
import { getSession, refreshSession } from "./session-store";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface Options {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

/** Access tokens this close to expiry are refreshed before the request rather than after a 401. */
const EARLY_REFRESH_MS = 30_000;

async function accessToken(): Promise<string | null> {
  const s = getSession();
  if (!s) return null;
  if (Date.parse(s.accessExpiresAt) - Date.now() > EARLY_REFRESH_MS) return s.accessToken;
  return (await refreshSession())?.accessToken ?? null;
}

async function send(path: string, opts: Options, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(`${apiUrl()}${path}`, {
      method: opts.method ?? "GET",
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "omit",
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK", `The API at ${apiUrl()} did not answer`);
  }
}

/** Raw response (for the CSV export); throws ApiError on anything but 2xx. */
export async function apiResponse(path: string, opts: Options = {}): Promise<Response> {
  let token = await accessToken();
  let res = await send(path, opts, token);
  if (res.status === 401 && token) {
    token = (await refreshSession())?.accessToken ?? null;
    if (token) res = await send(path, opts, token);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code: string; message: string; details?: unknown };
    } | null;
    throw new ApiError(
      res.status,
      body?.error?.code ?? `HTTP_${res.status}`,
      body?.error?.message ?? res.statusText,
      body?.error?.details,
    );
  }
  return res;
}

export async function api<T>(path: string, opts: Options = {}): Promise<T> {
  const res = await apiResponse(path, opts);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** `?a=1&b=x` from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
