// Localnet throughput: SOL transfers sent and confirmed per second, and
// getAccountInfo requests per second with latency percentiles, over loopback,
// the node in its own process (one core each for node and load generator).

import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readKeypair, signTransaction } from "@ece/sdk/node";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { spawnLocalnetProcess } from "../localnet/spawn.js";
import { DEV_WALLETS } from "../localnet/wallets.js";
import { closedLoop, percentile, post } from "./load.js";

export interface Row {
  measure: string;
  value: string;
  target: string;
  /** The table's last column (its title is the benchmark's: see run.ts). */
  extra: string;
}

interface RpcReply {
  result?: unknown;
  error?: { message: string };
}

async function rpc<T>(agent: Agent, url: URL, method: string, params: unknown[] = []): Promise<T> {
  const reply = JSON.parse(
    await post(agent, url, JSON.stringify({ jsonrpc: "2.0", id: 1, method, params })),
  ) as RpcReply;
  if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

/** Pre-signed transfers between the dev wallets, each distinct by amount. */
function transfers(walletsDir: string, count: number, blockhash: string): string[] {
  const keys = DEV_WALLETS.map((n) => readKeypair(join(walletsDir, `${n}.json`)));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const from = keys[i % keys.length];
    const to = keys[(i + 1) % keys.length];
    if (!from || !to) throw new Error("no dev wallets");
    const tx = new Transaction().add(
      SystemProgram.transfer({
        fromPubkey: from.publicKey,
        toPubkey: to.publicKey,
        lamports: 1 + Math.floor(i / keys.length),
      }),
    );
    tx.feePayer = from.publicKey;
    tx.recentBlockhash = blockhash;
    out.push(Buffer.from(signTransaction(tx, [from])).toString("base64"));
  }
  return out;
}

async function sendThroughput(rpcUrl: string, walletsDir: string, count: number, concurrency: number) {
  const url = new URL(rpcUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency + 2 });
  const { value } = await rpc<{ value: { blockhash: string } }>(agent, url, "getLatestBlockhash", [
    { commitment: "confirmed" },
  ]);
  const wires = transfers(walletsDir, count, value.blockhash);
  const signatures: string[] = new Array(count);
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const sender = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      signatures[i] = await rpc<string>(agent, url, "sendTransaction", [wires[i], { encoding: "base64" }]);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  const sent = performance.now();
  // Poll statuses until every transfer is confirmed.
  let pending = signatures.slice();
  while (pending.length > 0) {
    const still: string[] = [];
    for (let i = 0; i < pending.length; i += 256) {
      const batch = pending.slice(i, i + 256);
      const { value: statuses } = await rpc<{ value: Array<{ confirmationStatus: string; err: unknown } | null> }>(
        agent,
        url,
        "getSignatureStatuses",
        [batch],
      );
      statuses.forEach((s, j) => {
        if (s?.err) throw new Error(`transfer failed: ${JSON.stringify(s.err)}`);
        if (!s || s.confirmationStatus === "processed") still.push(batch[j] as string);
      });
    }
    pending = still;
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 20));
  }
  const confirmed = performance.now();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    count,
    sendPerSecond: count / ((sent - start) / 1000),
    confirmedPerSecond: count / ((confirmed - start) / 1000),
    sendP99Ms: percentile(latencies, 99),
  };
}

export async function localnetBench(): Promise<{ rows: Row[]; notes: string[] }> {
  const walletsDir = mkdtempSync(join(tmpdir(), "ece-bench-wallets-"));
  const node = await spawnLocalnetProcess(["--wallets", walletsDir, "--history", "200000"]);
  try {
    const send = await sendThroughput(node.ready.rpc, walletsDir, 20_000, 32);
    const alice = readKeypair(join(walletsDir, "alice.json")).publicKey;
    const ata = getAssociatedTokenAddressSync(new PublicKey(node.ready.usdcMint), alice).toBase58();
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "getAccountInfo",
      params: [ata, { encoding: "base64", commitment: "confirmed" }],
    });
    const reads = await closedLoop(node.ready.rpc, {
      concurrency: 16,
      seconds: 10,
      warmupSeconds: 2,
      body: () => body,
      ok: (r) => r.includes('"owner":"TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"'),
    });
    if (reads.errors > 0) throw new Error(`${reads.errors} getAccountInfo replies were wrong`);
    const rows: Row[] = [
      {
        measure: `sendTransaction, SOL transfers confirmed (${send.count.toLocaleString("en")}, 32 in flight, preflight on)`,
        value: `${Math.round(send.confirmedPerSecond).toLocaleString("en")} tx/s`,
        target: "≥ 1,500 tx/s",
        extra: "1–3 tx per 400 ms slot in bursts (solana-labs/solana#23376)",
      },
      {
        measure: "sendTransaction accepted (same run)",
        value: `${Math.round(send.sendPerSecond).toLocaleString("en")} tx/s, p99 ${send.sendP99Ms.toFixed(2)} ms`,
        target: "—",
        extra: "—",
      },
      {
        measure: "getAccountInfo (token account, base64, 16 connections, 10 s)",
        value: `${Math.round(reads.perSecond).toLocaleString("en")} req/s`,
        target: "≥ 10,000 req/s",
        extra: "no published figure found",
      },
      {
        measure: "getAccountInfo latency p50 / p99 / max",
        value: `${reads.p50Ms.toFixed(2)} / ${reads.p99Ms.toFixed(2)} / ${reads.maxMs.toFixed(1)} ms`,
        target: "p99 ≤ 5 ms",
        extra: "—",
      },
    ];
    return { rows, notes: ["node and load generator in their own processes"] };
  } finally {
    node.child.kill("SIGTERM");
    await node.exited;
    rmSync(walletsDir, { recursive: true, force: true });
  }
}
