// What every indexer suite starts from: a localnet with the platform deployed,
// a migrated database of its own, and a traffic generator of program transactions.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXED_ADDRESSES } from "../../indexer/src/follow/follower.js";
import { deploy } from "../../scripts/src/deploy/deploy.js";
import type { Manifest } from "../../scripts/src/deploy/manifest.js";
import { prepareTraffic, type Traffic } from "../../scripts/src/traffic/index.js";
import { freshDatabase, type TestDatabase } from "./db.js";
import type { IndexerTarget } from "./indexer.js";
import { type LocalnetProcess, spawnLocalnet } from "./localnet.js";

export interface IndexerStack {
  localnet: LocalnetProcess;
  manifest: Manifest;
  db: TestDatabase;
  traffic: Traffic;
  /** The indexer's view: the node directly (suites may put a proxy in between). */
  target: IndexerTarget;
  /** Every address the indexer follows: programs, their state, ECE mint, multisig, vaults. */
  followed: string[];
  stop(): Promise<void>;
}

export async function startIndexerStack(label: string): Promise<IndexerStack> {
  const localnet = await spawnLocalnet();
  const dir = mkdtempSync(join(tmpdir(), "ece-indexer-"));
  try {
    const { manifest } = await deploy({
      url: localnet.rpcUrl,
      ws: null,
      walletsDir: localnet.walletsDir,
      out: join(dir, "deployment.json"),
    });
    const db = await freshDatabase(label);
    const traffic = await prepareTraffic({ rpcUrl: localnet.rpcUrl, walletsDir: localnet.walletsDir, manifest });
    return {
      localnet,
      manifest,
      db,
      traffic,
      target: { rpcUrl: localnet.rpcUrl, wsUrl: localnet.wsUrl, databaseUrl: db.url },
      followed: [
        ...FIXED_ADDRESSES.map(([a]) => a),
        manifest.multisig.address,
        manifest.vaults.ece,
        manifest.vaults.usdc,
      ],
      async stop() {
        await db.drop();
        await localnet.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await localnet.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
