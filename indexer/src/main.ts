// `npm run indexer`: follows the chain into Postgres until SIGINT/SIGTERM.
import { readConfig } from "./config.js";
import { startIndexer } from "./indexer.js";
import { stderrLogger } from "./runtime.js";

const log = stderrLogger("indexer");
try {
  const config = readConfig(process.argv.slice(2));
  const indexer = await startIndexer(config, log);
  // One line on stdout for whoever started us (tests, the dev launcher).
  process.stdout.write(`${JSON.stringify({ ready: true, metricsPort: indexer.metricsPort })}\n`);
  const shutdown = async (signal: string) => {
    log.info({ signal }, "stopping");
    await indexer.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
} catch (e) {
  log.error({ err: (e as Error).message }, "indexer failed to start");
  process.stderr.write(`indexer: ${(e as Error).message}\n`);
  process.exit(1);
}
