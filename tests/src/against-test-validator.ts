// npm run test:test-validator: the localnet conformance and subscription suites
// against solana-test-validator (LOCALNET_TARGET=test-validator makes spawnLocalnet
// start it), to compare the localnet with a real node. Where it is not installed,
// says so and exits 0: the suites have run against the localnet already.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { testValidatorAvailable } from "./test-validator.js";

const ROOT = join(import.meta.dirname, "../..");
const SUITES = ["tests/localnet/conformance-*.test.ts", "tests/localnet/subscriptions.test.ts"];
/** Per test and hook (.mocharc.json has 60 s): starting the validator and finalizing its genesis take a while. */
const TIMEOUT_MS = 180_000;

if (!testValidatorAvailable()) {
  console.log(
    "solana-test-validator is not on PATH: the localnet conformance suites were not run against it (install the Solana CLI to compare)",
  );
  process.exit(0);
}

const mocha = createRequire(import.meta.url).resolve("mocha/bin/mocha.js");
const child = spawn(process.execPath, [mocha, "--timeout", String(TIMEOUT_MS), ...SUITES], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, LOCALNET_TARGET: "test-validator" },
});
child.on("exit", (code, signal) => {
  if (signal) console.error(`mocha was ended by ${signal}`);
  process.exit(code ?? 1);
});
