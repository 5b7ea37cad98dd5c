// Access tokens: HS256 JWTs (RFC 7519) signed with the session secret, short-lived;
// refresh tokens: `<session id>.<random>`, stored only as a sha256.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { RoleName } from "./permissions.js";

export interface AccessClaims {
  sub: string;
  uid: string;
  sid: string;
  roles: RoleName[];
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

export function signAccessToken(claims: AccessClaims, secret: string): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** The claims of a token this server signed that has not expired; null otherwise. */
export function verifyAccessToken(token: string, secret: string, nowSeconds: number): AccessClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2] ?? "", "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8")) as AccessClaims;
    return typeof claims.exp === "number" && claims.exp > nowSeconds ? claims : null;
  } catch {
    return null;
  }
}

export function newRefreshToken(sessionId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString("base64url");
  return { token: `${sessionId}.${secret}`, hash: sha256(secret) };
}

export function splitRefreshToken(token: string): { sessionId: string; hash: string } | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { sessionId: m[1] as string, hash: sha256(m[2] as string) } : null;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
