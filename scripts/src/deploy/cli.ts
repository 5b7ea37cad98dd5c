// npm run deploy: initialise the ECE platform (programs, pause, multisig, token,
// vaults) on the localnet or, unchanged, on any cluster given its RPC URL and keys.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AnchorTomlError } from "../anchor-programs.js";
import { deploy } from "./deploy.js";
import { DeployError } from "./errors.js";
import { REPO_ROOT } from "./programs.js";
import { DEFAULT_THRESHOLD, DEFAULT_TIME_LOCK_SECONDS, ECE_CAP, ECE_DECIMALS } from "./target.js";
import { CREATE_KEY_FILE, REQUIRED_WALLETS, SIGNERS } from "./wallets.js";

const DEFAULT_URL = "http://127.0.0.1:8899";
const DEFAULT_WALLETS = join(REPO_ROOT, ".localnet/wallets");
const DEFAULT_OUT = join(REPO_ROOT, ".localnet/deployment.json");
/** ece_treasury's MAX_TIME_LOCK (90 days). */
const MAX_TIME_LOCK = 90 * 24 * 3600;

const USAGE = `Usage: npm run deploy -- [options]

Initialises the ECE platform: checks (or deploys) the three programs, initialises
ece_pause (authority = the treasury multisig, guardians guardian-1, guardian-2),
creates the treasury multisig (signer-1..3 with every permission, executor with
execute only, proposer with propose only), initialises ece_token (admin = the multisig) and creates the
multisig's ECE and USDC vaults. Steps already on chain are checked and skipped;
state that exists but differs is an error, never overwritten.

  --url URL              JSON-RPC URL (default ${DEFAULT_URL})
  --ws URL               WebSocket URL for confirmations (default: poll over HTTP only)
  --wallets DIR          keypair files ${REQUIRED_WALLETS.join(", ")}
                         (default .localnet/wallets); ${CREATE_KEY_FILE} is created there once
  --out FILE             manifest to write (default .localnet/deployment.json)
  --threshold N          multisig approvals (default ${DEFAULT_THRESHOLD}; 1..${SIGNERS.length})
  --time-lock SECONDS    multisig time lock (default ${DEFAULT_TIME_LOCK_SECONDS})
  --program-keypairs DIR deploy missing programs with DIR/<name>-keypair.json (upgradeable loader)
  --usdc-mint ADDRESS    USDC mint (default: the address of DIR/usdc-mint.json from --wallets)
  --ece-decimals N       ECE decimals (default ${ECE_DECIMALS})
  --ece-cap N            ECE cap in base units (default ${ECE_CAP})
  -h, --help             this text

Devnet: npm run deploy -- --url https://api.devnet.solana.com --wallets ~/ece-wallets \\
          --program-keypairs ~/ece-program-keys --usdc-mint 4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU \\
          --time-lock 3600 --out deployment.devnet.json
`;

/** A path as the user typed it: npm runs scripts from the repository root, and
 * INIT_CWD is where `npm run deploy` was typed. */
const userPath = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

function usage(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function int(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) usage(`--${name} must be an integer from ${min} to ${max}, got ${v}`);
  return n;
}

function u64(v: string | undefined, name: string): bigint | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || BigInt(v) === 0n || BigInt(v) >= 2n ** 64n)
    usage(`--${name} must be a positive u64, got ${v}`);
  return BigInt(v);
}

function parse() {
  return parseArgs({
    options: {
      url: { type: "string" },
      ws: { type: "string" },
      wallets: { type: "string" },
      out: { type: "string" },
      threshold: { type: "string" },
      "time-lock": { type: "string" },
      "program-keypairs": { type: "string" },
      "usdc-mint": { type: "string" },
      "ece-decimals": { type: "string" },
      "ece-cap": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

let parsed: ReturnType<typeof parse>;
try {
  parsed = parse();
} catch (e) {
  usage((e as Error).message);
}
const values = parsed.values;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  await deploy({
    url: values.url ?? DEFAULT_URL,
    ws: values.ws ?? null,
    walletsDir: values.wallets ? userPath(values.wallets) : DEFAULT_WALLETS,
    out: values.out ? userPath(values.out) : DEFAULT_OUT,
    threshold: int(values.threshold, "threshold", 1, SIGNERS.length),
    timeLockSeconds: int(values["time-lock"], "time-lock", 0, MAX_TIME_LOCK),
    programKeypairsDir: values["program-keypairs"] ? userPath(values["program-keypairs"]) : null,
    usdcMint: values["usdc-mint"] ?? null,
    eceDecimals: int(values["ece-decimals"], "ece-decimals", 0, 255),
    eceCap: u64(values["ece-cap"], "ece-cap"),
    log: (line) => console.log(line),
  });
  process.exit(0);
} catch (e) {
  if (e instanceof DeployError || e instanceof AnchorTomlError) {
    console.error(`deploy failed: ${e.message}`);
    process.exit(1);
  }
  console.error("deploy failed with an unexpected error:");
  console.error(e);
  process.exit(1);
}
