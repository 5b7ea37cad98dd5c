// Sales that landed but were never settled (the buyer's app closed after sending) are
// found on chain and recorded: for each active listing whose seller no longer holds the
// card, the card mint's recent transactions are tried as its sale, with settle's own
// checks. A card that left the seller without a sale ends its listing.
import { PublicKey } from "@solana/web3.js";
import { audit, systemActor } from "../../core/audit.js";
import { ApiError } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { cardHolder } from "../cards/chain.js";
import { settleListing } from "./service.js";

export async function sweepListings(deps: ApiDeps): Promise<{ settled: number; ended: number }> {
  const actor = systemActor("marketplace-sweep");
  const active = await deps.prisma.listing.findMany({
    where: { status: "active", approveSignature: { not: null } },
    include: { card: { select: { mint: true } } },
    orderBy: { updatedAt: "asc" },
    take: 50,
  });
  let settled = 0;
  let ended = 0;
  for (const l of active) {
    const mint = new PublicKey(l.card.mint);
    const holder = await cardHolder(deps.connection, mint);
    if (holder?.owner.toBase58() === l.seller) continue;
    const recent = await deps.connection.getSignaturesForAddress(mint, { limit: 20 }, "confirmed");
    let sold = false;
    for (const { signature, err } of recent.reverse()) {
      if (err) continue;
      try {
        await settleListing(deps, actor, l.id, signature);
        sold = true;
        break;
      } catch (e) {
        // Not this listing's sale (another transfer of the card, an earlier sale): try the next.
        if (!(e instanceof ApiError && e.statusCode === 409)) throw e;
      }
    }
    if (sold) {
      settled++;
      continue;
    }
    const { count } = await deps.prisma.listing.updateMany({
      where: { id: l.id, status: "active" },
      data: { status: "cancelled" },
    });
    if (count) {
      ended++;
      await audit(deps.prisma, actor, {
        action: "marketplace.listing.ended",
        resource: `listing:${l.id}`,
        before: { status: "active" },
        after: { status: "cancelled", reason: "the card left the seller without a sale through the platform" },
      });
    }
  }
  return { settled, ended };
}
