// npm run seed:demo: the demo data (see demo.ts) against a running stack, with the same
// environment as `npm run api` (DATABASE_URL, RPC_URL, DEPLOYMENT, …; the deployer wallet
// must be one of the API's ADMIN_WALLETS). `npm run dev` runs it by itself on first start.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readKeypair } from "@ece/sdk/node";
import { readConfig } from "../../../api/src/config.js";
import { REPO_ROOT } from "../anchor-programs.js";
import { seedDemo } from "./demo.js";

const { values } = parseArgs({
  options: {
    api: { type: "string", default: "http://127.0.0.1:4000" },
    wallets: { type: "string" },
  },
  strict: true,
});
const config = readConfig([]);
const walletsDir = resolve(
  process.env.INIT_CWD ?? process.cwd(),
  values.wallets ?? join(REPO_ROOT, ".localnet/wallets"),
);
const summary = await seedDemo({
  apiUrl: values.api,
  rpcUrl: config.rpcUrl,
  walletsDir,
  apiEnv: {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    DEPLOYMENT: config.deploymentPath,
  },
  admin: readKeypair(join(walletsDir, "deployer.json")),
  log: (line) => console.log(line),
});
console.log(
  `${summary.made.length ? `made: ${summary.made.join(", ")}` : "already there"} — ${summary.cards} cards, ` +
    `${summary.listings} open listings, battle "${summary.battle}", payout run ${summary.payoutWeek}`,
);
