// Marketplace transactions: the seller approves the platform's settlement
// delegate for its one card token; a sale is one atomic transaction where the
// buyer pays the seller and the treasury vault and the delegate moves the card.
import {
  createApproveCheckedInstruction,
  createAssociatedTokenAccountIdempotentInstruction,
  createRevokeInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";

/** The platform fee of a price: floor(price × bps / 10,000). */
export function feeOf(price: bigint, feeBps: number): bigint {
  return (price * BigInt(feeBps)) / 10_000n;
}

/** Seller approves `delegate` for exactly the one token of the card. */
export function approveListingIx(p: {
  seller: PublicKey;
  tokenAccount: PublicKey;
  cardMint: PublicKey;
  delegate: PublicKey;
}): TransactionInstruction {
  return createApproveCheckedInstruction(p.tokenAccount, p.cardMint, p.delegate, p.seller, 1n, 0);
}

/** Seller withdraws the delegate's approval. */
export function revokeListingIx(p: { seller: PublicKey; tokenAccount: PublicKey }): TransactionInstruction {
  return createRevokeInstruction(p.tokenAccount, p.seller);
}

export interface BuyParams {
  buyer: PublicKey;
  seller: PublicKey;
  /** The seller's token account holding the card (the delegate's source). */
  sellerCardAccount: PublicKey;
  cardMint: PublicKey;
  delegate: PublicKey;
  currencyMint: PublicKey;
  currencyDecimals: number;
  /** Treasury vault (a token account of `currencyMint`) the fee goes to. */
  vault: PublicKey;
  price: bigint;
  fee: bigint;
}

/**
 * The sale, in order: the buyer's card account and the seller's currency
 * account are created if missing (buyer pays), the buyer pays price − fee to
 * the seller and the fee to the vault, then the delegate moves the card. Any
 * failing step fails them all. Signers: buyer (fee payer) and delegate.
 */
export function buyIxs(p: BuyParams): TransactionInstruction[] {
  if (p.fee < 0n || p.fee > p.price) throw new Error("fee must be between 0 and the price");
  const buyerPay = getAssociatedTokenAddressSync(p.currencyMint, p.buyer);
  const sellerPay = getAssociatedTokenAddressSync(p.currencyMint, p.seller);
  const buyerCard = getAssociatedTokenAddressSync(p.cardMint, p.buyer);
  const transfer = createTransferCheckedInstruction;
  const ixs = [
    createAssociatedTokenAccountIdempotentInstruction(p.buyer, buyerCard, p.buyer, p.cardMint),
    createAssociatedTokenAccountIdempotentInstruction(p.buyer, sellerPay, p.seller, p.currencyMint),
    transfer(buyerPay, p.currencyMint, sellerPay, p.buyer, p.price - p.fee, p.currencyDecimals),
  ];
  if (p.fee > 0n) ixs.push(transfer(buyerPay, p.currencyMint, p.vault, p.buyer, p.fee, p.currencyDecimals));
  ixs.push(transfer(p.sellerCardAccount, p.cardMint, buyerCard, p.delegate, 1n, 0));
  return ixs;
}

/** A token balance as getTransaction reports it (pre or post). */
export interface TxTokenBalance {
  accountIndex: number;
  mint: string;
  owner?: string;
  uiTokenAmount: { amount: string };
}

export interface BalanceChange {
  account: string;
  mint: string;
  owner: string | null;
  pre: bigint;
  post: bigint;
}

/** Per token account: owner, balance before and after (accounts missing on one side count as 0). */
export function tokenBalanceChanges(
  accountKeys: string[],
  pre: TxTokenBalance[] | null | undefined,
  post: TxTokenBalance[] | null | undefined,
): BalanceChange[] {
  const byIndex = new Map<number, BalanceChange>();
  const at = (b: TxTokenBalance) => {
    let c = byIndex.get(b.accountIndex);
    if (!c) {
      c = { account: accountKeys[b.accountIndex] ?? "?", mint: b.mint, owner: b.owner ?? null, pre: 0n, post: 0n };
      byIndex.set(b.accountIndex, c);
    }
    if (b.owner) c.owner = b.owner;
    return c;
  };
  for (const b of pre ?? []) at(b).pre = BigInt(b.uiTokenAmount.amount);
  for (const b of post ?? []) at(b).post = BigInt(b.uiTokenAmount.amount);
  return [...byIndex.values()];
}

export interface ExpectedSale {
  seller: string;
  buyer: string;
  cardMint: string;
  currencyMint: string;
  vault: string;
  price: bigint;
  fee: bigint;
}

/**
 * What is wrong with a transaction's token balance changes for this sale
 * (empty when the card went from seller to buyer, the seller received
 * price − fee, the vault the fee and the buyer paid the price).
 */
export function saleMismatches(changes: BalanceChange[], e: ExpectedSale): string[] {
  const problems: string[] = [];
  const delta = (pred: (c: BalanceChange) => boolean) =>
    changes.filter(pred).reduce((s, c) => s + (c.post - c.pre), 0n);
  const card = (owner: string) => delta((c) => c.mint === e.cardMint && c.owner === owner);
  const paid = (pred: (c: BalanceChange) => boolean) => delta((c) => c.mint === e.currencyMint && pred(c));
  if (card(e.seller) !== -1n) problems.push("the seller's card balance did not go down by 1");
  if (card(e.buyer) !== 1n) problems.push("the buyer's card balance did not go up by 1");
  const toSeller = paid((c) => c.owner === e.seller);
  if (toSeller !== e.price - e.fee) problems.push(`the seller received ${toSeller}, not ${e.price - e.fee}`);
  const toVault = paid((c) => c.account === e.vault);
  if (toVault !== e.fee) problems.push(`the vault received ${toVault}, not ${e.fee}`);
  const byBuyer = paid((c) => c.owner === e.buyer);
  if (byBuyer !== -e.price) problems.push(`the buyer paid ${-byBuyer}, not ${e.price}`);
  return problems;
}
