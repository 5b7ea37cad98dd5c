// HTTP conformance: balances and account reads (encodings, data slices, filters,
// commitment views), through web3.js, @solana/kit and raw JSON-RPC.
import assert from "node:assert/strict";
import { ECE_PAUSE_PROGRAM_ID } from "@ece/sdk";
import { createSolanaRpc, address as kitAddress } from "@solana/kit";
import { AccountLayout, getAssociatedTokenAddressSync, MintLayout, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { type Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram } from "@solana/web3.js";
import { DEV_USDC, USDC_DECIMALS } from "../../scripts/src/localnet/genesis.js";
import { DEV_WALLETS } from "../../scripts/src/localnet/wallets.js";
import { type LocalnetProcess, reachedFinalized, spawnLocalnet } from "../src/localnet.js";
import {
  type AccountJson,
  base58,
  base64,
  failure,
  type KeyedAccountJson,
  reached,
  rpc,
  signedTransfer,
  type WithContext,
} from "../src/localnet-client.js";

const MEMO_PROGRAM = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";

describe("conformance: accounts", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  let usdc: PublicKey;
  let alice: Keypair;
  let aliceUsdc: PublicKey;
  const info = (key: PublicKey | string, cfg: Record<string, unknown> = {}) =>
    rpc<WithContext<AccountJson | null>>(node.rpcUrl, "getAccountInfo", [
      typeof key === "string" ? key : key.toBase58(),
      { commitment: "confirmed", ...cfg },
    ]);

  before(async () => {
    node = await spawnLocalnet();
    connection = node.connection("confirmed");
    usdc = new PublicKey(node.usdcMint);
    alice = node.wallet("alice");
    aliceUsdc = getAssociatedTokenAddressSync(usdc, alice.publicKey);
  });
  after(async () => {
    await node.stop();
  });

  it("getBalance: the dev wallets hold 1000 SOL; an unknown account 0", async () => {
    assert.equal(await connection.getBalance(alice.publicKey), 1000 * LAMPORTS_PER_SOL);
    assert.equal(await connection.getBalance(Keypair.generate().publicKey), 0);
    const raw = await rpc<WithContext<number>>(node.rpcUrl, "getBalance", [node.wallet("bob").publicKey.toBase58()]);
    assert.equal(raw.value, 1000 * LAMPORTS_PER_SOL);
    assert.equal(typeof raw.context.slot, "number");
    assert.equal(typeof raw.context.apiVersion, "string");
  });

  it("getAccountInfo: an unknown account is a null value with a context", async () => {
    const unknown = Keypair.generate().publicKey;
    assert.equal(await connection.getAccountInfo(unknown), null);
    const raw = await info(unknown);
    assert.equal(raw.value, null);
    assert.ok(raw.context.slot > 0);
  });

  it("getAccountInfo: base58, base64, the default legacy binary string, and jsonParsed of a mint", async () => {
    const web3 = await connection.getAccountInfo(usdc);
    assert.ok(web3);
    assert.ok(web3.owner.equals(TOKEN_PROGRAM_ID));
    assert.equal(web3.data.length, MintLayout.span);
    assert.equal(web3.executable, false);
    const mint = MintLayout.decode(web3.data);
    assert.equal(mint.decimals, 6);
    assert.ok(new PublicKey(mint.mintAuthority).equals(node.wallet("deployer").publicKey));

    const b58 = await info(usdc, { encoding: "base58" });
    assert.deepEqual(b58.value?.data, [base58(web3.data), "base58"]);
    const b64 = await info(usdc, { encoding: "base64" });
    assert.deepEqual(b64.value?.data, [web3.data.toString("base64"), "base64"]);
    assert.equal(b64.value?.space, 82);
    assert.equal(b64.value?.lamports, await connection.getMinimumBalanceForRentExemption(82));
    assert.equal(b64.value?.owner, TOKEN_PROGRAM_ID.toBase58());
    // With no encoding, Agave answers the legacy "binary" form: a bare base58 string.
    const plain = await info(usdc);
    assert.equal(plain.value?.data, base58(web3.data));

    const parsed = await info(usdc, { encoding: "jsonParsed" });
    assert.deepEqual(parsed.value?.data, {
      program: "spl-token",
      parsed: {
        type: "mint",
        info: {
          decimals: 6,
          freezeAuthority: null,
          isInitialized: true,
          mintAuthority: node.wallet("deployer").publicKey.toBase58(),
          // Genesis mints DEV_USDC to each dev wallet.
          supply: String(BigInt(DEV_WALLETS.length * DEV_USDC) * 10n ** BigInt(USDC_DECIMALS)),
        },
      },
      space: 82,
    });
    const web3Parsed = await connection.getParsedAccountInfo(usdc);
    assert.deepEqual(web3Parsed.value?.data, parsed.value?.data);

    // An account no parser knows comes back as base64 under jsonParsed.
    const system = await info(alice.publicKey, { encoding: "jsonParsed" });
    assert.deepEqual(system.value?.data, ["", "base64"]);
    assert.equal(system.value?.owner, SystemProgram.programId.toBase58());
  });

  it("getAccountInfo: dataSlice, and the 128-byte limit of base58", async () => {
    // Offset 44 of a mint is its decimals.
    const slice = await info(usdc, { encoding: "base64", dataSlice: { offset: 44, length: 1 } });
    assert.deepEqual(slice.value?.data, [base64(new Uint8Array([6])), "base64"]);
    assert.equal(slice.value?.space, 82, "space is the whole account's");
    const web3Slice = await connection.getAccountInfo(aliceUsdc, { dataSlice: { offset: 32, length: 32 } });
    assert.ok(web3Slice?.data && new PublicKey(web3Slice.data).equals(alice.publicKey), "owner field of the ATA");
    const past = await info(usdc, { encoding: "base64", dataSlice: { offset: 500, length: 10 } });
    assert.deepEqual(past.value?.data, ["", "base64"]);

    // A token account (165 bytes) is too large for base58 — unless sliced.
    const tooLarge = await failure(node.rpcUrl, "getAccountInfo", [aliceUsdc.toBase58(), { encoding: "base58" }]);
    assert.equal(tooLarge.code, -32600);
    assert.equal(
      tooLarge.message,
      "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
    );
    const binary = await failure(node.rpcUrl, "getAccountInfo", [aliceUsdc.toBase58()]);
    assert.equal(binary.code, -32600);
    const sliced = await info(aliceUsdc, { encoding: "base58", dataSlice: { offset: 0, length: 32 } });
    assert.deepEqual(sliced.value?.data, [usdc.toBase58(), "base58"]);

    // jsonParsed parses a token account whole, whatever the slice (as Agave does).
    const parsedSlice = await info(aliceUsdc, { encoding: "jsonParsed", dataSlice: { offset: 0, length: 8 } });
    const parsedData = parsedSlice.value?.data as { parsed: { type: string; info: { owner: string } } };
    assert.equal(parsedData.parsed.type, "account");
    assert.equal(parsedData.parsed.info.owner, alice.publicKey.toBase58());
    // What no parser knows (here a BPF loader 2 program: its ELF) is sliced in base64.
    const programSlice = await info(MEMO_PROGRAM, {
      encoding: "jsonParsed",
      dataSlice: { offset: 0, length: 4 },
    });
    assert.ok(programSlice.value);
    const [sliceData, sliceEncoding] = programSlice.value.data as [string, string];
    assert.equal(sliceEncoding, "base64");
    assert.equal(Buffer.from(sliceData, "base64").toString("latin1"), "\x7fELF", "the program's ELF magic");

    const zstd = await failure(node.rpcUrl, "getAccountInfo", [usdc.toBase58(), { encoding: "base64+zstd" }]);
    assert.equal(zstd.code, -32602);
    const badEncoding = await failure(node.rpcUrl, "getAccountInfo", [usdc.toBase58(), { encoding: "hex" }]);
    assert.equal(badEncoding.code, -32602);
  });

  it("getAccountInfo of a program: executable, owned by a loader", async () => {
    const program = await connection.getAccountInfo(ECE_PAUSE_PROGRAM_ID);
    assert.ok(program);
    assert.equal(program.executable, true);
    assert.match(program.owner.toBase58(), /^BPFLoader/);
  });

  it("getMultipleAccounts: in order, null for unknown, base64 by default; over 100 keys is refused", async () => {
    const unknown = Keypair.generate().publicKey;
    const web3 = await connection.getMultipleAccountsInfo([usdc, unknown, aliceUsdc]);
    assert.equal(web3.length, 3);
    assert.equal(web3[0]?.data.length, 82);
    assert.equal(web3[1], null);
    const token = AccountLayout.decode(web3[2]?.data ?? Buffer.alloc(0));
    assert.ok(new PublicKey(token.owner).equals(alice.publicKey));
    assert.equal(token.amount, 1_000_000n * 1_000_000n);

    const raw = await rpc<WithContext<Array<AccountJson | null>>>(node.rpcUrl, "getMultipleAccounts", [
      [usdc.toBase58(), unknown.toBase58()],
    ]);
    assert.ok(raw.value[0]);
    assert.equal((raw.value[0].data as [string, string])[1], "base64");
    assert.equal(raw.value[1], null);

    const parsed = await connection.getMultipleParsedAccounts([aliceUsdc, usdc]);
    const first = parsed.value[0]?.data as { parsed: { type: string; info: { owner: string } } };
    assert.equal(first.parsed.type, "account");
    assert.equal(first.parsed.info.owner, alice.publicKey.toBase58());

    const many = Array.from({ length: 101 }, () => Keypair.generate().publicKey.toBase58());
    const err = await failure(node.rpcUrl, "getMultipleAccounts", [many]);
    assert.equal(err.code, -32602);
    assert.equal(err.message, "Too many inputs provided; max 100");
  });

  it("getProgramAccounts: dataSize and memcmp filters (base58 and base64), dataSlice, withContext", async () => {
    // Every dev wallet has one USDC account: memcmp on the mint at offset 0.
    const byMint = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
      filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: usdc.toBase58() } }],
    });
    assert.equal(byMint.length, DEV_WALLETS.length);
    for (const { account } of byMint) assert.equal(account.data.length, 165);

    // The owner at offset 32, base64-encoded bytes this time.
    const byOwner = await rpc<KeyedAccountJson[]>(node.rpcUrl, "getProgramAccounts", [
      TOKEN_PROGRAM_ID.toBase58(),
      {
        encoding: "base64",
        filters: [
          { dataSize: 165 },
          { memcmp: { offset: 32, bytes: alice.publicKey.toBuffer().toString("base64"), encoding: "base64" } },
        ],
      },
    ]);
    assert.deepEqual(
      byOwner.map((a) => a.pubkey),
      [aliceUsdc.toBase58()],
    );

    // The mint is the only 82-byte account of the token program.
    const mints = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, { filters: [{ dataSize: 82 }] });
    assert.deepEqual(
      mints.map((m) => m.pubkey.toBase58()),
      [usdc.toBase58()],
    );
    const none = await connection.getProgramAccounts(TOKEN_PROGRAM_ID, {
      filters: [{ dataSize: 165 }, { memcmp: { offset: 32, bytes: Keypair.generate().publicKey.toBase58() } }],
    });
    assert.equal(none.length, 0);

    // dataSlice: only the owner field of each account.
    const sliced = await rpc<KeyedAccountJson[]>(node.rpcUrl, "getProgramAccounts", [
      TOKEN_PROGRAM_ID.toBase58(),
      {
        encoding: "base64",
        dataSlice: { offset: 32, length: 32 },
        filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: usdc.toBase58() } }],
      },
    ]);
    const owners = sliced.map((a) => new PublicKey(Buffer.from((a.account.data as [string])[0], "base64")).toBase58());
    assert.ok(owners.includes(alice.publicKey.toBase58()));
    assert.ok(owners.includes(node.wallet("carol").publicKey.toBase58()));
    for (const a of sliced) assert.equal(a.account.space, 165);

    const withContext = await rpc<WithContext<KeyedAccountJson[]>>(node.rpcUrl, "getProgramAccounts", [
      TOKEN_PROGRAM_ID.toBase58(),
      { encoding: "base64", withContext: true, filters: [{ dataSize: 82 }] },
    ]);
    assert.ok(withContext.context.slot > 0);
    assert.equal(withContext.value.length, 1);

    // jsonParsed through web3.js.
    const parsed = await connection.getParsedProgramAccounts(TOKEN_PROGRAM_ID, {
      filters: [{ dataSize: 165 }, { memcmp: { offset: 32, bytes: alice.publicKey.toBase58() } }],
    });
    const data = parsed[0]?.account.data as { parsed: { info: { mint: string; tokenAmount: { uiAmount: number } } } };
    assert.equal(data.parsed.info.mint, usdc.toBase58());
    assert.equal(data.parsed.info.tokenAmount.uiAmount, 1_000_000);

    // Through kit.
    const kit = createSolanaRpc(node.rpcUrl);
    const kitMints = await kit
      .getProgramAccounts(kitAddress(TOKEN_PROGRAM_ID.toBase58()), {
        encoding: "base64",
        filters: [{ dataSize: 82n }],
        commitment: "confirmed",
      })
      .send();
    assert.equal(kitMints.length, 1);
    assert.equal(kitMints[0]?.pubkey, usdc.toBase58());
  });

  it("getProgramAccounts: bad filters are invalid params", async () => {
    const program = TOKEN_PROGRAM_ID.toBase58();
    const five = await failure(node.rpcUrl, "getProgramAccounts", [
      program,
      { encoding: "base64", filters: Array.from({ length: 5 }, () => ({ dataSize: 165 })) },
    ]);
    assert.equal(five.code, -32602);
    assert.equal(five.message, "Too many filters provided; max 4");
    const big = await failure(node.rpcUrl, "getProgramAccounts", [
      program,
      { encoding: "base64", filters: [{ memcmp: { offset: 0, bytes: base58(new Uint8Array(200).fill(1)) } }] },
    ]);
    assert.equal(big.code, -32602);
    const badKey = await failure(node.rpcUrl, "getProgramAccounts", ["xyz"]);
    assert.equal(badKey.code, -32602);
  });

  it("commitment views: a finalized read does not see a fresh change until its slot is finalized", async () => {
    const to = Keypair.generate().publicKey;
    const { blockhash } = await connection.getLatestBlockhash();
    const tx = signedTransfer(alice, to, 5 * LAMPORTS_PER_SOL, blockhash);
    const signature = await connection.sendRawTransaction(tx.wire);
    assert.equal(signature, tx.signature);
    assert.equal(await connection.getBalance(to, "processed"), 5 * LAMPORTS_PER_SOL);
    assert.equal(await connection.getBalance(to, "finalized"), 0);
    assert.equal(await connection.getAccountInfo(to, "finalized"), null);
    const aliceBefore = await connection.getBalance(alice.publicKey, "finalized");
    const aliceNow = await connection.getBalance(alice.publicKey, "processed");
    assert.equal(aliceBefore - aliceNow, 5 * LAMPORTS_PER_SOL + 5000, "the transfer and the fee");

    await reached(connection, signature, "confirmed");
    assert.equal(await connection.getBalance(to, "confirmed"), 5 * LAMPORTS_PER_SOL);
    await reachedFinalized(connection, signature);
    assert.equal(await connection.getBalance(to, "finalized"), 5 * LAMPORTS_PER_SOL);
    const finalized = await connection.getAccountInfo(to, "finalized");
    assert.equal(finalized?.lamports, 5 * LAMPORTS_PER_SOL);
  });
});
