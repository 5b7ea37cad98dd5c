// First-load JavaScript per route, gzipped, as a browser gets it: starts the production
// build (`next start` on a free port), fetches each route's HTML and adds up the scripts
// it loads (gzip -9 of each file in .next/static). Chunks imported later on demand (the
// wallet adapter, web3.js, the SDK) are not first-load; nomodule polyfills are skipped
// (browsers that run ES modules do not load them). Dynamic segments are filled with a
// placeholder: the page's code is the same for every value. Exits 1 over BUDGET_KB (250).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const APP = join(import.meta.dirname, "..");
const NEXT = join(APP, ".next");
const BUDGET_KB = Number(process.env.BUDGET_KB ?? 250);
const START_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const gzipped = new Map<string, number>();
function gzipSize(src: string): number {
  let size = gzipped.get(src);
  if (size === undefined) {
    const file = join(NEXT, decodeURIComponent(src.replace(/^\/_next\//, "")));
    size = gzipSync(readFileSync(file), { level: 9 }).length;
    gzipped.set(src, size);
  }
  return size;
}

/** The module scripts an HTML page loads (src attributes of <script> tags without nomodule). */
function scripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>/g)) {
    const attrs = m[1] ?? "";
    if (/\bnomodule\b/i.test(attrs)) continue;
    const src = /\bsrc="([^"]+\.js)"/.exec(attrs)?.[1];
    if (src?.startsWith("/_next/static/")) out.add(src);
  }
  return [...out];
}

const routes = Object.entries(
  JSON.parse(readFileSync(join(NEXT, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>,
)
  .filter(([key, route]) => key.endsWith("/page") && !route.startsWith("/_")) // pages, not route handlers (icon.svg)
  .map(([, route]) => route)
  .sort();
if (routes.length === 0) throw new Error("no routes in .next: run `npm run -w @ece/app build` first");

const port = await freePort();
const nextBin = createRequire(join(APP, "package.json")).resolve("next/dist/bin/next");
const server = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
  cwd: APP,
  stdio: "ignore",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
const base = `http://127.0.0.1:${port}`;
try {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const up = await fetch(base).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || server.exitCode !== null) throw new Error("next start did not come up");
    await new Promise((r) => setTimeout(r, 250));
  }
  const rows: { route: string; kb: number; files: number }[] = [];
  for (const route of routes) {
    const path = route.replace(/\[[^\]]+\]/g, "placeholder");
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    const files = scripts(await res.text());
    rows.push({ route, kb: files.reduce((n, f) => n + gzipSize(f), 0) / 1024, files: files.length });
  }
  const width = Math.max(...rows.map((r) => r.route.length));
  console.log(`${"route".padEnd(width)}  first-load JS (gzip)  scripts`);
  for (const r of rows) {
    console.log(
      `${r.route.padEnd(width)}  ${r.kb.toFixed(1).padStart(9)} kB${r.kb > BUDGET_KB ? " OVER" : "     "}  ${r.files}`,
    );
  }
  console.log(`budget: ${BUDGET_KB} kB per route`);
  const over = rows.filter((r) => r.kb > BUDGET_KB);
  if (over.length) {
    console.error(`over budget: ${over.map((r) => r.route).join(", ")}`);
    process.exitCode = 1;
  }
} finally {
  server.kill("SIGTERM");
}
