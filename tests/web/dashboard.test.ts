// In Chromium: a wallet signs in (Sign-In With Solana through the injected test wallet)
// and its dashboard shows the balances the chain holds.
import assert from "node:assert/strict";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import { signIn, startWebStack, type WebStack } from "./stack.js";

describe("web: sign in and the dashboard", function () {
  this.timeout(240_000);
  let web: WebStack;

  before(async () => {
    web = await startWebStack("web_dashboard");
  });
  after(async () => web?.stop());

  it("signs in with the wallet; the dashboard shows the seeded balances", async () => {
    const alice = web.api.localnet.wallet("alice");
    const page = await web.open(alice);
    await signIn(page);
    assert.equal(await page.getByTestId("session-wallet").getAttribute("data-wallet"), alice.publicKey.toBase58());
    const conn = web.api.localnet.connection();
    const usdc = new PublicKey(web.api.manifest.usdcMint);
    const info = await conn.getAccountInfo(getAssociatedTokenAddressSync(usdc, alice.publicKey), "confirmed");
    const expected = info?.data.readBigUInt64LE(64).toString();
    const shown = page.getByTestId("balance-usdc");
    await shown.waitFor();
    assert.equal(await shown.getAttribute("data-amount"), expected);
    const lamports = await conn.getBalance(alice.publicKey, "confirmed");
    assert.equal(await page.getByTestId("balance-sol").getAttribute("data-amount"), String(lamports));
    await web.screenshot(page, "dashboard");

    // The session survives a reload; signing out ends it.
    await page.reload();
    await page.getByTestId("session-wallet").waitFor();
    await page.getByTestId("sign-out").click();
    await page.getByTestId("connect-wallet").first().waitFor();
  });
});
