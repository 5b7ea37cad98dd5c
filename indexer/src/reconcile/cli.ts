// `npm run indexer:reconcile`: compares every on-chain account of the programs
// with the mirror, prints the differences, exits 1 if there are any.
import { readConfig } from "../config.js";
import { openRuntime, stderrLogger } from "../runtime.js";
import { reconcile } from "./reconcile.js";

const log = stderrLogger("reconcile");
try {
  const config = readConfig(process.argv.slice(2));
  const rt = await openRuntime(config, log);
  const { differences, checked } = await reconcile(rt.rpc, rt.pool, config.waitMs);
  await rt.pool.end();
  console.log(
    `checked ${checked.multisigs} multisig(s), ${checked.proposals} proposal(s), ${checked.vaults} vault(s), ` +
      `token config ${checked.tokenConfig ? "yes" : "absent"}, pause state ${checked.pauseState ? "yes" : "absent"}`,
  );
  if (differences.length === 0) console.log("mirror equals chain");
  else {
    console.table(differences.map((d) => ({ ...d, chain: String(d.chain), mirror: String(d.mirror) })));
    console.log(`${differences.length} difference(s)`);
  }
  process.exit(differences.length === 0 ? 0 : 1);
} catch (e) {
  process.stderr.write(`reconcile: ${(e as Error).message}\n`);
  process.exit(2);
}
