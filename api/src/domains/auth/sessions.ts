// Sign-in, refresh and sign-out. Nonces live in Redis with a TTL and are taken
// with GETDEL, so each signs in once; auth_nonces keeps their history.
import { randomBytes } from "node:crypto";
import { ApiError, unauthorized } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { permissionsOf, type RoleName } from "./permissions.js";
import { rolesOf } from "./roles.js";
import { buildMessage, parseMessage, type SiwsFields, verifySignature } from "./siws.js";
import { type AccessClaims, newRefreshToken, signAccessToken, splitRefreshToken } from "./tokens.js";

export const STATEMENT = "Sign in to ECE. This request does not trigger a transaction or cost any fees.";
/** How far a wallet's clock may be ahead of ours when it writes `Issued At`. */
const CLOCK_SKEW_MS = 60_000;

interface NonceRecord {
  address: string;
  message: string;
  fields: SiwsFields;
}

const nonceKey = (nonce: string) => `siws:nonce:${nonce}`;
export const revokedKey = (sessionId: string) => `auth:revoked:${sessionId}`;

export async function issueNonce(deps: ApiDeps, address: string) {
  const { config } = deps;
  const nonce = randomBytes(16).toString("hex");
  const now = new Date();
  const expires = new Date(now.getTime() + config.nonceTtlSeconds * 1000);
  const fields: SiwsFields = {
    domain: config.siwsDomain,
    address,
    statement: STATEMENT,
    uri: config.siwsUri,
    version: "1",
    chainId: config.chainId,
    nonce,
    issuedAt: now.toISOString(),
    expirationTime: expires.toISOString(),
  };
  const message = buildMessage(fields);
  const record: NonceRecord = { address, message, fields };
  await deps.redis.set(nonceKey(nonce), JSON.stringify(record), "EX", config.nonceTtlSeconds);
  await deps.prisma.authNonce.create({ data: { nonce, wallet: address, message, issuedAt: now, expiresAt: expires } });
  return { message, nonce, fields };
}

export interface SignInProof {
  /** The signed text (from our message, or the wallet's `solana:signIn` signedMessage). */
  message: string;
  signature: Uint8Array;
  /** The address the wallet says signed (signIn output's account), if given. */
  address?: string;
}

const refuse = (code: string, message: string) => new ApiError(401, code, message);

/** Checks a signed sign-in message; returns the wallet. Each failure has its own code. */
export async function verifySignIn(deps: ApiDeps, proof: SignInProof): Promise<string> {
  const { config } = deps;
  const fields = parseMessage(proof.message);
  if (!fields) throw refuse("SIWS_MALFORMED", "the message is not a Sign-In With Solana message");
  if (proof.address && proof.address !== fields.address) {
    throw refuse("SIWS_ADDRESS_MISMATCH", "the signing account is not the message's address");
  }
  if (!verifySignature(new TextEncoder().encode(proof.message), proof.signature, fields.address)) {
    throw refuse("SIWS_BAD_SIGNATURE", "the signature is not the address's signature of this message");
  }
  if (fields.domain !== config.siwsDomain) {
    throw refuse("SIWS_WRONG_DOMAIN", `the message is for ${fields.domain}, not ${config.siwsDomain}`);
  }
  if (fields.chainId && fields.chainId !== config.chainId) {
    throw refuse("SIWS_WRONG_CHAIN", `the message is for chain ${fields.chainId}, not ${config.chainId}`);
  }
  if (fields.uri && fields.uri !== config.siwsUri)
    throw refuse("SIWS_WRONG_URI", `the message names URI ${fields.uri}`);
  const now = Date.now();
  const expiry = fields.expirationTime ? Date.parse(fields.expirationTime) : Number.NaN;
  if (!(expiry > now)) throw refuse("SIWS_EXPIRED", "the message has expired (or has no expiration time)");
  const issued = fields.issuedAt ? Date.parse(fields.issuedAt) : Number.NaN;
  if (!(issued <= now + CLOCK_SKEW_MS))
    throw refuse("SIWS_NOT_YET_VALID", "the message's issued-at time is missing or in the future");
  if (fields.notBefore && Date.parse(fields.notBefore) > now)
    throw refuse("SIWS_NOT_YET_VALID", "the message is not valid yet");
  if (!fields.nonce) throw refuse("SIWS_NO_NONCE", "the message carries no nonce");
  // Taken only after the signature checks out, so a forged attempt cannot burn someone's nonce.
  const raw = await deps.redis.getdel(nonceKey(fields.nonce));
  if (!raw) {
    const used = await deps.prisma.authNonce.findUnique({ where: { nonce: fields.nonce }, select: { usedAt: true } });
    throw used?.usedAt
      ? refuse("SIWS_NONCE_USED", "this sign-in message was already used")
      : refuse("SIWS_NONCE_UNKNOWN", "unknown or expired nonce: ask for a new one");
  }
  const record = JSON.parse(raw) as NonceRecord;
  const issuedFor = record.fields;
  if (record.address !== fields.address)
    throw refuse("SIWS_ADDRESS_MISMATCH", "the nonce was issued to another address");
  // The wallet may write the message itself (solana:signIn); what it says must be what we issued.
  for (const key of ["domain", "uri", "chainId", "issuedAt", "expirationTime"] as const) {
    if (fields[key] !== undefined && fields[key] !== issuedFor[key]) {
      throw refuse("SIWS_TAMPERED", `the message's ${key} differs from the one issued`);
    }
  }
  await deps.prisma.authNonce.update({ where: { nonce: fields.nonce }, data: { usedAt: new Date() } });
  return fields.address;
}

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  claims: AccessClaims;
}

