// The indexer's transaction decoder on getTransaction replies shaped like the
// node's, including what other programs and broken logs can put in them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ECE_PAUSE_PROGRAM_ID, ECE_TOKEN_PROGRAM_ID, ECE_TREASURY_PROGRAM_ID, SPL_TOKEN_PROGRAM_ID } from "@ece/sdk";
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";
import { decodeTransaction, type Skip } from "../../indexer/src/chain/decode.js";
import type { RpcInstruction, RpcTransaction } from "../../indexer/src/chain/rpc-types.js";

const PAUSE = ECE_PAUSE_PROGRAM_ID.toBase58();
const TOKEN = ECE_TOKEN_PROGRAM_ID.toBase58();
const TREASURY = ECE_TREASURY_PROGRAM_ID.toBase58();
const SPL = SPL_TOKEN_PROGRAM_ID.toBase58();
const key = () => Keypair.generate().publicKey.toBase58();
const disc = (s: string) => createHash("sha256").update(s).digest().subarray(0, 8);

function pausedEvent(by: string, reason: number, slot: bigint): string {
  const b = Buffer.alloc(8 + 32 + 2 + 8);
  disc("event:Paused").copy(b, 0);
  bs58.decode(by).forEach((x, i) => {
    b[8 + i] = x;
  });
  b.writeUInt16LE(reason, 40);
  b.writeBigUInt64LE(slot, 42);
  return `Program data: ${b.toString("base64")}`;
}

function tx(p: {
  keys: string[];
  instructions: { program: number; accounts: number[]; data: Uint8Array | string }[];
  logs: string[];
  err?: unknown;
  inner?: { index: number; instructions: RpcInstruction[] }[];
  tokenBalances?: { accountIndex: number; mint: string; amount: string }[];
}): RpcTransaction {
  return {
    slot: 42,
    blockTime: 1_800_000_000,
    transaction: {
      signatures: [bs58.encode(Buffer.alloc(64, 7))],
      message: {
        accountKeys: p.keys,
        header: { numRequiredSignatures: 1 },
        instructions: p.instructions.map((i) => ({
          programIdIndex: i.program,
          accounts: i.accounts,
          data: typeof i.data === "string" ? i.data : bs58.encode(i.data),
        })),
      },
    },
    meta: {
      err: p.err ?? null,
      fee: 5000,
      logMessages: p.logs,
      innerInstructions: p.inner ?? [],
      preTokenBalances: [],
      postTokenBalances: (p.tokenBalances ?? []).map((b) => ({
        accountIndex: b.accountIndex,
        mint: b.mint,
        uiTokenAmount: { amount: b.amount, decimals: 6 },
      })),
      computeUnitsConsumed: 1234,
    },
  };
}

describe("indexer: transaction decoding", () => {
  it("decodes ECE instructions by the IDL and events in log order, a CPI's events under the callee", () => {
    const guardian = key();
    const pauseIx = Buffer.concat([disc("global:pause"), Buffer.from([3, 0])]);
    const skips: Skip[] = [];
    const t = decodeTransaction(
      tx({
        keys: [guardian, key(), PAUSE, TREASURY],
        instructions: [{ program: 3, accounts: [0, 1], data: Buffer.alloc(0) }],
        inner: [{ index: 0, instructions: [{ programIdIndex: 2, accounts: [0, 1], data: bs58.encode(pauseIx) }] }],
        logs: [
          `Program ${TREASURY} invoke [1]`,
          `Program ${PAUSE} invoke [2]`,
          pausedEvent(guardian, 3, 41n),
          `Program ${PAUSE} success`,
          `Program ${TREASURY} success`,
        ],
      }),
      (s) => skips.push(s),
    );
    assert.equal(t.success, true);
    assert.deepEqual(t.programs.sort(), [PAUSE, TREASURY].sort());
    const inner = t.instructions.find((i) => i.innerIndex === 0);
    assert.equal(inner?.name, "pause");
    assert.deepEqual(inner?.args, { reason: 3 });
    assert.equal(t.events.length, 1);
    assert.deepEqual(t.events[0], {
      index: 0,
      program: PAUSE,
      name: "Paused",
      data: { by: guardian, reason: 3, slot: "41" },
    });
    // The empty top-level data matches no treasury instruction: skipped and reported, not thrown.
    assert.equal(t.instructions[0]?.name, null);
    assert.deepEqual(
      skips.map((s) => [s.what, s.program]),
      [["instruction", TREASURY]],
    );
  });

  it("skips malformed instruction data and undecodable event lines, reporting each", () => {
    const skips: Skip[] = [];
    const t = decodeTransaction(
      tx({
        keys: [key(), TOKEN, key()],
        instructions: [
          { program: 1, accounts: [0], data: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) },
          { program: 1, accounts: [0], data: "0OIl" }, // not base58
          { program: 2, accounts: [0], data: Buffer.from("anything") }, // unknown program: not ours to decode
        ],
        logs: [
          `Program ${TOKEN} invoke [1]`,
          "Program data: !!!notbase64",
          "Program data: AAAAAAAAAAAAAA==",
          `Program ${TOKEN} success`,
        ],
      }),
      (s) => skips.push(s),
    );
    assert.deepEqual(
      t.instructions.map((i) => i.name),
      [null, null, null],
    );
    assert.equal(t.events.length, 0);
    assert.deepEqual(
      skips.map((s) => s.what),
      ["instruction", "instruction", "event", "event"],
    );
  });

  it("keeps no events of a failed transaction and names its program error", () => {
    const t = decodeTransaction(
      tx({
        keys: [key(), key(), PAUSE],
        instructions: [
          { program: 2, accounts: [0, 1], data: Buffer.concat([disc("global:pause"), Buffer.from([1, 0])]) },
        ],
        logs: [
          `Program ${PAUSE} invoke [1]`,
          pausedEvent(key(), 1, 1n),
          `Program ${PAUSE} failed: custom program error: 0x1770`,
        ],
        err: { InstructionError: [0, { Custom: 6000 }] },
      }),
      () => {},
    );
    assert.equal(t.success, false);
    assert.equal(t.events.length, 0);
    assert.deepEqual(t.error, { InstructionError: [0, { Custom: 6000 }] });
    assert.ok(t.errorName && t.errorName !== "RuntimeError", `decoded error name, got ${t.errorName}`);
  });

  it("reads SPL Token amounts, and a transfer's mint from the token balances", () => {
    const mint = key();
    const transfer = Buffer.alloc(9);
    transfer[0] = 3;
    transfer.writeBigUInt64LE(1_500_000n, 1);
    const burn = Buffer.alloc(10);
    burn[0] = 15;
    burn.writeBigUInt64LE(7n, 1);
    burn[9] = 6;
    const t = decodeTransaction(
      tx({
        keys: [key(), key(), key(), SPL, mint],
        instructions: [
          { program: 3, accounts: [1, 2, 0], data: transfer },
          { program: 3, accounts: [1, 4, 0], data: burn },
        ],
        logs: [],
        tokenBalances: [
          { accountIndex: 1, mint, amount: "10" },
          { accountIndex: 2, mint, amount: "1500000" },
        ],
      }),
      () => {},
    );
    assert.deepEqual(
      t.instructions.map((i) => [i.name, i.amount, i.mint]),
      [
        ["transfer", 1_500_000n, mint],
        ["burnChecked", 7n, mint],
      ],
    );
    assert.deepEqual(
      t.postTokenBalances.map((b) => [b.account, b.amount]),
      [
        [t.accounts[1], 10n],
        [t.accounts[2], 1_500_000n],
      ],
    );
  });
});
