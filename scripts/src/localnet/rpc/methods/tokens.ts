// SPL Token reads: balances, supplies, accounts by owner or delegate.
import {
  isTokenProgram,
  readMint,
  readTokenAccount,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
  uiTokenAmount,
} from "../../token.js";
import { accountView, decimalsReader, encodeAccount } from "../encode.js";
import { invalidParams } from "../errors.js";
import type { MethodTable, RpcContext } from "../methods.js";
import { checkMinContextSlot, commitment, config, context, type Params, pubkey, required } from "../params.js";

export function tokenMethods({ ledger }: RpcContext): MethodTable {
  const decimalsOf = decimalsReader((k) => ledger.accounts.current(k));

  /** Token accounts whose `field` (owner or delegate) is `who`, for getTokenAccountsBy*. */
  const accountsBy = (field: "owner" | "delegate") => (params: Params) => {
    const who = pubkey(required(params, 0));
    const filter = required(params, 1) as Record<string, unknown> | null;
    if (!filter || typeof filter !== "object" || (filter.mint === undefined) === (filter.programId === undefined)) {
      throw invalidParams("Invalid params: expected exactly one of `mint` or `programId` in the filter.");
    }
    const mint = filter.mint !== undefined ? pubkey(filter.mint) : null;
    const programId = filter.programId !== undefined ? pubkey(filter.programId) : null;
    if (programId && !isTokenProgram(programId)) {
      throw invalidParams(`Invalid param: unrecognized Token program id`);
    }
    const cfg = config(params, 2);
    const c = commitment(cfg);
    const view = accountView(cfg, "binary");
    const slot = checkMinContextSlot(cfg, ledger, c);
    const at = ledger.viewSlot(c);
    let programs = programId ? [programId] : [TOKEN_PROGRAM, TOKEN_2022_PROGRAM];
    if (mint) {
      const mintAccount = ledger.accounts.at(mint, at);
      if (!readMint(mintAccount)) throw invalidParams("Invalid param: could not find mint");
      programs = [mintAccount?.owner ?? TOKEN_PROGRAM];
    }
    const value = programs.flatMap((p) =>
      ledger.accounts
        .owned(p, at)
        .filter(([, a]) => {
          const t = readTokenAccount(a);
          return t !== null && t[field] === who && (mint === null || t.mint === mint);
        })
        .map(([key, a]) => ({ pubkey: key, account: encodeAccount(a, view, decimalsOf) })),
    );
    return { context: context(slot), value };
  };

  return {
    getTokenAccountBalance: (params) => {
      const key = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = commitment(cfg);
      const slot = checkMinContextSlot(cfg, ledger, c);
      const account = readTokenAccount(ledger.accounts.at(key, ledger.viewSlot(c)));
      if (!account) throw invalidParams("Invalid param: not a Token account");
      const decimals = decimalsOf(account.mint);
      if (decimals === null) throw invalidParams("Invalid param: could not find mint");
      return { context: context(slot), value: uiTokenAmount(account.amount, decimals) };
    },
    getTokenSupply: (params) => {
      const key = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = commitment(cfg);
      const slot = checkMinContextSlot(cfg, ledger, c);
      const mint = readMint(ledger.accounts.at(key, ledger.viewSlot(c)));
      if (!mint) throw invalidParams("Invalid param: not a Token mint");
      return { context: context(slot), value: uiTokenAmount(mint.supply, mint.decimals) };
    },
    getTokenLargestAccounts: (params) => {
      const key = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = commitment(cfg);
      const slot = checkMinContextSlot(cfg, ledger, c);
      const at = ledger.viewSlot(c);
      const mintAccount = ledger.accounts.at(key, at);
      const mint = readMint(mintAccount);
      if (!mint || !mintAccount) throw invalidParams("Invalid param: not a Token mint");
      const holders = ledger.accounts
        .owned(mintAccount.owner, at)
        .flatMap(([address, a]) => {
          const t = readTokenAccount(a);
          return t && t.mint === key ? [{ address, amount: t.amount }] : [];
        })
        .sort((x, y) => (y.amount > x.amount ? 1 : y.amount < x.amount ? -1 : 0))
        .slice(0, 20)
        .map((h) => ({ address: h.address, ...uiTokenAmount(h.amount, mint.decimals) }));
      return { context: context(slot), value: holders };
    },
    getTokenAccountsByOwner: accountsBy("owner"),
    getTokenAccountsByDelegate: accountsBy("delegate"),
  };
}
