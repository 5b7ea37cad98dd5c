// `npm run api`: the API server until SIGINT/SIGTERM.
import { buildApp } from "./app.js";
import { readConfig } from "./config.js";
import { createDeps } from "./deps.js";

const config = readConfig(process.argv.slice(2));
const deps = await createDeps(config);
// Logs go to stderr: stdout carries only the ready line below, which whoever started us parses.
const app = await buildApp(deps, { logger: { level: config.logLevel, stream: process.stderr } });
await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : config.port;
// One line on stdout for whoever started us (tests, the dev launcher).
process.stdout.write(`${JSON.stringify({ ready: true, port, url: `http://${config.host}:${port}` })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await app.close();
  await deps.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
