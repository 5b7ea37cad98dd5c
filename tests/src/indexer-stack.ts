// What every indexer suite starts from: a localnet with the platform deployed,
// a migrated database of its own, and a traffic generator of program transactions.
import { FIXED_ADDRESSES } from "../../indexer/src/follow/follower.js";
import type { Manifest } from "../../scripts/src/deploy/manifest.js";
import { prepareTraffic, type Traffic } from "../../scripts/src/traffic/index.js";
import type { TestDatabase } from "./db.js";
import { startDeployed } from "./deployed.js";
import type { IndexerTarget } from "./indexer.js";
import type { LocalnetProcess } from "./localnet.js";

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
  const base = await startDeployed(label);
  const { localnet, manifest, db } = base;
  try {
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
      stop: () => base.stop(),
    };
  } catch (e) {
    await base.stop();
    throw e;
  }
}
