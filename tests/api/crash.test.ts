// The API killed (SIGKILL) in the middle of minting cards, again and again: once
// it is back and its sweep has run, every card row is either minted (its NFT on
// chain, held by its owner) or failed (no mint account), and every NFT the
// platform key minted has its row. Nothing is half-written, nothing is lost.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newKeypair, readKeypair } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import { sweepMintingCards } from "../../api/src/domains/cards/service.js";
import { spawnReady } from "../../scripts/src/spawn-ready.js";
import { ApiClient } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { sleep, until } from "../src/localnet-client.js";

const API_MAIN = join(import.meta.dirname, "../../api/src/main.ts");
const ROUNDS = 4;

describe("api: killed mid-mint", function () {
  this.timeout(240_000);
  let stack: ApiStack;
  let dir: string;
  const admin = newKeypair();
  const owner = newKeypair();

  before(async () => {
    stack = await startApiStack("api_crash", { indexer: false });
    dir = mkdtempSync(join(tmpdir(), "ece-api-crash-"));
  });
  after(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The API as its own process, as it runs in production. */
  const startApi = () =>
    spawnReady<{ url: string }>("api", API_MAIN, ["--port", "0"], {
      ...process.env,
      DATABASE_URL: stack.db.url,
      RPC_URL: stack.localnet.rpcUrl,
      WS_URL: stack.localnet.wsUrl,
      REDIS_PREFIX: `ece-crash-${randomBytes(4).toString("hex")}:`,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      PLATFORM_KEYPAIR: join(dir, "platform.json"),
      DEPLOYMENT: stack.deploymentPath,
      ADMIN_WALLETS: admin.publicKey.toBase58(),
      LOG_LEVEL: "silent",
    });

  it(`leaves every card minted or failed, never half-written, after ${ROUNDS} kills mid-mint`, async () => {
    const { prisma } = stack.deps;
    const company = await prisma.company.create({ data: { name: "Crashco", ticker: "CRSH", sector: "Energy" } });
    let killedWithPending = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const api = await startApi();
      const client = new ApiClient(api.ready.url);
      const { token } = await client.signIn(admin);
      // Mints in flight; the process dies as soon as one is recorded and not yet settled.
      const requests = Array.from({ length: 6 }, (_, i) =>
        client
          .post(
            "/api/v1/cards",
            { companyId: company.id, name: `Crash ${round}.${i}`, rarity: "common", owner: owner.publicKey.toBase58() },
            { token },
          )
          .catch(() => null),
      );
      const thisRound = { status: "minting" as const, name: { startsWith: `Crash ${round}.` } };
      await until(
        "a mint recorded, not settled",
        async () => (await prisma.card.count({ where: thisRound })) > 0,
        20_000,
      );
      // Let some of the other mints get further (sent, confirmed, settled) before the kill.
      await sleep(round * 60);
      api.child.kill("SIGKILL");
      await api.exited;
      await Promise.all(requests);
      if ((await prisma.card.count({ where: thisRound })) > 0) killedWithPending++;
    }
    assert.ok(killedWithPending >= 1, "no kill landed inside a mint");

    // Back up: the sweep settles what the killed processes left (an unsent mint only once its blockhash expired).
    const api = await startApi();
    try {
      await until(
        "every mint settled",
        async () => {
          await sweepMintingCards(stack.deps);
          if ((await prisma.card.count({ where: { status: "minting" } })) === 0) return true;
          await sleep(500);
          return false;
        },
        60_000,
      );
    } finally {
      api.child.kill("SIGTERM");
      await api.exited;
    }

    const conn = stack.localnet.connection();
    const rows = await prisma.card.findMany({ where: { companyId: company.id } });
    assert.ok(rows.length > 0);
    let minted = 0;
    for (const row of rows) {
      const mint = new PublicKey(row.mint);
      const info = await conn.getAccountInfo(mint, "confirmed");
      if (row.status === "minted") {
        minted++;
        const held = await conn.getTokenAccountBalance(
          getAssociatedTokenAddressSync(mint, owner.publicKey),
          "confirmed",
        );
        assert.equal(held.value.amount, "1", `card ${row.id} is minted but its owner does not hold it`);
      } else {
        assert.equal(row.status, "failed");
        assert.equal(info, null, `card ${row.id} failed but its mint exists on chain`);
      }
    }
    // Every NFT the platform key minted has its row.
    const platform = readKeypair(join(dir, "platform.json")).publicKey;
    const sigs = await conn.getSignaturesForAddress(platform, { limit: 1000 }, "confirmed");
    const known = new Set(rows.filter((r) => r.status === "minted").map((r) => r.mint));
    let onChain = 0;
    for (const s of sigs.filter((x) => !x.err)) {
      const tx = await conn.getTransaction(s.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      const keys = tx?.transaction.message.getAccountKeys().staticAccountKeys ?? [];
      // A card mint's first instruction creates its mint account, the transaction's second key.
      const created = tx?.meta?.postTokenBalances?.length ? keys[1]?.toBase58() : undefined;
      if (!created) continue;
      onChain++;
      assert.ok(known.has(created), `NFT ${created} was minted without its card row`);
    }
    assert.equal(onChain, minted);
    console.log(
      `      ${rows.length} cards recorded across ${ROUNDS} kills: ${minted} minted, ${rows.length - minted} failed`,
    );
  });
});
