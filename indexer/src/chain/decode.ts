import {
  decodeIdlInstruction,
  decodeLoggedEvents,
  decodeProgramError,
  decodeTokenInstruction,
  ECE_IDLS,
  type LoggedEvent,
  SPL_TOKEN_PROGRAM_ID,
} from "@ece/sdk";
import bs58 from "bs58";
import type { RpcInstruction, RpcTransaction } from "./rpc-types.js";

export interface InstructionRow {
  index: number;
  /** -1 for a top-level instruction. */
  innerIndex: number;
  program: string;
  name: string | null;
  args: Record<string, unknown> | null;
  accounts: string[];
  amount: bigint | null;
  mint: string | null;
  stackHeight: number | null;
}

export interface TokenBalance {
  account: string;
  mint: string;
  owner: string | null;
  amount: bigint;
}

/** One transaction as the mirror stores it. */
export interface IndexedTx {
  signature: string;
  slot: bigint;
  blockTime: Date | null;
  success: boolean;
  error: unknown;
  errorName: string | null;
  fee: bigint;
  computeUnits: bigint | null;
  signer: string;
  signers: string[];
  /** ECE programs invoked, top level or by CPI. */
  programs: string[];
  program: string | null;
  instruction: string | null;
  accounts: string[];
  logs: string[];
  instructions: InstructionRow[];
  /** Events of successful transactions only: a failed one changed nothing. */
  events: LoggedEvent[];
  postTokenBalances: TokenBalance[];
}

export interface Skip {
  signature: string;
  what: "instruction" | "event";
  program: string;
  reason: string;
}

const TOKEN_PROGRAM = SPL_TOKEN_PROGRAM_ID.toBase58();

/**
 * Decodes a `getTransaction` reply: every instruction (top level and inner),
 * ECE instructions and events by the IDLs, SPL Token amounts, the error by
 * name. What does not decode is reported to `onSkip` and stored undecoded —
 * another program can put anything in an instruction that names our accounts.
 */
export function decodeTransaction(raw: RpcTransaction, onSkip: (s: Skip) => void): IndexedTx {
  const { message, signatures } = raw.transaction;
  const meta = raw.meta;
  const signature = signatures[0] ?? "";
  const keys = [
    ...message.accountKeys,
    ...(meta?.loadedAddresses?.writable ?? []),
    ...(meta?.loadedAddresses?.readonly ?? []),
  ];
  const logs = meta?.logMessages ?? [];
  const success = meta !== null && (meta.err === null || meta.err === undefined);

  const mintOfAccount = new Map<number, string>();
  for (const b of [...(meta?.preTokenBalances ?? []), ...(meta?.postTokenBalances ?? [])])
    mintOfAccount.set(b.accountIndex, b.mint);

  const decode = (ix: RpcInstruction, index: number, innerIndex: number): InstructionRow => {
    const program = keys[ix.programIdIndex] ?? "";
    const accounts = ix.accounts.map((i) => keys[i] ?? "");
    const row: InstructionRow = {
      index,
      innerIndex,
      program,
      name: null,
      args: null,
      accounts,
      amount: null,
      mint: null,
      stackHeight: ix.stackHeight ?? null,
    };
    let data: Uint8Array;
    try {
      data = bs58.decode(ix.data);
    } catch {
      onSkip({ signature, what: "instruction", program, reason: "data is not base58" });
      return row;
    }
    const idl = ECE_IDLS.get(program);
    if (idl) {
      const decoded = decodeIdlInstruction(idl, data);
      if (decoded) {
        row.name = decoded.name;
        row.args = decoded.args;
        const amount = decoded.args.amount ?? decoded.args.total_amount;
        if (typeof amount === "string") row.amount = BigInt(amount);
      } else onSkip({ signature, what: "instruction", program, reason: "does not match the program's IDL" });
    } else if (program === TOKEN_PROGRAM) {
      const t = decodeTokenInstruction(data);
      if (t) {
        row.name = t.name;
        row.amount = t.amount ?? null;
        row.args = t.amount === undefined ? {} : { amount: t.amount.toString() };
        // Transfers do not name the mint: the token balances of the source account do.
        const source = t.sourceAccount === undefined ? undefined : ix.accounts[t.sourceAccount];
        row.mint =
          t.mintAccount !== undefined
            ? (accounts[t.mintAccount] ?? null)
            : source === undefined
              ? null
              : (mintOfAccount.get(source) ?? null);
      }
    }
    return row;
  };

  const instructions: InstructionRow[] = [];
  message.instructions.forEach((ix, i) => {
    instructions.push(decode(ix, i, -1));
    const inner = meta?.innerInstructions?.find((x) => x.index === i);
    inner?.instructions.forEach((innerIx, j) => {
      instructions.push(decode(innerIx, i, j));
    });
  });

  const events = success
    ? decodeLoggedEvents(logs, ECE_IDLS, (program, _line, reason) =>
        onSkip({ signature, what: "event", program, reason }),
      )
    : [];
  const programs = [...new Set(instructions.map((i) => i.program).filter((p) => ECE_IDLS.has(p)))];
  const first = instructions.find((i) => ECE_IDLS.has(i.program));
  const numSigners = message.header.numRequiredSignatures;
  return {
    signature,
    slot: BigInt(raw.slot),
    blockTime: raw.blockTime === null ? null : new Date(raw.blockTime * 1000),
    success,
    error: success ? null : (meta?.err ?? "missing transaction meta"),
    errorName: success ? null : (decodeProgramError(logs, ECE_IDLS)?.name ?? null),
    fee: BigInt(meta?.fee ?? 0),
    computeUnits: meta?.computeUnitsConsumed === undefined ? null : BigInt(meta.computeUnitsConsumed),
    signer: keys[0] ?? "",
    signers: keys.slice(0, numSigners),
    programs,
    program: first?.program ?? null,
    instruction: first?.name ?? null,
    accounts: keys,
    logs,
    instructions,
    events,
    postTokenBalances: (meta?.postTokenBalances ?? []).map((b) => ({
      account: keys[b.accountIndex] ?? "",
      mint: b.mint,
      owner: b.owner ?? null,
      amount: BigInt(b.uiTokenAmount.amount),
    })),
  };
}
