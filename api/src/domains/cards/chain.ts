// Who holds a card, read from the chain (the mirror in Postgres only remembers
// the last answer). Shared with the marketplace, which checks the seller and
// the delegate approval the same way.
import { decodeTokenAccount } from "@ece/sdk";
import { type Connection, PublicKey } from "@solana/web3.js";

export interface CardHolder {
  /** The token account holding the one token. */
  tokenAccount: PublicKey;
  owner: PublicKey;
  delegate: PublicKey | null;
  delegatedAmount: bigint;
  frozen: boolean;
  /** Slot the answer was read at. */
  slot: number;
}

/** The holder of a card's one token, or null when no account holds it (burned, or not a card mint). */
export async function cardHolder(connection: Connection, mint: PublicKey): Promise<CardHolder | null> {
  const largest = await connection.getTokenLargestAccounts(mint, "confirmed");
  const top = largest.value.find((a) => a.amount === "1");
  if (!top) return null;
  const { context, value } = await connection.getAccountInfoAndContext(top.address, "confirmed");
  const account = value ? decodeTokenAccount(value.data) : null;
  // The largest-accounts answer may be older than the account read: trust only the account.
  if (account?.amount !== 1n || !account.mint.equals(mint)) return null;
  return {
    tokenAccount: top.address,
    owner: account.owner,
    delegate: account.delegate,
    delegatedAmount: account.delegatedAmount,
    frozen: account.state === 2,
    slot: context.slot,
  };
}

export const toKey = (s: string) => new PublicKey(s);
