// The whole platform for the browser tests: localnet, indexer, API (with its payout job)
// and the built web app served by `next start`, all started by the test itself; Debian's
// Chromium driven by playwright-core; one browser context per wallet, each with the test
// wallet (tests/web/wallet) injected before any page script runs.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { newKeypair } from "@ece/sdk/node";
import type { Keypair } from "@solana/web3.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ensureBuilt, freePort, type ServedApp, serveApp } from "../../app/scripts/serve.js";
import type { Body } from "../src/api-client.js";
import { type ApiStack, startApiStack } from "../src/api-stack.js";
import { launchChromium, walletContext } from "./browser.js";

export { signIn } from "./browser.js";

const ROOT = join(import.meta.dirname, "../..");
/** Screenshots of the main pages, kept as the run's artefacts. */
export const ARTEFACTS = join(ROOT, "tests/web/artefacts");

export interface WebStack {
  api: ApiStack;
  admin: Keypair;
  appUrl: string;
  browser: Browser;
  /** A page in its own context whose wallet is `key` (the test wallet, injected). */
  open(key: Keypair, path?: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  /** Screenshots of every open page under artefacts/failed/, named after the failed test. */
  captureFailure(test: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebStack(label: string, env: Record<string, string> = {}): Promise<WebStack> {
  ensureBuilt();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const admin = newKeypair();
  const api = await startApiStack(label, {
    env: {
      CORS_ORIGINS: appUrl,
      SIWS_DOMAIN: `127.0.0.1:${port}`,
      SIWS_URI: appUrl,
      ADMIN_WALLETS: admin.publicKey.toBase58(),
      MARKETPLACE_FEE_BPS: "250",
      PAYOUT_WORKER: "1",
      PAYOUT_TICK_MS: "500",
      ...env,
    },
  });
  let app: ServedApp | null = null;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  const stop = async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await app?.stop();
    await api.stop();
  };
  try {
    app = await serveApp({ port, env: { ECE_API_URL: api.url, ECE_RPC_URL: api.localnet.rpcUrl } });
    browser = await launchChromium();
    mkdirSync(ARTEFACTS, { recursive: true });
    const b = browser;
    return {
      api,
      admin,
      appUrl,
      browser: b,
      async open(key, path = "/") {
        const context = await walletContext(b, key, api.localnet.rpcUrl);
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${appUrl}${path}`);
        return page;
      },
      async screenshot(page, name) {
        await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
      },
      async captureFailure(test) {
        const slug = test.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
        const pages = contexts.flatMap((c) => c.pages());
        for (const [i, page] of pages.entries())
          await page
            .screenshot({ path: join(ARTEFACTS, "failed", `${slug}-${i}.png`), fullPage: true })
            .catch(() => {});
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Company cards minted on chain to `owner` by the admin, through the API (`POST /cards`), all of one company. */
export async function mintCards(
  web: WebStack,
  adminToken: string,
  owner: Keypair,
  company: { name: string; ticker: string; sector: string },
  names: string[],
): Promise<Body[]> {
  const cards: Body[] = [];
  for (const name of names) {
    const r = await web.api.client.post(
      "/api/v1/cards",
      {
        ...(cards[0] ? { companyId: cards[0].company.id } : { company }),
        name,
        rarity: "epic",
        owner: owner.publicKey.toBase58(),
      },
      { token: adminToken },
    );
    if (r.status !== 201) throw new Error(`POST /cards: ${r.status} ${r.text}`);
    cards.push(r.body);
  }
  return cards;
}
