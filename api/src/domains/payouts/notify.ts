// How the payout cycle tells people: API events (webhook deliveries written at once, so a
// process that exits right after still has them delivered by any API worker; and the live
// bus for open event streams) and in-app notifications. Every announcement carries a key
// derived from what it is about, so a rerun of a step never announces twice.

import type { Queue } from "bullmq";
import type { ApiDeps } from "../../deps.js";
import { publishEvent } from "../events/bus.js";
import { fanOut } from "../webhooks/dispatcher.js";

export type Announcer = (e: { type: string; id: string; data: unknown }) => Promise<void>;

export function announcer(deps: ApiDeps, deliveries: Queue): Announcer {
  return async (e) => {
    const event = await publishEvent(deps, e);
    await fanOut(deps, deliveries, [event]);
  };
}

/** One notification per wallet and key (users are created for wallets that never signed in). */
export async function notifyUsers(
  deps: Pick<ApiDeps, "pool">,
  wallets: string[],
  n: { key: string; kind: string; title: string; body: string; data: Record<string, unknown> },
): Promise<void> {
  if (!wallets.length) return;
  await deps.pool.query(
    `WITH u AS (
       INSERT INTO users (id, wallet, updated_at) SELECT gen_random_uuid(), w, now() FROM unnest($1::text[]) AS w
       ON CONFLICT (wallet) DO UPDATE SET wallet = excluded.wallet RETURNING id)
     INSERT INTO notifications (id, user_id, kind, title, body, data)
     SELECT gen_random_uuid(), u.id, $2, $3, $4, $5::jsonb FROM u
      WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.data->>'key' = $6)`,
    [wallets, n.kind, n.title, n.body, JSON.stringify({ ...n.data, key: n.key }), n.key],
  );
}
