// Who is calling: a bearer token or the session cookie, checked on every request
// (a token that is presented must be valid, even on public routes).
import type { FastifyRequest } from "fastify";
import { forbidden, unauthorized } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { type Permission, permissionSet } from "./permissions.js";
import { verifyAccessToken } from "./tokens.js";

export const ACCESS_COOKIE = "ece_access";
export const REFRESH_COOKIE = "ece_refresh";

function presentedToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer (\S+)$/i.exec(header);
    if (!m) throw unauthorized("Authorization must be `Bearer <token>`", "BAD_AUTHORIZATION");
    return m[1] as string;
  }
  return req.cookies?.[ACCESS_COOKIE] ?? null;
}

/** Sets req.auth from a valid token; core/admission.ts then refuses it if its session was signed out. */
export async function authenticate(deps: ApiDeps, req: FastifyRequest): Promise<void> {
  const token = presentedToken(req);
  if (!token) return;
  const claims = verifyAccessToken(token, deps.config.sessionSecret, Math.floor(Date.now() / 1000));
  if (!claims) throw unauthorized("the access token is invalid or expired: refresh or sign in again", "TOKEN_INVALID");
  req.auth = {
    wallet: claims.sub,
    userId: claims.uid,
    sessionId: claims.sid,
    roles: claims.roles,
    permissions: permissionSet(claims.roles),
  };
}

/** preHandler: the caller must be signed in and hold every permission named. */
export function can(...needed: Permission[]) {
  return async (req: FastifyRequest) => {
    if (!req.auth) throw unauthorized();
    const missing = needed.filter((p) => !req.auth?.permissions.has(p));
    if (missing.length) throw forbidden(`missing permission ${missing.join(", ")}`);
  };
}

/** The signed-in caller (after `can`). */
export function caller(req: FastifyRequest) {
  if (!req.auth) throw unauthorized();
  return req.auth;
}

/** OpenAPI: routes that need a session. */
export const SECURED: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
