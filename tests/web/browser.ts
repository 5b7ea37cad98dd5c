// Debian's Chromium driven by playwright-core, and a browser context per wallet with the
// test wallet (tests/web/wallet) injected before any page script runs. Shared by the
// browser tests (stack.ts) and the web benchmark (scripts/src/bench/web.ts).
import { join } from "node:path";
import type { Keypair } from "@solana/web3.js";
import { buildSync } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const WALLET_NAME = "ECE Test Wallet";
export const DESKTOP = { width: 1280, height: 860 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

let bundle: string | null = null;
/** The test wallet as one script (IIFE) to inject, built once per process. */
function walletBundle(): string {
  bundle ??=
    buildSync({
      entryPoints: [join(import.meta.dirname, "wallet/test-wallet.ts")],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      write: false,
    }).outputFiles[0]?.text ?? "";
  return bundle;
}

/** A new context whose pages hold the test wallet over `key`, sending through `rpcUrl`. */
export async function walletContext(browser: Browser, key: Keypair, rpcUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const config = { secretKey: Array.from(key.secretKey), name: WALLET_NAME, rpcUrl };
  await context.addInitScript({ content: `window.__eceTestWallet=${JSON.stringify(config)};\n${walletBundle()}` });
  return context;
}

/** Connects the injected wallet and signs in with it (Sign-In With Solana through the API). */
export async function signIn(page: Page): Promise<void> {
  await page.getByTestId("connect-wallet").first().click();
  await page.getByTestId(`wallet-option-${WALLET_NAME}`).click();
  await page.getByTestId("session-wallet").waitFor();
}
