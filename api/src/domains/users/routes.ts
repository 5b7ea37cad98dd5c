// The signed-in user's profile, balances (read from the chain) and notifications;
// admins read any profile and grant off-chain roles.
import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { decodeCursor } from "../../core/cursor.js";
import { badRequest, notFound } from "../../core/errors.js";
import { errors, PageQuery, page } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { caller, can, SECURED } from "../auth/guard.js";
import { rolesOf } from "../auth/roles.js";
import {
  Balances,
  Notification,
  NotificationParams,
  Profile,
  ProfilePatch,
  RolesBody,
  RolesResponse,
  WalletParams,
} from "./schemas.js";
import {
  balancesOf,
  checkPreferences,
  listNotifications,
  notificationOf,
  type ProfileChange,
  profileOf,
  userById,
} from "./service.js";

const tags = ["users"];

export default async function usersRoutes(app: App) {
  const { deps } = app;

  app.get(
    "/users/me",
    {
      preHandler: can("users:profile:read"),
      schema: {
        tags,
        summary: "The signed-in user's profile (roles as carried by the session)",
        security: SECURED,
        response: { 200: Profile, ...errors(401, 403, 404, 429) },
      },
    },
    async (req) => {
      const me = caller(req);
      return profileOf(await userById(deps, me.userId), me.roles);
    },
  );

  app.patch(
    "/users/me",
    {
      preHandler: can("users:profile:write"),
      schema: {
        tags,
        summary: "Change the display name, email or preferences (null clears a field; preferences are replaced)",
        security: SECURED,
        body: ProfilePatch,
        response: { 200: Profile, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const me = caller(req);
      const change = req.body as ProfileChange;
      checkPreferences(change.preferences);
      const before = await userById(deps, me.userId);
      const after = await deps.prisma.$transaction(async (tx) => {
        const u = await tx.user.update({
          where: { id: me.userId },
          data: {
            ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
            ...(change.email !== undefined ? { email: change.email } : {}),
            ...(change.preferences !== undefined ? { preferences: change.preferences as object } : {}),
          },
        });
        const pick = (x: typeof u) => ({ displayName: x.displayName, email: x.email, preferences: x.preferences });
        await audit(tx, req, {
          action: "users.profile.update",
          resource: `user:${me.wallet}`,
          before: pick(before),
          after: pick(u),
        });
        return u;
      });
      return profileOf(after, me.roles);
    },
  );

  app.get(
    "/users/me/balances",
    {
      preHandler: can("users:profile:read"),
      schema: {
        tags,
        summary: "SOL, ECE and USDC of the signed-in wallet, read from the chain at one confirmed slot",
        description:
          "Token balances sum every token account of the mint the wallet owns (the associated account or any other).",
        security: SECURED,
        response: { 200: Balances, ...errors(401, 403, 429) },
      },
    },
    async (req) => balancesOf(deps, caller(req).wallet),
  );

  app.get(
    "/users/me/notifications",
    {
      preHandler: can("users:profile:read"),
      schema: {
        tags,
        summary: "The signed-in user's notifications, newest first",
        security: SECURED,
        querystring: Type.Object(
          { ...PageQuery, unread: Type.Optional(Type.Boolean({ description: "only those not read yet" })) },
          { additionalProperties: false },
        ),
        response: { 200: page(Notification), ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const me = caller(req);
      const after = decodeCursor(req.query.cursor, 2) as [string, string] | null;
      if (after && (Number.isNaN(Date.parse(after[0])) || !/^[0-9a-f-]{36}$/.test(after[1]))) {
        throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
      }
      return listNotifications(deps, me.userId, { limit: req.query.limit ?? 50, after, unread: req.query.unread });
    },
  );

  app.post(
    "/users/me/notifications/:id/read",
    {
      preHandler: can("users:profile:write"),
      schema: {
        tags,
        summary: "Mark one of the signed-in user's notifications read (another user's is not found)",
        security: SECURED,
        params: NotificationParams,
        response: { 200: Notification, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const me = caller(req);
      const { id } = req.params;
      return deps.prisma.$transaction(async (tx) => {
        // Scoped by owner: someone else's notification is indistinguishable from a missing one.
        const n = await tx.notification.findFirst({ where: { id, userId: me.userId } });
        if (!n) throw notFound("notification");
        if (n.readAt) return notificationOf(n);
        const read = await tx.notification.update({ where: { id }, data: { readAt: new Date() } });
        await audit(tx, req, {
          action: "users.notification.read",
          resource: `notification:${id}`,
          before: { readAt: null },
          after: { readAt: read.readAt },
        });
        return notificationOf(read);
      });
    },
  );

  app.get(
    "/users/:wallet",
    {
      preHandler: can("users:profile:read-any"),
      schema: {
        tags,
        summary: "Any user's profile (admins)",
        description:
          "Roles are the stored off-chain roles plus `signer` when the chain mirror lists the wallet as a treasury member.",
        security: SECURED,
        params: WalletParams,
        response: { 200: Profile, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const u = await deps.prisma.user.findUnique({ where: { wallet: req.params.wallet } });
      if (!u) throw notFound("user");
      return profileOf(u, await rolesOf(deps, u.wallet, u.roles));
    },
  );

  app.put(
    "/users/:wallet/roles",
    {
      preHandler: can("users:role:assign"),
      schema: {
        tags,
        summary: "Set a user's off-chain roles (admins)",
        description:
          "Sets the roles user, auditor, developer and admin (`user` is always kept). `signer` is refused: only " +
          "membership of the treasury multisig on chain grants it. Sessions carry their roles, so a change takes " +
          "effect at the user's next sign-in or token refresh; access tokens already issued keep their roles until " +
          "they expire. Wallets listed in ADMIN_WALLETS get admin back at their next sign-in.",
        security: SECURED,
        params: WalletParams,
        body: RolesBody,
        response: { 200: RolesResponse, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const { roles } = req.body;
      if (roles.includes("signer")) {
        throw badRequest(
          "ROLE_FROM_CHAIN",
          "signer is granted by membership of the treasury multisig on chain, not here",
        );
      }
      const next = ["user", ...roles.filter((r) => r !== "user")] as Array<"user" | "auditor" | "developer" | "admin">;
      return deps.prisma.$transaction(async (tx) => {
        const u = await tx.user.findUnique({ where: { wallet: req.params.wallet } });
        if (!u) throw notFound("user");
        const updated = await tx.user.update({ where: { id: u.id }, data: { roles: { set: next } } });
        await audit(tx, req, {
          action: "users.roles.set",
          resource: `user:${u.wallet}`,
          before: { roles: u.roles },
          after: { roles: updated.roles },
        });
        return { wallet: u.wallet, roles: updated.roles };
      });
    },
  );
}
