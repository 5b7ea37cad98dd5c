// What the indexer and API suites start from: a localnet process with the platform
// deployed (its manifest on disk) and a migrated database of their own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deploy } from "../../scripts/src/deploy/deploy.js";
import type { Manifest } from "../../scripts/src/deploy/manifest.js";
import { freshDatabase, type TestDatabase } from "./db.js";
import { type LocalnetProcess, spawnLocalnet } from "./localnet.js";

export interface Deployed {
  localnet: LocalnetProcess;
  manifest: Manifest;
  /** The manifest's file, as `npm run deploy` writes it. */
  deploymentPath: string;
  db: TestDatabase;
  /** A scratch directory removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

export async function startDeployed(label: string): Promise<Deployed> {
  const localnet = await spawnLocalnet();
  const dir = mkdtempSync(join(tmpdir(), "ece-deployed-"));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    const deploymentPath = join(dir, "deployment.json");
    const { manifest } = await deploy({
      url: localnet.rpcUrl,
      ws: null,
      walletsDir: localnet.walletsDir,
      out: deploymentPath,
    });
    const db = await freshDatabase(label);
    return {
      localnet,
      manifest,
      deploymentPath,
      db,
      dir,
      async stop() {
        await db.drop();
        await localnet.stop();
        removeDir();
      },
    };
  } catch (e) {
    await localnet.stop();
    removeDir();
    throw e;
  }
}
