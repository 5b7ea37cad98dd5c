// The whole platform for the browser tests: localnet, indexer, API (with its payout job)
// and the built web app served by `next start`, all started by the test itself; Debian's
// Chromium driven by playwright-core; one browser context per wallet, each with the test
// wallet (tests/web/wallet) injected before any page script runs.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { newKeypair } from "@ece/sdk/node";
import type { Keypair } from "@solana/web3.js";
import { buildSync } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { type ApiStack, startApiStack } from "../src/api-stack.js";

const ROOT = join(import.meta.dirname, "../..");
const APP = join(ROOT, "app");
/** Screenshots of the main pages, kept as the run's artefacts. */
export const ARTEFACTS = join(ROOT, "tests/web/artefacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface WebStack {
  api: ApiStack;
  admin: Keypair;
  appUrl: string;
  browser: Browser;
  /** A page in its own context whose wallet is `key` (the test wallet, injected). */
  open(key: Keypair, path?: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The test wallet as one script (IIFE) to inject. */
function walletBundle(): string {
  const out = buildSync({
    entryPoints: [join(import.meta.dirname, "wallet/test-wallet.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
  });
  return out.outputFiles[0]?.text ?? "";
}

/** `next start` on `port`; resolves once it answers. */
async function serveApp(port: number, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const next = createRequire(join(APP, "package.json")).resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [next, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20_000);
  });
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    child.kill("SIGTERM");
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
    child.kill("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return { child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer in 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `next build` once, when the tree has no build (npm test builds it first). */
function ensureBuilt(): void {
  if (existsSync(join(APP, ".next", "BUILD_ID"))) return;
  execFileSync("npm", ["run", "-w", "@ece/app", "build"], { cwd: ROOT, stdio: "inherit" });
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
  let app: Awaited<ReturnType<typeof serveApp>> | null = null;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  const stop = async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await app?.stop();
    await api.stop();
  };
  try {
    app = await serveApp(port, {
      ...process.env,
      ECE_API_URL: api.url,
      ECE_RPC_URL: api.localnet.rpcUrl,
      NODE_ENV: "production",
    });
    browser = await chromium.launch({
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
    const script = walletBundle();
    mkdirSync(ARTEFACTS, { recursive: true });
    const b = browser;
    return {
      api,
      admin,
      appUrl,
      browser: b,
      async open(key, path = "/") {
        const context = await b.newContext({ viewport: { width: 1280, height: 860 } });
        contexts.push(context);
        const config = { secretKey: Array.from(key.secretKey), name: "ECE Test Wallet", rpcUrl: api.localnet.rpcUrl };
        await context.addInitScript({ content: `window.__eceTestWallet=${JSON.stringify(config)};\n${script}` });
        const page = await context.newPage();
        await page.goto(`${appUrl}${path}`);
        return page;
      },
      async screenshot(page, name) {
        await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Connects the injected wallet and signs in with it (Sign-In With Solana through the API). */
export async function signIn(page: Page): Promise<void> {
  await page.getByTestId("connect-wallet").first().click();
  await page.getByTestId("wallet-option-ECE Test Wallet").click();
  await page.getByTestId("session-wallet").waitFor();
}