async function accessFor(deps: ApiDeps, userId: string, wallet: string, granted: string[], sessionId: string) {
  const roles: RoleName[] = await rolesOf(deps, wallet, granted);
  const iat = Math.floor(Date.now() / 1000);
  const claims: AccessClaims = {
    sub: wallet,
    uid: userId,
    sid: sessionId,
    roles,
    iat,
    exp: iat + deps.config.accessTtlSeconds,
  };
  return {
    claims,
    accessToken: signAccessToken(claims, deps.config.sessionSecret),
    accessExpiresAt: new Date(claims.exp * 1000),
  };
}

export async function openSession(
  deps: ApiDeps,
  wallet: string,
  meta: { ip: string; userAgent?: string },
): Promise<IssuedSession> {
  const admin = deps.config.adminWallets.includes(wallet);
  const user = await deps.prisma.user.upsert({
    where: { wallet },
    create: { wallet, roles: admin ? ["user", "admin"] : ["user"] },
    update: admin ? { roles: { set: ["user", "admin"] } } : {},
  });
  const refreshExpiresAt = new Date(Date.now() + deps.config.refreshTtlSeconds * 1000);
  const session = await deps.prisma.session.create({
    data: {
      userId: user.id,
      refreshHash: `pending-${randomBytes(8).toString("hex")}`,
      expiresAt: refreshExpiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    },
  });
  const refresh = newRefreshToken(session.id);
  await deps.prisma.session.update({ where: { id: session.id }, data: { refreshHash: refresh.hash } });
  const access = await accessFor(deps, user.id, wallet, user.roles, session.id);
  return { ...access, refreshToken: refresh.token, refreshExpiresAt };
}

/** Rotates the refresh token. A token that was already rotated away revokes its session (it was stolen or replayed). */
export async function refreshSession(deps: ApiDeps, token: string): Promise<IssuedSession> {
  const parts = splitRefreshToken(token);
  if (!parts) throw unauthorized("malformed refresh token", "REFRESH_INVALID");
  const session = await deps.prisma.session.findUnique({ where: { id: parts.sessionId }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt <= new Date()) {
    throw unauthorized("the session has ended: sign in again", "SESSION_ENDED");
  }
  const next = newRefreshToken(session.id);
  const rotated = await deps.prisma.session.updateMany({
    where: { id: session.id, refreshHash: parts.hash, revokedAt: null },
    data: { refreshHash: next.hash },
  });
  if (rotated.count !== 1) {
    await endSession(deps, session.id);
    throw unauthorized("refresh token reused: the session was revoked", "REFRESH_REUSED");
  }
  const access = await accessFor(deps, session.userId, session.user.wallet, session.user.roles, session.id);
  return { ...access, refreshToken: next.token, refreshExpiresAt: session.expiresAt };
}

export async function endSession(deps: ApiDeps, sessionId: string): Promise<void> {
  await deps.prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  // Access tokens already out stay verifiable until they expire: remember the revocation that long.
  await deps.redis.set(revokedKey(sessionId), "1", "EX", deps.config.accessTtlSeconds + 5);
}

export const permissionsForClaims = (c: AccessClaims) => permissionsOf(c.roles);
