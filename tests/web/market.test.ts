// In Chromium, users trading and voting: alice lists a card, bob buys it; both dashboards
// follow the chain (alice's without a reload, from the live sale event) and the fee shows
// in the treasury's vault. Bob votes in a battle and the tally moves in carol's open page.
import assert from "node:assert/strict";
import { decodeTokenAccount } from "@ece/sdk";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Connection, type Keypair, PublicKey } from "@solana/web3.js";
import type { Page } from "playwright-core";
import { prepareTraffic } from "../../scripts/src/traffic/index.js";
import type { Body } from "../src/api-client.js";
import { mintCards, signIn, startWebStack, type WebStack } from "./stack.js";

const PRICE = 12_500_000n; // 12.5 USDC
const FEE = (PRICE * 250n) / 10_000n; // MARKETPLACE_FEE_BPS=250

describe("web: marketplace and battles", function () {
  this.timeout(300_000);
  let web: WebStack;
  let conn: Connection;
  let alice: Keypair;
  let bob: Keypair;
  let carol: Keypair;
  let usdc: PublicKey;
  let eceMint: PublicKey;
  let adminToken: string;
  let cards: Body[];
  let battle: Body;
  let bobPage: Page;

  const balanceOf = async (account: PublicKey) => {
    const info = await conn.getAccountInfo(account, "confirmed");
    return info ? info.data.readBigUInt64LE(64) : 0n;
  };
  const tokenOf = (mint: PublicKey, owner: PublicKey) => balanceOf(getAssociatedTokenAddressSync(mint, owner, true));
  /** Waits until the element `testId` carries `amount` in data-amount (the page follows the chain). */
  const amountShown = (page: Page, testId: string, amount: bigint) =>
    page.locator(`[data-testid="${testId}"][data-amount="${amount}"]`).waitFor();

  before(async () => {
    web = await startWebStack("web_market");
    conn = web.api.localnet.connection("confirmed");
    alice = web.api.localnet.wallet("alice");
    bob = web.api.localnet.wallet("bob");
    carol = web.api.localnet.wallet("carol");
    usdc = new PublicKey(web.api.manifest.usdcMint);
    eceMint = new PublicKey(web.api.manifest.token.eceMint);
    adminToken = (await web.api.client.signIn(web.admin)).token;
    cards = await mintCards(web, adminToken, alice, { name: "Orbital Freight", ticker: "ORBF", sector: "Logistics" }, [
      "Orbital Hauler",
      "Orbital Tug",
    ]);
    // ECE for the voters, minted through the programs (a minter added by a treasury proposal).
    await prepareTraffic({
      rpcUrl: web.api.localnet.rpcUrl,
      walletsDir: web.api.localnet.walletsDir,
      manifest: web.api.manifest,
    });
    const r = await web.api.client.post(
      "/api/v1/battles",
      {
        title: "Hauler vs Tug",
        cardAId: cards[0].id,
        cardBId: cards[1].id,
        startsAt: new Date(Date.now() - 1_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      { token: adminToken },
    );
    assert.equal(r.status, 201, r.text);
    battle = r.body;
  });
  afterEach(async function () {
    if (this.currentTest?.state === "failed") await web?.captureFailure(this.currentTest.title);
  });
  after(async () => web?.stop());

  it("lists a card, another wallet buys it: both dashboards follow the chain, the fee reaches the vault", async () => {
    const card = cards[0];
    const vault = web.api.deps.platform.vaults.usdc;
    const vaultBefore = await balanceOf(vault);

    const alicePage = await web.open(alice);
    await signIn(alicePage);
    await amountShown(alicePage, "balance-usdc", await tokenOf(usdc, alice.publicKey));
    await alicePage.locator(`[data-testid=my-cards] [data-card-id="${card.id}"]`).waitFor();

    bobPage = await web.open(bob, "/marketplace");
    await signIn(bobPage);
    await bobPage.locator("[data-testid=live-status][data-state=open]").waitFor();
    await bobPage.getByTestId("listings-empty").waitFor();

    // Alice lists from the marketplace page: her wallet approves the platform as delegate of the card.
    await alicePage.getByTestId("nav-marketplace").click();
    await alicePage.getByTestId("sell-card").selectOption(card.id);
    await alicePage.getByTestId("list-price").fill("12.5");
    await alicePage.getByTestId("list-submit").click();
    await alicePage.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    const row = alicePage.locator("[data-testid=my-listing-row]");
    await row.waitFor();
    const listingId = (await row.getAttribute("data-listing-id")) ?? "";
    const cardAccount = await conn.getAccountInfo(
      getAssociatedTokenAddressSync(new PublicKey(card.mint), alice.publicKey),
      "confirmed",
    );
    const approved = decodeTokenAccount(cardAccount?.data as Buffer);
    assert.equal(approved?.delegate?.toBase58(), web.api.deps.platformKey.publicKey.toBase58());
    assert.equal(approved?.delegatedAmount, 1n);
    await web.screenshot(alicePage, "marketplace");

    // The listing reached bob's open page live; alice watches her dashboard (client-side, no reload from here on).
    const buy = bobPage.locator(`[data-testid=buy][data-listing-id="${listingId}"]`);
    await buy.waitFor();
    assert.equal(await bobPage.locator(`[data-testid=listing-price]`).getAttribute("data-amount"), String(PRICE));
    await alicePage.getByTestId("nav-dashboard").click();
    const aliceUsdc = await tokenOf(usdc, alice.publicKey);
    await amountShown(alicePage, "balance-usdc", aliceUsdc);
    await alicePage.evaluate(() => {
      (globalThis as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    await buy.click();
    await bobPage.locator("[data-testid=tx-status][data-state=confirmed]").waitFor();
    const saleSignature = await bobPage.getByTestId("tx-signature").getAttribute("data-signature");
    assert.ok(saleSignature);
    assert.equal(await tokenOf(new PublicKey(card.mint), bob.publicKey), 1n, "bob holds the card on chain");
    assert.equal(await tokenOf(new PublicKey(card.mint), alice.publicKey), 0n);
    assert.equal(await tokenOf(usdc, alice.publicKey), aliceUsdc + PRICE - FEE);
    assert.equal(await balanceOf(vault), vaultBefore + FEE);
    assert.equal(
      await bobPage
        .locator(`[data-testid=sale-row][data-signature="${saleSignature}"] [data-testid=sale-fee]`)
        .getAttribute("data-amount"),
      String(FEE),
    );

    // Alice's dashboard, untouched: the sale event brought the chain's balance and took the card away.
    await amountShown(alicePage, "balance-usdc", aliceUsdc + PRICE - FEE);
    await alicePage.locator(`[data-testid=my-cards] [data-card-id="${card.id}"]`).waitFor({ state: "detached" });
    await alicePage.locator("[data-testid=activity-row]", { hasText: "Sold a card for 12.5 USDC" }).waitFor();
    assert.equal(
      await alicePage.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument),
      true,
    );

    // Bob's dashboard and the treasury: the card, his balance, the fee in the vault — each as the chain says.
    await bobPage.getByTestId("nav-dashboard").click();
    await amountShown(bobPage, "balance-usdc", await tokenOf(usdc, bob.publicKey));
    await bobPage.locator(`[data-testid=my-cards] [data-card-id="${card.id}"]`).waitFor();
    await bobPage.getByTestId("nav-treasury").click();
    await amountShown(bobPage, "vault-balance-USDC", vaultBefore + FEE);

    // The card's page reads its owner from the chain.
    await bobPage.goto(`${web.appUrl}/cards/${card.id}`);
    await bobPage.locator(`[data-testid=card-owner][data-value="${bob.publicKey.toBase58()}"]`).waitFor();
    await bobPage.getByTestId("card-sale").waitFor();
    await web.screenshot(bobPage, "card-detail");
  });

  it("a vote moves the tally live in another open page, weighed by the voter's ECE at the snapshot", async () => {
    const carolPage = await web.open(carol, `/battles/${battle.id}`);
    await carolPage.locator("[data-testid=live-status][data-state=open]").waitFor();
    await amountShown(carolPage, "tally-a", 0n);
    assert.equal(await carolPage.getByTestId("battle-status").textContent(), "live");

    // Bob, still signed in, goes through the battle list to the battle (client-side: the wallet stays connected).
    await bobPage.getByTestId("nav-battles").click();
    await bobPage.locator(`[data-testid=battle-row][data-battle-id="${battle.id}"]`).waitFor();
    await web.screenshot(bobPage, "battles");
    await bobPage.locator(`[data-testid=battle-row][data-battle-id="${battle.id}"]`).click();
    await bobPage.getByTestId("vote-a").click();
    const recorded = bobPage.getByTestId("vote-recorded");
    await recorded.waitFor();
    const weight = BigInt((await recorded.getAttribute("data-amount")) ?? "-1");
    assert.equal(
      weight,
      await tokenOf(eceMint, bob.publicKey),
      "the vote weighs bob's ECE (unchanged since the snapshot)",
    );
    assert.ok(weight > 0n);

    await amountShown(carolPage, "tally-a", weight);
    await amountShown(carolPage, "tally-b", 0n);
    assert.equal(await carolPage.getByTestId("battle-votes").textContent(), "1");
    const api = await web.api.client.get(`/api/v1/battles/${battle.id}`);
    assert.equal(api.body.tallyA, String(weight));
    assert.equal(api.body.votes, 1);
    await web.screenshot(carolPage, "battle-detail");

    // The cards gallery, and the marketplace at a phone's width.
    await carolPage.goto(`${web.appUrl}/cards`);
    await carolPage.locator(`[data-testid=cards-grid] [data-card-id="${cards[1].id}"]`).waitFor();
    await web.screenshot(carolPage, "cards");
    await carolPage.setViewportSize({ width: 390, height: 844 });
    await carolPage.goto(`${web.appUrl}/marketplace`);
    await carolPage.locator("[data-testid=sale-row]").waitFor();
    await web.screenshot(carolPage, "marketplace-mobile");
  });
});
