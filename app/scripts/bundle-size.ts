// First-load JavaScript per route, gzipped, as a browser gets it: fetches each route's HTML
// from the production build (`next start`) and adds up the scripts it loads (gzip -9 of each
// file in .next/static). Chunks imported later on demand (the wallet adapter, web3.js, the
// SDK) are not first-load; nomodule polyfills are skipped (browsers that run ES modules do
// not load them). Dynamic segments are filled with a placeholder: the page's code is the
// same for every value. Run directly, it starts the build and exits 1 over BUDGET_KB (250);
// the web benchmark imports `firstLoad` for its table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { APP, serveApp } from "./serve.js";

const NEXT = join(APP, ".next");
export const BUDGET_KB = Number(process.env.BUDGET_KB ?? 250);

export interface RouteSize {
  route: string;
  kb: number;
  files: number;
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

/** The build's pages (not route handlers such as icon.svg), sorted. */
function routes(): string[] {
  const found = Object.entries(
    JSON.parse(readFileSync(join(NEXT, "app-path-routes-manifest.json"), "utf8")) as Record<string, string>,
  )
    .filter(([key, route]) => key.endsWith("/page") && !route.startsWith("/_"))
    .map(([, route]) => route)
    .sort();
  if (found.length === 0) throw new Error("no routes in .next: run `npm run -w @ece/app build` first");
  return found;
}

/** First-load JS of every route, from the build served at `base`. */
export async function firstLoad(base: string): Promise<RouteSize[]> {
  const rows: RouteSize[] = [];
  for (const route of routes()) {
    const path = route.replace(/\[[^\]]+\]/g, "placeholder");
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    const files = scripts(await res.text());
    rows.push({ route, kb: files.reduce((n, f) => n + gzipSize(f), 0) / 1024, files: files.length });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = await serveApp();
  try {
    const rows = await firstLoad(server.url);
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
    await server.stop();
  }
}
