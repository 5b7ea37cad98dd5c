// HTTP conformance: SPL Token flows through @solana/spl-token over web3.js, the
// token RPC methods (balances, accounts by owner and delegate, supply, largest
// accounts, jsonParsed), and token balances and inner instructions in transaction
// metadata.
import assert from "node:assert/strict";
import { createSolanaRpc, address as kitAddress } from "@solana/kit";
import {
  approve,
  burn,
  createAssociatedTokenAccount,
  createMint,
  getAccount,
  getAssociatedTokenAddressSync,
  getMint,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  transfer,
} from "@solana/spl-token";
import { type Connection, Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram } from "@solana/web3.js";
import { DEV_USDC } from "../../scripts/src/localnet/genesis.js";
import { DEV_WALLETS } from "../../scripts/src/localnet/wallets.js";
import { type LocalnetProcess, reachedFinalized, spawnLocalnet, WAIT_SCALE } from "../src/localnet.js";
import { failure, reached, rpc, type TransactionJson, type UiTokenAmount, until } from "../src/localnet-client.js";

const ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
const TOKEN = TOKEN_PROGRAM_ID.toBase58();
const SYSTEM = SystemProgram.programId.toBase58();

interface ParsedTokenAccount {
  pubkey: string;
  account: {
    owner: string;
    lamports: number;
    data: {
      program: string;
      space: number;
      parsed: {
        type: string;
        info: {
          mint: string;
          owner: string;
          state: string;
          isNative: boolean;
          tokenAmount: UiTokenAmount;
          delegate?: string;
          delegatedAmount?: UiTokenAmount;
        };
      };
    };
  };
}

