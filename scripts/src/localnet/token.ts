// SPL Token (and Token-2022 base layout) accounts and mints, read from raw data:
// for token balances in transaction metadata, token RPC methods and jsonParsed.
import bs58 from "bs58";
import type { AccountState } from "./accounts.js";

export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
const ACCOUNT_LEN = 165;
const MINT_LEN = 82;

export function isTokenProgram(owner: string): boolean {
  return owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;
}

export interface TokenAccount {
  mint: string;
  owner: string;
  amount: bigint;
  delegate: string | null;
  state: "uninitialized" | "initialized" | "frozen";
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: string | null;
}

export interface Mint {
  mintAuthority: string | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: string | null;
}

function view(d: Uint8Array): DataView {
  return new DataView(d.buffer, d.byteOffset, d.byteLength);
}

function optionKey(d: Uint8Array, at: number): string | null {
  return view(d).getUint32(at, true) === 1 ? bs58.encode(d.subarray(at + 4, at + 36)) : null;
}

/** Token-2022 marks extended accounts with a type byte after the base account. */
function kind(d: Uint8Array): "account" | "mint" | null {
  if (d.length === ACCOUNT_LEN) return "account";
  if (d.length === MINT_LEN) return "mint";
  if (d.length > ACCOUNT_LEN) return d[ACCOUNT_LEN] === 2 ? "account" : d[ACCOUNT_LEN] === 1 ? "mint" : null;
  return null;
}

export function readTokenAccount(a: AccountState | null): TokenAccount | null {
  if (!a || !isTokenProgram(a.owner) || kind(a.data) !== "account") return null;
  const d = a.data;
  const v = view(d);
  const state = d[108];
  if (state === 0 || state === undefined || state > 2) return null;
  return {
    mint: bs58.encode(d.subarray(0, 32)),
    owner: bs58.encode(d.subarray(32, 64)),
    amount: v.getBigUint64(64, true),
    delegate: optionKey(d, 72),
    state: state === 2 ? "frozen" : "initialized",
    isNative: v.getUint32(109, true) === 1 ? v.getBigUint64(113, true) : null,
    delegatedAmount: v.getBigUint64(121, true),
    closeAuthority: optionKey(d, 129),
  };
}

export function readMint(a: AccountState | null): Mint | null {
  if (!a || !isTokenProgram(a.owner) || kind(a.data) !== "mint") return null;
  const d = a.data;
  if (d[45] !== 1) return null;
  return {
    mintAuthority: optionKey(d, 0),
    supply: view(d).getBigUint64(36, true),
    decimals: d[44] ?? 0,
    isInitialized: true,
    freezeAuthority: optionKey(d, 46),
  };
}

export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

/** Agave's UiTokenAmount: the decimal string trimmed of trailing zeros. */
export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const digits = amount.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  const uiAmountString = frac ? `${whole}.${frac}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}

/** jsonParsed form of a token account or mint, as Agave's account decoder writes it. */
export function parsedTokenData(a: AccountState, decimalsOf: (mint: string) => number | null): unknown {
  const account = readTokenAccount(a);
  if (account) {
    const decimals = decimalsOf(account.mint) ?? 0;
    const info: Record<string, unknown> = {
      isNative: account.isNative !== null,
      mint: account.mint,
      owner: account.owner,
      state: account.state,
      tokenAmount: uiTokenAmount(account.amount, decimals),
    };
    if (account.delegate) {
      info.delegate = account.delegate;
      info.delegatedAmount = uiTokenAmount(account.delegatedAmount, decimals);
    }
    if (account.isNative !== null) info.rentExemptReserve = uiTokenAmount(account.isNative, decimals);
    if (account.closeAuthority) info.closeAuthority = account.closeAuthority;
    return { program: programName(a.owner), parsed: { info, type: "account" }, space: a.data.length };
  }
  const mint = readMint(a);
  if (mint) {
    return {
      program: programName(a.owner),
      parsed: {
        info: {
          decimals: mint.decimals,
          freezeAuthority: mint.freezeAuthority,
          isInitialized: mint.isInitialized,
          mintAuthority: mint.mintAuthority,
          supply: mint.supply.toString(),
        },
        type: "mint",
      },
      space: a.data.length,
    };
  }
  return null;
}

function programName(owner: string): string {
  return owner === TOKEN_PROGRAM ? "spl-token" : "spl-token-2022";
}
