// Profiles, roles, balances from the chain, and notifications.
import type { Notification as NotificationRow, User } from "@ece/db";
import { walletTokenBalances } from "@ece/sdk";
import { PublicKey } from "@solana/web3.js";
import { encodeCursor } from "../../core/cursor.js";
import { badRequest, notFound } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { currencies } from "../../platform.js";
import { PREFERENCES_MAX_BYTES } from "./schemas.js";

export function profileOf(u: User, roles: readonly string[]) {
  return {
    wallet: u.wallet,
    displayName: u.displayName,
    email: u.email,
    roles: [...roles],
    kycStatus: u.kycStatus,
    preferences: (u.preferences ?? {}) as Record<string, unknown>,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function userById(deps: ApiDeps, id: string): Promise<User> {
  const u = await deps.prisma.user.findUnique({ where: { id } });
  if (!u) throw notFound("user");
  return u;
}

export interface ProfileChange {
  displayName?: string | null;
  email?: string | null;
  preferences?: Record<string, unknown>;
}

/** True if a JSON value holds a NUL character in a key or string (Postgres jsonb refuses \u0000). */
function hasNul(v: unknown): boolean {
  if (typeof v === "string") return v.includes("\u0000");
  if (Array.isArray(v)) return v.some(hasNul);
  if (v !== null && typeof v === "object") {
    return Object.entries(v).some(([k, x]) => k.includes("\u0000") || hasNul(x));
  }
  return false;
}

export function checkPreferences(p: Record<string, unknown> | undefined): void {
  if (p === undefined) return;
  if (hasNul(p)) throw badRequest("PREFERENCES_INVALID", "preferences cannot hold NUL characters");
  const bytes = Buffer.byteLength(JSON.stringify(p));
  if (bytes > PREFERENCES_MAX_BYTES) {
    throw badRequest(
      "PREFERENCES_TOO_LARGE",
      `preferences take ${bytes} bytes of JSON, at most ${PREFERENCES_MAX_BYTES}`,
    );
  }
}

/** SOL, ECE and USDC of a wallet, all read at one confirmed slot. */
export async function balancesOf(deps: ApiDeps, wallet: string) {
  const owner = new PublicKey(wallet);
  const cur = currencies(deps.platform);
  const mints = [cur.ECE.mint, cur.USDC.mint];
  // Two RPC calls may land on different slots: read again until they agree, so the
  // answer is one slot's state (a few tries; the node advances a slot every ~400 ms).
  for (let attempt = 0; ; attempt++) {
    const tokens = await walletTokenBalances(deps.connection, owner, mints, "confirmed");
    const sol = await deps.connection.getBalanceAndContext(owner, {
      commitment: "confirmed",
      minContextSlot: tokens.slot,
    });
    if (sol.context.slot === tokens.slot || attempt >= 4) {
      const token = (c: { mint: PublicKey; decimals: number }) => {
        const a = tokens.amounts.get(c.mint.toBase58()) ?? { amount: 0n, accounts: 0 };
        return { mint: c.mint.toBase58(), amount: a.amount.toString(), decimals: c.decimals, accounts: a.accounts };
      };
      return {
        wallet,
        slot: sol.context.slot,
        sol: { lamports: String(sol.value) },
        ece: token(cur.ECE),
        usdc: token(cur.USDC),
      };
    }
  }
}

export function notificationOf(n: NotificationRow) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}

/** Newest first; the cursor is the (createdAt, id) of the last item. */
export async function listNotifications(
  deps: ApiDeps,
  userId: string,
  q: { limit: number; after: [string, string] | null; unread?: boolean },
) {
  const rows = await deps.prisma.notification.findMany({
    where: {
      userId,
      ...(q.unread ? { readAt: null } : {}),
      ...(q.after
        ? {
            OR: [
              { createdAt: { lt: new Date(q.after[0]) } },
              { createdAt: new Date(q.after[0]), id: { lt: q.after[1] } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map(notificationOf),
    nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}
