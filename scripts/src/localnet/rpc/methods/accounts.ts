// Account reads: balances, accounts, program accounts.
import type { AccountState } from "../../accounts.js";
import { accountFilters, accountView, decimalsReader, encodeAccount } from "../encode.js";
import { invalidParams } from "../errors.js";
import type { MethodTable, RpcContext } from "../methods.js";
import { bool, checkMinContextSlot, commitment, config, context, pubkey, required } from "../params.js";

export const MAX_MULTIPLE_ACCOUNTS = 100;

export function accountMethods({ ledger }: RpcContext): MethodTable {
  const decimalsOf = decimalsReader((k) => ledger.accounts.current(k));
  return {
    getBalance: (params) => {
      const key = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = commitment(cfg);
      const slot = checkMinContextSlot(cfg, ledger, c);
      const a = ledger.accounts.at(key, ledger.viewSlot(c));
      return { context: context(slot), value: Number(a?.lamports ?? 0n) };
    },
    getAccountInfo: (params) => {
      const key = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = commitment(cfg);
      // Agave's default here is the legacy "binary" form: a bare base58 string.
      const view = accountView(cfg, "binary");
      const slot = checkMinContextSlot(cfg, ledger, c);
      const a = ledger.accounts.at(key, ledger.viewSlot(c));
      return { context: context(slot), value: a ? encodeAccount(a, view, decimalsOf) : null };
    },
    getMultipleAccounts: (params) => {
      const raw = required(params, 0);
      if (!Array.isArray(raw)) throw invalidParams("Invalid params: invalid type, expected a sequence.");
      if (raw.length > MAX_MULTIPLE_ACCOUNTS) {
        throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
      }
      const keys = raw.map(pubkey);
      const cfg = config(params, 1);
      const c = commitment(cfg);
      const view = accountView(cfg, "base64");
      const slot = checkMinContextSlot(cfg, ledger, c);
      const at = ledger.viewSlot(c);
      const value = keys.map((k) => {
        const a = ledger.accounts.at(k, at);
        return a ? encodeAccount(a, view, decimalsOf) : null;
      });
      return { context: context(slot), value };
    },
    getProgramAccounts: (params) => {
      const program = pubkey(required(params, 0));
      const cfg = config(params, 1);
      const c = commitment(cfg);
      const view = accountView(cfg, "binary");
      const filters = accountFilters(cfg.filters);
      const slot = checkMinContextSlot(cfg, ledger, c);
      const matches = (a: AccountState) => filters.every((f) => f(a));
      const value = ledger.accounts
        .owned(program, ledger.viewSlot(c))
        .filter(([, a]) => matches(a))
        .map(([key, a]) => ({ pubkey: key, account: encodeAccount(a, view, decimalsOf) }));
      const withContext = cfg.withContext === undefined ? false : bool(cfg.withContext);
      return withContext ? { context: context(slot), value } : value;
    },
  };
}
