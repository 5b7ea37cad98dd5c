// scripts/src/traffic against a localnet with the platform deployed: every kind
// lands, and what succeeded accounts exactly for the supply and vault changes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ECE_PAUSE_PROGRAM_ID, pause, token } from "@ece/sdk";
import { readKeypair } from "@ece/sdk/node";
import { PublicKey } from "@solana/web3.js";
import { deploy } from "../../scripts/src/deploy/deploy.js";
import type { Manifest } from "../../scripts/src/deploy/manifest.js";
import { MIX_KINDS, prepareTraffic, type Traffic } from "../../scripts/src/traffic/index.js";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";
import { getTokenAmount, rpc, type SignatureStatus, statuses } from "../src/localnet-client.js";

/** The failures traffic intends, by custom error code: the `failed` kind's three,
 * pauseFlow's mint, and `foreign` garbage to ece_token (Anchor's codes for data
 * too short for a discriminator, or an unknown one). */
const FAILURES: Record<number, string> = {
  6001: "NotMinter",
  6002: "AlreadyVoted",
  6004: "ProposalNotApproved",
  6100: "Paused",
  100: "InstructionMissing",
  101: "InstructionFallbackNotFound",
};

describe("scripts/traffic on the localnet", function () {
  this.timeout(60_000);
  let node: LocalnetProcess;
  let scratch: string;
  let manifest: Manifest;
  let traffic: Traffic;
  const lines: string[] = [];

  /** ECE supply and vault balances (base units). */
  const balances = async () => {
    const supply = await rpc<{ value: { amount: string } }>(node.rpcUrl, "getTokenSupply", [
      manifest.token.eceMint,
      { commitment: "confirmed" },
    ]);
    return {
      eceSupply: BigInt(supply.value.amount),
      eceVault: (await getTokenAmount(node.rpcUrl, manifest.vaults.ece)) ?? -1n,
      usdcVault: (await getTokenAmount(node.rpcUrl, manifest.vaults.usdc)) ?? -1n,
    };
  };
  const config = async () => {
    const info = await node.connection().getAccountInfo(token.tokenConfigPda()[0], "confirmed");
    assert.ok(info);
    return token.decodeTokenConfig(info);
  };

  before(async () => {
    node = await spawnLocalnet();
    scratch = mkdtempSync(join(tmpdir(), "ece-traffic-"));
    ({ manifest } = await deploy({
      url: node.rpcUrl,
      ws: null,
      walletsDir: node.walletsDir,
      out: join(scratch, "deployment.json"),
    }));
    traffic = await prepareTraffic({
      rpcUrl: node.rpcUrl,
      walletsDir: node.walletsDir,
      manifest,
      log: (line) => lines.push(line),
    });
  });
  after(async () => {
    await node.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("prepareTraffic added its minter through a treasury proposal, and a second call sends no second one", async () => {
    const minters = (await config()).minters.map((m) => m.toBase58());
    assert.deepEqual(minters, [readKeypair(join(node.walletsDir, "traffic-minter.json")).publicKey.toBase58()]);
    const setupStatuses = await statuses(node.rpcUrl, traffic.setupSignatures);
    assert.ok(setupStatuses.every((s) => s?.err === null));

    const again = await prepareTraffic({ rpcUrl: node.rpcUrl, walletsDir: node.walletsDir, manifest });
    assert.deepEqual(
      (await config()).minters.map((m) => m.toBase58()),
      minters,
    );
    assert.ok(again.setupSignatures.length < traffic.setupSignatures.length, "the minter proposal was not repeated");
  });

  it("run({count: 600}) lands every kind, and what succeeded accounts for the supply and vault changes", async () => {
    const before = await balances();
    const stats = await traffic.run({ count: 600 });
    const after = await balances();

    assert.ok(stats.sent >= 600 && stats.sent < 620, `sent ${stats.sent}`);
    assert.deepEqual(Object.keys(stats.byKind).sort(), [...MIX_KINDS].sort());
    for (const [kind, n] of Object.entries(stats.byKind)) assert.ok(n.ok + n.failed > 0, kind);
    assert.ok(stats.failed > 0 && stats.succeeded > 0);
    assert.equal(stats.dropped, 0);
    assert.equal(stats.unexpected, 0, lines.filter((l) => l.startsWith("unexpected")).join("\n"));
    assert.equal(stats.succeeded + stats.failed, stats.signatures.length);
    assert.ok(stats.byKind.failed?.failed && !stats.byKind.failed.ok, "failed: every one failed");
    assert.ok(stats.byKind.foreign?.ok && stats.byKind.foreign.failed, "foreign: some failed, some not");

    // The chain agrees on which landed and which failed.
    const chain = await statuses(node.rpcUrl, stats.signatures);
    assert.ok(chain.every((s): s is SignatureStatus => s !== null));
    assert.equal(chain.filter((s) => s.err !== null).length, stats.failed);
    const codes = new Set(
      chain.flatMap((s) => {
        const custom = (s.err as { InstructionError?: [number, { Custom?: number }] } | null)?.InstructionError?.[1]
          .Custom;
        return s.err === null ? [] : [custom ?? JSON.stringify(s.err)];
      }),
    );
    for (const code of codes) assert.ok(code in FAILURES, `an unintended failure: ${code}`);
    for (const code of [6001, 6002, 6004, 6100]) assert.ok(codes.has(code), `no ${FAILURES[code]}`);

    assert.ok(stats.expected.eceSupply !== 0n && stats.expected.usdcVault !== 0n);
    assert.deepEqual(
      {
        eceSupply: after.eceSupply - before.eceSupply,
        eceVault: after.eceVault - before.eceVault,
        usdcVault: after.usdcVault - before.usdcVault,
      },
      stats.expected,
    );

    const info = await node.connection().getAccountInfo(new PublicKey(manifest.pause.state), "confirmed");
    assert.ok(info);
    assert.equal(pause.decodePauseState(info, ECE_PAUSE_PROGRAM_ID).paused, false);
  });

  it("keeps to a rate and to the mix asked for", async () => {
    const mix = Object.fromEntries(MIX_KINDS.map((k) => [k, k === "revenue" ? 1 : 0]));
    const stats = await traffic.run({ count: 40, rate: 100, mix });
    assert.deepEqual(Object.keys(stats.byKind), ["revenue"]);
    assert.equal(stats.succeeded, 40);
    assert.ok(stats.elapsedMs >= 390, `${stats.elapsedMs} ms for 40 at 100/s`);
  });
});
