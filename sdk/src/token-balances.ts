// SPL Token balances read from the chain: every holder of a mint (vote snapshots)
// and one wallet's balance of some mints (profiles, ownership checks), each with
// the slot it was read at.
import { ACCOUNT_SIZE, AccountLayout } from "@solana/spl-token";
import type { Commitment, Connection, PublicKey } from "@solana/web3.js";
import { SPL_TOKEN_PROGRAM_ID } from "./ids.js";

/** The fields of an SPL token account the platform reads. */
export interface TokenAccountView {
  mint: PublicKey;
  owner: PublicKey;
  amount: bigint;
  delegate: PublicKey | null;
  delegatedAmount: bigint;
  /** 0 uninitialized, 1 initialized, 2 frozen. */
  state: number;
}

/** An SPL Token account's data, decoded; null if it is not one. */
export function decodeTokenAccount(data: Uint8Array): TokenAccountView | null {
  if (data.length !== ACCOUNT_SIZE) return null;
  const a = AccountLayout.decode(data);
  return {
    mint: a.mint,
    owner: a.owner,
    amount: a.amount,
    delegate: a.delegateOption ? a.delegate : null,
    delegatedAmount: a.delegatedAmount,
    state: a.state,
  };
}

/**
 * Every holder of `mint` at one slot: token accounts summed by owner (an owner may
 * hold several accounts of the mint), zero balances left out. One getProgramAccounts
 * call, so the balances are those of a single slot (the context slot returned).
 */
export async function tokenHolders(
  connection: Connection,
  mint: PublicKey,
  commitment: Commitment = "confirmed",
  programId: PublicKey = SPL_TOKEN_PROGRAM_ID,
): Promise<{ slot: number; holders: Map<string, bigint> }> {
  const res = await connection.getProgramAccounts(programId, {
    commitment,
    withContext: true,
    filters: [{ dataSize: ACCOUNT_SIZE }, { memcmp: { offset: 0, bytes: mint.toBase58() } }],
  });
  const holders = new Map<string, bigint>();
  for (const { account } of res.value) {
    const t = decodeTokenAccount(account.data);
    if (!t?.mint.equals(mint) || t.amount === 0n) continue;
    const owner = t.owner.toBase58();
    holders.set(owner, (holders.get(owner) ?? 0n) + t.amount);
  }
  return { slot: res.context.slot, holders };
}

/**
 * What `owner` holds of each of `mints`, summed over all its token accounts (the
 * associated one or any other), read in one call at one slot.
 */
export async function walletTokenBalances(
  connection: Connection,
  owner: PublicKey,
  mints: PublicKey[],
  commitment: Commitment = "confirmed",
  programId: PublicKey = SPL_TOKEN_PROGRAM_ID,
): Promise<{ slot: number; amounts: Map<string, { amount: bigint; accounts: number }> }> {
  const res = await connection.getTokenAccountsByOwner(owner, { programId }, commitment);
  const amounts = new Map(mints.map((m) => [m.toBase58(), { amount: 0n, accounts: 0 }]));
  for (const { account } of res.value) {
    const t = decodeTokenAccount(account.data);
    const entry = t && amounts.get(t.mint.toBase58());
    if (!t || !entry || !t.owner.equals(owner)) continue;
    entry.amount += t.amount;
    entry.accounts += 1;
  }
  return { slot: res.context.slot, amounts };
}
