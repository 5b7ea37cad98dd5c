"use client";
// Marketplace actions on chain: list (approve the platform delegate, then confirm), buy
// (the platform co-signed sale, then settle) and cancel (revoke). Buy is disabled while paused.
// The page owns the ChainAction and shows its <TxStatus>: a live event may replace the
// listing (and unmount the button) before the action reports that it is confirmed.
import { useState } from "react";
import { api } from "../lib/api";
import type { BuiltTransaction } from "../lib/chain";
import { formatToken, parseUnits, TOKEN_DECIMALS } from "../lib/format";
import { usePause } from "../lib/pause";
import { useSession } from "../lib/session";
import type { ChainAction } from "../lib/tx";
import type { Currency, Listing } from "../lib/types";
import { Button, Field, inputClass } from "./ui";

export function ListForm({ cardId, action, onDone }: { cardId: string; action: ChainAction; onDone: () => void }) {
  const [currency, setCurrency] = useState<Currency>("USDC");
  const [price, setPrice] = useState("");
  const amount = parseUnits(price, TOKEN_DECIMALS);
  const valid = amount !== null && amount > 0n;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    let listingId = "";
    const ok = await action.run(
      async () => {
        const r = await api<{ listing: Listing; transaction: BuiltTransaction }>("/api/v1/marketplace/listings", {
          method: "POST",
          body: { cardId, currency, price: amount.toString() },
        });
        listingId = r.listing.id;
        return [r.transaction];
      },
      ([signature]) =>
        api(`/api/v1/marketplace/listings/${listingId}/confirm`, { method: "POST", body: { signature } }),
    );
    if (ok) {
      setPrice("");
      onDone();
    }
  };

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="list-form" aria-label="List this card for sale">
      <div className="grid grid-cols-[1fr_auto] gap-2">
        <Field label="Price">
          <input
            className={inputClass}
            inputMode="decimal"
            placeholder="10.00"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            aria-invalid={price !== "" && !valid}
            data-testid="list-price"
          />
        </Field>
        <Field label="Currency">
          <select
            className={inputClass}
            value={currency}
            onChange={(e) => setCurrency(e.target.value as Currency)}
            data-testid="list-currency"
          >
            <option value="USDC">USDC</option>
            <option value="ECE">ECE</option>
          </select>
        </Field>
      </div>
      <Button type="submit" disabled={!valid || action.busy} data-testid="list-submit">
        List for sale
      </Button>
      <p className="text-xs text-slate-500">
        Your wallet approves the platform to move this one card when someone buys it. The card stays in your wallet
        until then.
      </p>
    </form>
  );
}

export function BuyButton({ listing, action, onDone }: { listing: Listing; action: ChainAction; onDone: () => void }) {
  const { session } = useSession();
  const { paused, reason } = usePause();
  const own = session?.wallet === listing.seller;
  const disabledReason = paused
    ? reason
    : own
      ? "This is your listing."
      : listing.approval !== "verified"
        ? "The seller's approval is not confirmed yet."
        : !session
          ? "Sign in to buy."
          : null;

  const buy = async () => {
    const ok = await action.run(
      async () => {
        const r = await api<{ transaction: BuiltTransaction }>(`/api/v1/marketplace/listings/${listing.id}/buy`, {
          method: "POST",
        });
        return [r.transaction];
      },
      ([signature]) =>
        api(`/api/v1/marketplace/listings/${listing.id}/settle`, { method: "POST", body: { signature } }),
    );
    if (ok) onDone();
  };

  return (
    <div>
      <Button
        onClick={buy}
        disabled={!!disabledReason || action.busy || listing.status !== "active"}
        title={disabledReason ?? undefined}
        aria-describedby={disabledReason ? `buy-reason-${listing.id}` : undefined}
        data-testid="buy"
        data-listing-id={listing.id}
        className="w-full"
      >
        {`Buy for ${formatToken(listing.price)} ${listing.currency}`}
      </Button>
      {disabledReason && session && (
        <p id={`buy-reason-${listing.id}`} className="mt-1 text-xs text-slate-400" data-testid="buy-disabled-reason">
          {disabledReason}
        </p>
      )}
    </div>
  );
}

export function CancelButton({
  listing,
  action,
  onDone,
}: {
  listing: Listing;
  action: ChainAction;
  onDone: () => void;
}) {
  const cancel = async () => {
    const ok = await action.run(async () => {
      const r = await api<{ transaction: BuiltTransaction | null }>(
        `/api/v1/marketplace/listings/${listing.id}/cancel`,
        {
          method: "POST",
        },
      );
      // Nothing to revoke when the approval never landed: the cancel is already recorded.
      return r.transaction ? [r.transaction] : [];
    });
    if (ok) onDone();
  };
  return (
    <Button
      variant="ghost"
      onClick={cancel}
      disabled={action.busy}
      data-testid="cancel-listing"
      data-listing-id={listing.id}
    >
      Cancel listing
    </Button>
  );
}
