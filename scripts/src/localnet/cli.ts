// npm run localnet: Solana's JSON-RPC and WebSocket APIs over LiteSVM.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../anchor-programs.js";
import { DEV_SOL, DEV_USDC } from "./genesis.js";
import { DEFAULTS, startLocalnet } from "./node.js";

const USAGE = `Usage: npm run localnet -- [options]

  --port N            JSON-RPC port (default ${DEFAULTS.port}; 0 = any free port)
  --ws-port N         WebSocket port (default: port + 1)
  --host H            listen address (default ${DEFAULTS.host})
  --state DIR         save the ledger in DIR and restore it on the next start
  --reset             delete the saved ledger first and start from genesis
  --wallets DIR       dev wallet keypairs (default .localnet/wallets; generated if missing)
  --slot-ms N         slot time in ms (default ${DEFAULTS.slotMs})
  --finality N        slots from confirmed to finalized (default ${DEFAULTS.finalityDepth})
  --history N         transactions kept (default ${DEFAULTS.history.transactions})
  --history-blocks N  blocks kept (default ${DEFAULTS.history.blocks})
  --ready-json        print one JSON line with the URLs when ready (for programs that start the node)
`;

function int(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${v}\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "ws-port": { type: "string" },
    host: { type: "string" },
    state: { type: "string" },
    reset: { type: "boolean" },
    wallets: { type: "string" },
    "slot-ms": { type: "string" },
    finality: { type: "string" },
    history: { type: "string" },
    "history-blocks": { type: "string" },
    "ready-json": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const slotMs = int(values["slot-ms"], DEFAULTS.slotMs, "slot-ms");
if (slotMs < 10) {
  console.error("--slot-ms must be at least 10");
  process.exit(2);
}

const localnet = await startLocalnet({
  host: values.host ?? DEFAULTS.host,
  port: int(values.port, DEFAULTS.port, "port"),
  wsPort: values["ws-port"] === undefined ? undefined : int(values["ws-port"], 0, "ws-port"),
  stateDir: values.state ? resolve(values.state) : null,
  reset: values.reset ?? false,
  walletsDir: resolve(values.wallets ?? join(REPO_ROOT, ".localnet/wallets")),
  slotMs,
  finalityDepth: int(values.finality, DEFAULTS.finalityDepth, "finality"),
  history: {
    transactions: int(values.history, DEFAULTS.history.transactions, "history"),
    blocks: int(values["history-blocks"], DEFAULTS.history.blocks, "history-blocks"),
  },
  log: (line) => console.error(line),
});

if (values["ready-json"]) {
  console.log(
    JSON.stringify({
      rpc: localnet.rpcUrl,
      ws: localnet.wsUrl,
      usdcMint: localnet.usdcMint,
      wallets: localnet.wallets.dir,
      programs: localnet.programs,
      fresh: localnet.fresh,
    }),
  );
} else {
  const w = localnet.wallets;
  if (w.generated.length > 0) {
    console.log(`Generated dev wallets in ${w.dir} (shown once; the files are the keys):`);
    for (const [name, kp] of w.wallets) console.log(`  ${name.padEnd(11)} ${kp.publicKey.toBase58()}`);
    console.log(`  usdc-mint   ${w.usdcMint.publicKey.toBase58()}`);
  }
  console.log(`ECE localnet (LiteSVM) — ${localnet.fresh ? "new ledger from genesis" : "ledger restored"}`);
  console.log(`  JSON-RPC   ${localnet.rpcUrl}`);
  console.log(`  WebSocket  ${localnet.wsUrl}`);
  for (const p of localnet.programs) console.log(`  ${p.name.padEnd(11)}${p.id}`);
  console.log(`  USDC mint  ${localnet.usdcMint} (6 decimals)`);
  console.log(`  wallets    ${w.dir} (${w.wallets.size}, each ${DEV_SOL} SOL and ${DEV_USDC} USDC at genesis)`);
  console.log(`  state      ${values.state ? resolve(values.state) : "in memory (use --state DIR to keep it)"}`);
  console.log("Ctrl-C stops it.");
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    localnet.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  });
}
