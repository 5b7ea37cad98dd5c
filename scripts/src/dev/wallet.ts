// npm run dev:wallet -- alice: a dev wallet's address and its secret key in base58, the form
// browser wallets (Phantom, Backpack, Solflare) take under "import private key".
// Localnet keys only: they hold nothing of value and are written in plain files anyway.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { readKeypair } from "@ece/sdk/node";
import bs58 from "bs58";
import { REPO_ROOT } from "../anchor-programs.js";

const { values, positionals } = parseArgs({
  options: { state: { type: "string" } },
  allowPositionals: true,
  strict: true,
});
const [name] = positionals;
if (!name) {
  console.error(
    "usage: npm run dev:wallet -- NAME [--state DIR]   (NAME: alice, signer-1, guardian-1, companies/HLGD, …)",
  );
  process.exit(2);
}
const state = resolve(process.env.INIT_CWD ?? process.cwd(), values.state ?? join(REPO_ROOT, ".localnet"));
const file = join(state, "wallets", `${name}.json`);
let kp: ReturnType<typeof readKeypair>;
try {
  kp = readKeypair(file);
} catch (e) {
  console.error(`no dev wallet ${name}: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`${name}
  address      ${kp.publicKey.toBase58()}
  secret key   ${bs58.encode(kp.secretKey)}
  file         ${file}`);