describe("conformance: SPL tokens", () => {
  let node: LocalnetProcess;
  let connection: Connection;
  let payer: Keypair;
  let holder: Keypair;
  let mint: PublicKey;
  let holderAta: PublicKey;
  const getTx = (signature: string) =>
    rpc<TransactionJson>(node.rpcUrl, "getTransaction", [
      signature,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);

  before(async () => {
    node = await spawnLocalnet();
    connection = node.connection("confirmed");
    payer = node.wallet("carol");
    holder = Keypair.generate();
  });
  after(async () => {
    await node.stop();
  });

  it("createMint, an ATA, mintTo, transfer — read back with getMint, getAccount, getTokenAccountBalance", async () => {
    mint = await createMint(connection, payer, payer.publicKey, null, 2);
    const info = await getMint(connection, mint);
    assert.equal(info.decimals, 2);
    assert.equal(info.supply, 0n);
    assert.ok(info.mintAuthority?.equals(payer.publicKey));

    const ata = await getOrCreateAssociatedTokenAccount(connection, payer, mint, holder.publicKey);
    holderAta = ata.address;
    assert.ok(holderAta.equals(getAssociatedTokenAddressSync(mint, holder.publicKey)));
    assert.equal(ata.amount, 0n);
    await mintTo(connection, payer, mint, holderAta, payer, 123_456);
    assert.equal((await getAccount(connection, holderAta)).amount, 123_456n);

    const balance = await connection.getTokenAccountBalance(holderAta);
    assert.deepEqual(balance.value, { amount: "123456", decimals: 2, uiAmount: 1234.56, uiAmountString: "1234.56" });

    // The holder pays its own fee for the transfer.
    await connection.confirmTransaction(
      {
        signature: await connection.requestAirdrop(holder.publicKey, LAMPORTS_PER_SOL),
        ...(await connection.getLatestBlockhash()),
      },
      "confirmed",
    );
    const other = await getOrCreateAssociatedTokenAccount(connection, payer, mint, payer.publicKey);
    await transfer(connection, holder, holderAta, other.address, holder, 23_456);
    assert.equal((await connection.getTokenAccountBalance(holderAta)).value.uiAmountString, "1000");
    assert.equal((await connection.getTokenAccountBalance(other.address)).value.amount, "23456");

    // kit decodes the same balance.
    const kit = await createSolanaRpc(node.rpcUrl)
      .getTokenAccountBalance(kitAddress(holderAta.toBase58()), { commitment: "confirmed" })
      .send();
    assert.equal(kit.value.amount, "100000");
    assert.equal(kit.value.uiAmountString, "1000");
  });

  it("getTokenAccountBalance and getTokenSupply refuse what is not a token account or mint", async () => {
    const notToken = await failure(node.rpcUrl, "getTokenAccountBalance", [payer.publicKey.toBase58()]);
    assert.equal(notToken.code, -32602);
    assert.equal(notToken.message, "Invalid param: not a Token account");
    const notMint = await failure(node.rpcUrl, "getTokenSupply", [holderAta.toBase58()]);
    assert.equal(notMint.code, -32602);
    assert.equal(notMint.message, "Invalid param: not a Token mint");
  });

  it("getTokenSupply follows mints and burns", async () => {
    assert.deepEqual((await connection.getTokenSupply(mint)).value, {
      amount: "123456",
      decimals: 2,
      uiAmount: 1234.56,
      uiAmountString: "1234.56",
    });
    await burn(connection, holder, holderAta, mint, holder, 100_000);
    const supply = await connection.getTokenSupply(mint);
    assert.equal(supply.value.amount, "23456");
    assert.equal(supply.value.uiAmountString, "234.56");
    // The genesis USDC: every dev wallet × DEV_USDC.
    const usdc = await connection.getTokenSupply(new PublicKey(node.usdcMint));
    assert.equal(usdc.value.uiAmount, DEV_WALLETS.length * DEV_USDC);
    assert.equal(usdc.value.decimals, 6);
  });

  it("getTokenAccountsByOwner: by mint, by program id, jsonParsed, base64; the default base58 is too small", async () => {
    const usdc = new PublicKey(node.usdcMint);
    // carol holds genesis USDC and the test mint.
    const byProgram = await connection.getTokenAccountsByOwner(payer.publicKey, { programId: TOKEN_PROGRAM_ID });
    assert.deepEqual(
      byProgram.value.map((a) => a.pubkey.toBase58()).sort(),
      [getAssociatedTokenAddressSync(usdc, payer.publicKey), getAssociatedTokenAddressSync(mint, payer.publicKey)]
        .map((k) => k.toBase58())
        .sort(),
    );
    for (const a of byProgram.value) {
      assert.ok(a.account.owner.equals(TOKEN_PROGRAM_ID));
      assert.equal(a.account.data.length, 165);
    }
    const byMint = await connection.getTokenAccountsByOwner(holder.publicKey, { mint });
    assert.deepEqual(
      byMint.value.map((a) => a.pubkey.toBase58()),
      [holderAta.toBase58()],
    );
    assert.equal((await connection.getTokenAccountsByOwner(holder.publicKey, { mint: usdc })).value.length, 0);
    assert.equal(
      (await connection.getTokenAccountsByOwner(holder.publicKey, { programId: TOKEN_2022_PROGRAM_ID })).value.length,
      0,
    );

    const parsed = await connection.getParsedTokenAccountsByOwner(holder.publicKey, { mint });
    const data = parsed.value[0]?.account.data;
    assert.equal(data?.program, "spl-token");
    assert.equal(data?.space, 165);
    assert.deepEqual(data?.parsed, {
      type: "account",
      info: {
        isNative: false,
        mint: mint.toBase58(),
        owner: holder.publicKey.toBase58(),
        state: "initialized",
        tokenAmount: { amount: "0", decimals: 2, uiAmount: 0, uiAmountString: "0" },
      },
    });

    const raw = await rpc<{ value: ParsedTokenAccount[] }>(node.rpcUrl, "getTokenAccountsByOwner", [
      payer.publicKey.toBase58(),
      { mint: usdc.toBase58() },
      { encoding: "jsonParsed", commitment: "confirmed" },
    ]);
    assert.equal(raw.value[0]?.account.data.parsed.info.tokenAmount.uiAmount, 1_000_000);
    // Without an encoding Agave answers base58, which a 165-byte account exceeds.
    const binary = await failure(node.rpcUrl, "getTokenAccountsByOwner", [
      payer.publicKey.toBase58(),
      { mint: usdc.toBase58() },
    ]);
    assert.equal(binary.code, -32600);
    const sliced = await rpc<{ value: Array<{ account: { data: [string, string] } }> }>(
      node.rpcUrl,
      "getTokenAccountsByOwner",
      [
        payer.publicKey.toBase58(),
        { mint: usdc.toBase58() },
        { encoding: "base64", dataSlice: { offset: 0, length: 32 } },
      ],
    );
    assert.equal(Buffer.from(sliced.value[0]?.account.data[0] ?? "", "base64").length, 32);

    const unknownMint = await failure(node.rpcUrl, "getTokenAccountsByOwner", [
      payer.publicKey.toBase58(),
      { mint: Keypair.generate().publicKey.toBase58() },
      { encoding: "base64" },
    ]);
    assert.equal(unknownMint.code, -32602);
    const notTokenProgram = await failure(node.rpcUrl, "getTokenAccountsByOwner", [
      payer.publicKey.toBase58(),
      { programId: SYSTEM },
      { encoding: "base64" },
    ]);
    assert.equal(notTokenProgram.code, -32602);
    assert.equal(notTokenProgram.message, "Invalid param: unrecognized Token program id");
  });

  it("getTokenAccountsByDelegate and the delegate in jsonParsed", async () => {
    const delegate = Keypair.generate().publicKey;
    const source = getAssociatedTokenAddressSync(mint, payer.publicKey);
    await approve(connection, payer, source, delegate, payer, 1_000);
    const byDelegate = await rpc<{ value: ParsedTokenAccount[] }>(node.rpcUrl, "getTokenAccountsByDelegate", [
      delegate.toBase58(),
      { programId: TOKEN },
      { encoding: "jsonParsed", commitment: "confirmed" },
    ]);
    assert.deepEqual(
      byDelegate.value.map((a) => a.pubkey),
      [source.toBase58()],
    );
    const info = byDelegate.value[0]?.account.data.parsed.info;
    assert.equal(info?.delegate, delegate.toBase58());
    assert.deepEqual(info?.delegatedAmount, { amount: "1000", decimals: 2, uiAmount: 10, uiAmountString: "10" });
    const byMint = await rpc<{ value: ParsedTokenAccount[] }>(node.rpcUrl, "getTokenAccountsByDelegate", [
      delegate.toBase58(),
      { mint: node.usdcMint },
      { encoding: "jsonParsed", commitment: "confirmed" },
    ]);
    assert.equal(byMint.value.length, 0, "not a delegate for USDC");
    const parsed = await connection.getParsedAccountInfo(source);
    assert.ok(parsed.value);
    assert.equal(
      (parsed.value.data as ParsedTokenAccount["account"]["data"]).parsed.info.delegate,
      delegate.toBase58(),
    );
  });

  it("getTokenLargestAccounts: the holders, largest first", async () => {
    const largest = await connection.getTokenLargestAccounts(mint);
    const amounts = largest.value.map((a) => a.amount);
    assert.deepEqual(amounts, ["23456", "0"]);
    assert.equal(largest.value[0]?.address.toBase58(), getAssociatedTokenAddressSync(mint, payer.publicKey).toBase58());
    assert.equal(largest.value[0]?.uiAmountString, "234.56");
  });

  it("getTransaction of a token transfer: pre/post token balances; of an ATA creation: the CPIs as inner instructions", async () => {
    const usdc = new PublicKey(node.usdcMint);
    const bob = node.wallet("bob");
    const newcomer = Keypair.generate().publicKey;
    // createAssociatedTokenAccount CPIs into the system program and the token program.
    const ata = await createAssociatedTokenAccount(connection, bob, usdc, newcomer);
    const created = await connection.getSignaturesForAddress(ata, { limit: 1 });
    const createTx = await getTx(created[0]?.signature ?? "");
    const keys = createTx.transaction.message.accountKeys;
    assert.equal(keys[createTx.transaction.message.instructions[0]?.programIdIndex ?? -1], ATA_PROGRAM);
    const inner = createTx.meta.innerInstructions;
    assert.equal(inner.length, 1);
    assert.equal(inner[0]?.index, 0);
    const innerPrograms = inner[0]?.instructions.map((ix) => keys[ix.programIdIndex]) ?? [];
    assert.ok(innerPrograms.includes(SYSTEM), `system program among ${innerPrograms}`);
    assert.equal(
      innerPrograms.filter((p) => p === TOKEN).length >= 2,
      true,
      "GetAccountDataSize and InitializeAccount3",
    );
    for (const ix of inner[0]?.instructions ?? []) assert.equal(ix.stackHeight, 2);
    assert.ok(createTx.meta.logMessages.includes(`Program ${ATA_PROGRAM} invoke [1]`));
    assert.ok(createTx.meta.logMessages.includes(`Program ${SYSTEM} invoke [2]`));
    assert.ok(createTx.meta.logMessages.includes(`Program ${ATA_PROGRAM} success`));
    assert.ok(createTx.meta.computeUnitsConsumed > 5_000);
    // A new token account appears only in postTokenBalances.
    const ataIndex = keys.indexOf(ata.toBase58());
    assert.equal(createTx.meta.preTokenBalances.length, 0);
    assert.deepEqual(createTx.meta.postTokenBalances, [
      {
        accountIndex: ataIndex,
        mint: usdc.toBase58(),
        owner: newcomer.toBase58(),
        programId: TOKEN,
        uiTokenAmount: { amount: "0", decimals: 6, uiAmount: 0, uiAmountString: "0" },
      },
    ]);

    // jsonParsed inner instructions name their programs.
    const parsed = await connection.getParsedTransaction(created[0]?.signature ?? "", {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const parsedInner = parsed?.meta?.innerInstructions?.[0]?.instructions ?? [];
    assert.ok(parsedInner.some((ix) => ix.programId.toBase58() === SYSTEM));

    const source = getAssociatedTokenAddressSync(usdc, bob.publicKey);
    const sig = await transfer(connection, bob, source, ata, bob, 2_500_000);
    await reached(connection, sig, "confirmed");
    const tx = await getTx(sig);
    const txKeys = tx.transaction.message.accountKeys;
    const balanceOf = (list: TransactionJson["meta"]["preTokenBalances"], key: PublicKey) =>
      list.find((b) => b.accountIndex === txKeys.indexOf(key.toBase58()));
    assert.equal(tx.meta.preTokenBalances.length, 2);
    assert.equal(tx.meta.postTokenBalances.length, 2);
    assert.deepEqual(balanceOf(tx.meta.preTokenBalances, source)?.uiTokenAmount, {
      amount: "1000000000000",
      decimals: 6,
      uiAmount: 1_000_000,
      uiAmountString: "1000000",
    });
    assert.deepEqual(balanceOf(tx.meta.postTokenBalances, source)?.uiTokenAmount.uiAmountString, "999997.5");
    assert.deepEqual(balanceOf(tx.meta.postTokenBalances, ata), {
      accountIndex: txKeys.indexOf(ata.toBase58()),
      mint: usdc.toBase58(),
      owner: newcomer.toBase58(),
      programId: TOKEN,
      uiTokenAmount: { amount: "2500000", decimals: 6, uiAmount: 2.5, uiAmountString: "2.5" },
    });
    assert.equal(balanceOf(tx.meta.preTokenBalances, source)?.owner, bob.publicKey.toBase58());
    // web3.js reads them as TokenBalance objects.
    const web3 = await connection.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    assert.equal(web3?.meta?.postTokenBalances?.length, 2);
  });

  it("a fresh mintTo is invisible to finalized token reads until finalized", async () => {
    const amount = async (c: "confirmed" | "finalized") =>
      (await connection.getTokenAccountBalance(holderAta, c)).value.amount;
    const before = await amount("confirmed");
    // All earlier changes finalized: where finality is slow, the finalized balance may
    // still be an older one that happens to equal `before` (0 before the first mintTo).
    const confirmed = await connection.getSlot("confirmed");
    await until(
      "earlier changes to be finalized",
      async () => (await connection.getSlot("finalized")) >= confirmed,
      10_000 * WAIT_SCALE,
    );
    assert.equal(await amount("finalized"), before);
    const sig = await mintTo(connection, payer, mint, holderAta, payer, 5_000);
    assert.equal(await amount("confirmed"), String(Number(before) + 5_000));
    if ((await connection.getSignatureStatus(sig)).value?.confirmationStatus !== "finalized") {
      assert.equal(await amount("finalized"), before);
    }
    await reachedFinalized(connection, sig);
    assert.equal(await amount("finalized"), String(Number(before) + 5_000));
    assert.equal((await connection.getTokenSupply(mint, "finalized")).value.amount, String(23_456 + 5_000));
  });
});
