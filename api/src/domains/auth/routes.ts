// POST /auth/nonce → a message to sign; POST /auth/verify → a session (cookies and
// bearer token); refresh, logout, session.
import bs58 from "bs58";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { badRequest, unauthorized } from "../../core/errors.js";
import { DateTime, errors, Pubkey } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { ACCESS_COOKIE, caller, can, REFRESH_COOKIE, SECURED } from "./guard.js";
import { permissionsOf } from "./permissions.js";
import {
  endSession,
  type IssuedSession,
  issueNonce,
  openSession,
  refreshSession,
  type SignInProof,
  verifySignIn,
} from "./sessions.js";

const SessionResponse = Type.Object({
  wallet: Pubkey,
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  accessToken: Type.String(),
  accessExpiresAt: DateTime,
  refreshToken: Type.String(),
  refreshExpiresAt: DateTime,
});

const Base64 = Type.String({ pattern: "^[A-Za-z0-9+/]*={0,2}$", maxLength: 8192 });
const VerifyBody = Type.Union([
  Type.Object(
    {
      message: Type.String({ minLength: 1, maxLength: 4096 }),
      signature: Type.String({ pattern: "^[1-9A-HJ-NP-Za-km-z]{64,90}$", description: "base58 ed25519 signature" }),
    },
    { additionalProperties: false, title: "SignedMessage" },
  ),
  Type.Object(
    {
      output: Type.Object({
        account: Type.Object({ address: Pubkey }),
        signedMessage: Base64,
        signature: Base64,
      }),
    },
    {
      additionalProperties: false,
      title: "SolanaSignInOutput",
      description: "the Wallet Standard solana:signIn output, bytes in base64",
    },
  ),
]);

export default async function authRoutes(app: App) {
  const { deps } = app;

  const setCookies = (reply: FastifyReply, s: IssuedSession) => {
    const base = { httpOnly: true, sameSite: "strict" as const, secure: deps.config.secureCookies };
    reply.setCookie(ACCESS_COOKIE, s.accessToken, { ...base, path: "/", expires: s.accessExpiresAt });
    reply.setCookie(REFRESH_COOKIE, s.refreshToken, { ...base, path: "/api/v1/auth", expires: s.refreshExpiresAt });
  };
  /** The session just opened or refreshed is the actor of its own audit entry. */
  const auditSession = async (req: FastifyRequest, action: string, s: IssuedSession) => {
    const { claims } = s;
    req.auth = {
      wallet: claims.sub,
      userId: claims.uid,
      sessionId: claims.sid,
      roles: claims.roles,
      permissions: new Set(),
    };
    await audit(deps.prisma, req, { action, resource: `session:${claims.sid}`, after: { roles: claims.roles } });
  };
  const body = (s: IssuedSession) => ({
    wallet: s.claims.sub,
    roles: s.claims.roles,
    permissions: permissionsOf(s.claims.roles),
    accessToken: s.accessToken,
    accessExpiresAt: s.accessExpiresAt.toISOString(),
    refreshToken: s.refreshToken,
    refreshExpiresAt: s.refreshExpiresAt.toISOString(),
  });

  app.post(
    "/auth/nonce",
    {
      schema: {
        tags: ["auth"],
        summary: "A Sign-In With Solana message for the wallet to sign",
        body: Type.Object({ address: Pubkey }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            message: Type.String(),
            nonce: Type.String(),
            /** The same fields as `solana:signIn` input, for wallets that write the message themselves. */
            signInInput: Type.Object({
              domain: Type.String(),
              address: Pubkey,
              statement: Type.String(),
              uri: Type.String(),
              version: Type.String(),
              chainId: Type.String(),
              nonce: Type.String(),
              issuedAt: DateTime,
              expirationTime: DateTime,
            }),
          }),
          ...errors(400, 429),
        },
      },
    },
    async (req) => {
      const { message, nonce, fields } = await issueNonce(deps, req.body.address);
      return { message, nonce, signInInput: fields as Required<typeof fields> };
    },
  );

  app.post(
    "/auth/verify",
    {
      schema: {
        tags: ["auth"],
        summary: "Check the signed message and open a session",
        body: VerifyBody,
        response: { 200: SessionResponse, ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      let proof: SignInProof;
      if ("output" in b) {
        proof = {
          message: Buffer.from(b.output.signedMessage, "base64").toString("utf8"),
          signature: Buffer.from(b.output.signature, "base64"),
          address: b.output.account.address,
        };
      } else {
        proof = { message: b.message, signature: bs58.decode(b.signature) };
      }
      if (proof.signature.length !== 64) throw badRequest("BAD_SIGNATURE_ENCODING", "an ed25519 signature is 64 bytes");
      const wallet = await verifySignIn(deps, proof);
      const session = await openSession(deps, wallet, { ip: req.ip, userAgent: req.headers["user-agent"] });
      await auditSession(req, "auth.sign_in", session);
      setCookies(reply, session);
      return body(session);
    },
  );

  app.post(
    "/auth/refresh",
    {
      schema: {
        tags: ["auth"],
        summary: "Rotate the refresh token (cookie or body) for a new access token",
        body: Type.Optional(
          Type.Object({ refreshToken: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
        ),
        response: { 200: SessionResponse, ...errors(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const token = req.body?.refreshToken ?? req.cookies[REFRESH_COOKIE];
      if (!token) throw unauthorized("no refresh token", "REFRESH_INVALID");
      const session = await refreshSession(deps, token);
      await auditSession(req, "auth.refresh", session);
      setCookies(reply, session);
      return body(session);
    },
  );

  app.post(
    "/auth/logout",
    {
      preHandler: can(),
      schema: {
        tags: ["auth"],
        summary: "End this session (its access and refresh tokens stop working)",
        security: SECURED,
        response: { 204: Type.Null(), ...errors(401, 429) },
      },
    },
    async (req, reply) => {
      const me = caller(req);
      await endSession(deps, me.sessionId);
      await audit(deps.prisma, req, { action: "auth.sign_out", resource: `session:${me.sessionId}` });
      reply.clearCookie(ACCESS_COOKIE, { path: "/" }).clearCookie(REFRESH_COOKIE, { path: "/api/v1/auth" });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/auth/session",
    {
      preHandler: can(),
      schema: {
        tags: ["auth"],
        summary: "The signed-in wallet, its roles and permissions",
        security: SECURED,
        response: {
          200: Type.Object({
            wallet: Pubkey,
            roles: Type.Array(Type.String()),
            permissions: Type.Array(Type.String()),
          }),
          ...errors(401, 429),
        },
      },
    },
    async (req) => {
      const me = caller(req);
      return { wallet: me.wallet, roles: me.roles, permissions: [...me.permissions].sort() };
    },
  );
}
