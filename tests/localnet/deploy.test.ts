// scripts/deploy against a localnet it starts: the CLI runs as its own process,
// as a developer runs it, and the result is checked over RPC with the SDK's decoders.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeProgramError,
  ECE_IDLS,
  ECE_PAUSE_PROGRAM_ID,
  pause,
  SPL_TOKEN_PROGRAM_ID,
  token,
  treasury,
} from "@ece/sdk";
import { newKeypair, writeKeypair } from "@ece/sdk/node";
import { AccountLayout, createTransferInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import {
  type Connection,
  type Keypair,
  PublicKey,
  SendTransactionError,
  sendAndConfirmTransaction,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { Chain } from "../../scripts/src/deploy/chain.js";
import { DeployError } from "../../scripts/src/deploy/errors.js";
import { BPF_LOADER_UPGRADEABLE_ID, decodeProgramData, programDataAddress } from "../../scripts/src/deploy/loader.js";
import type { Manifest } from "../../scripts/src/deploy/manifest.js";
import { type ProgramSpec, planPrograms, writeChunkSize } from "../../scripts/src/deploy/programs.js";
import { sendIxs } from "../src/api-client.js";
import { runCli } from "../src/cli.js";
import { type LocalnetProcess, spawnLocalnet } from "../src/localnet.js";

const CLI = join(import.meta.dirname, "../../scripts/src/deploy/cli.ts");
const PROBE = join(import.meta.dirname, "../../programs/deploy/pause_probe.so");
const { Permission } = treasury;

const runDeploy = (args: string[]) => runCli(CLI, args);

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function account(connection: Connection, key: PublicKey | string) {
  const info = await connection.getAccountInfo(new PublicKey(key), "confirmed");
  assert.ok(info, `account ${key.toString()} exists`);
  return info;
}

/** The name of the program error `ix`, signed by `signer`, is refused with at preflight. */
async function refusal(
  connection: Connection,
  ix: TransactionInstruction,
  signer: Keypair,
): Promise<string | undefined> {
  const error = await sendIxs(connection, [ix], [signer]).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof SendTransactionError, `refused, got ${String(error)}`);
  return decodeProgramError(error.transactionError.logs ?? [], ECE_IDLS)?.name;
}

describe("scripts/deploy on the localnet", function () {
  this.timeout(30_000);
  let node: LocalnetProcess;
  let connection: Connection;
  let scratch: string;
  let manifestPath: string;
  let first: Manifest;
  const args = () => ["--url", node.rpcUrl, "--wallets", node.walletsDir, "--out", manifestPath];
  const deployerSignatures = async () =>
    (await connection.getSignaturesForAddress(node.wallet("deployer").publicKey, {}, "confirmed")).length;

  before(async () => {
    node = await spawnLocalnet({ slotMs: 50 });
    connection = node.connection();
    scratch = mkdtempSync(join(tmpdir(), "ece-deploy-"));
    manifestPath = join(scratch, "deployment.json");
  });
  after(async () => {
    await node.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** A copy of the dev wallets, changed by `edit`. */
  function walletsCopy(name: string, edit: (dir: string) => void): string {
    const dir = join(scratch, name);
    cpSync(node.walletsDir, dir, { recursive: true });
    edit(dir);
    return dir;
  }

  it("fails before sending anything when a wallet is missing, the deployer is unfunded or the RPC is unreachable", async () => {
    const noSigner2 = walletsCopy("no-signer-2", (dir) => rmSync(join(dir, "signer-2.json")));
    const unfunded = walletsCopy("unfunded", (dir) => writeKeypair(join(dir, "deployer.json"), newKeypair()));
    const port = await closedPort();
    const before = await deployerSignatures();
    const [missing, poor, unreachable] = await Promise.all([
      runDeploy(["--url", node.rpcUrl, "--wallets", noSigner2, "--out", join(scratch, "x.json")]),
      runDeploy(["--url", node.rpcUrl, "--wallets", unfunded, "--out", join(scratch, "y.json")]),
      runDeploy(["--url", `http://127.0.0.1:${port}`, "--wallets", node.walletsDir, "--out", join(scratch, "z.json")]),
    ]);

    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /missing wallet signer-2: .*signer-2\.json/);
    assert.match(missing.stderr, /solana-keygen new/);

    assert.equal(poor.code, 1, poor.stderr);
    assert.match(poor.stderr, /insufficient SOL: the deployer wallet \w+ \(.*deployer\.json\) has 0 SOL/);
    assert.match(poor.stderr, /needs about [\d.]+ SOL/);

    assert.equal(unreachable.code, 1, unreachable.stderr);
    assert.ok(
      unreachable.stderr.includes(`cannot reach the Solana RPC at http://127.0.0.1:${port}`),
      unreachable.stderr,
    );

    assert.equal(await deployerSignatures(), before, "nothing was sent");
    assert.equal((await connection.getAccountInfo(pause.pauseStatePda()[0])) === null, true, "pause not initialised");
  });

  it("initialises pause, multisig, token and vaults, and writes the manifest", async () => {
    // With --ws, confirmations also arrive by signatureSubscribe.
    const run = await runDeploy([...args(), "--ws", node.wsUrl]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /Sent 5 transactions/);
    assert.doesNotMatch(run.stdout + run.stderr, /Ignored unsubscribe|ws error/i);
    first = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    assert.equal(first.lastRun.transactionsSent, 5);
    assert.deepEqual(
      first.transactions.map((t) => t.step),
      ["pause", "multisig", "token", "vaults", "vaults"],
    );
    for (const t of first.transactions) {
      const status = (await connection.getSignatureStatus(t.signature)).value;
      assert.equal(status?.err, null, `${t.description} landed`);
    }

    const w = (name: string) => node.wallet(name).publicKey;
    const multisig = new PublicKey(first.multisig.address);
    const createKey = node.wallet("multisig-create-key").publicKey;
    assert.ok(multisig.equals(treasury.multisigPda(createKey)[0]), "multisig is the create key's PDA");

    const m = treasury.decodeMultisig(await account(connection, multisig));
    assert.deepEqual(
      m.members.map((x) => [x.key.toBase58(), x.permissions]),
      [
        [w("signer-1").toBase58(), Permission.All],
        [w("signer-2").toBase58(), Permission.All],
        [w("signer-3").toBase58(), Permission.All],
        [w("executor").toBase58(), Permission.Execute],
        [w("proposer").toBase58(), Permission.Propose],
      ],
    );
    assert.equal(m.threshold, 2);
    assert.equal(m.timeLockSeconds, 0);
    assert.deepEqual(m.riskPolicy, [
      { minScore: 40, extraApprovals: 1 },
      { minScore: 70, extraApprovals: treasury.ALL_VOTERS },
    ]);

    const p = pause.decodePauseState(await account(connection, pause.pauseStatePda()[0]), ECE_PAUSE_PROGRAM_ID);
    assert.ok(p.authority.equals(multisig), "pause authority is the multisig");
    assert.deepEqual(
      p.guardians.map((g) => g.toBase58()),
      [w("guardian-1").toBase58(), w("guardian-2").toBase58()],
    );
    assert.equal(p.paused, false);

    const c = token.decodeTokenConfig(await account(connection, token.tokenConfigPda()[0]));
    assert.ok(c.admin.equals(multisig), "token admin is the multisig");
    assert.equal(c.decimals, 6);
    assert.equal(c.cap, 10n ** 15n);
    assert.ok(c.mint.equals(token.eceMintPda()[0]));

    for (const [mint, vault] of [
      [c.mint.toBase58(), first.vaults.ece],
      [node.usdcMint, first.vaults.usdc],
    ] as const) {
      const info = await account(connection, vault);
      assert.ok(info.owner.equals(SPL_TOKEN_PROGRAM_ID));
      const tokenAccount = AccountLayout.decode(info.data);
      assert.equal(tokenAccount.mint.toBase58(), mint);
      assert.ok(tokenAccount.owner.equals(multisig), "vault owned by the multisig PDA");
      assert.equal(vault, treasury.vaultPda(multisig, new PublicKey(mint))[0].toBase58());
    }

    assert.equal(first.pause.state, pause.pauseStatePda()[0].toBase58());
    assert.equal(first.token.config, token.tokenConfigPda()[0].toBase58());
    assert.equal(first.token.eceMint, token.eceMintPda()[0].toBase58());
    assert.equal(first.usdcMint, node.usdcMint);
    assert.deepEqual(
      first.multisig.members.map((x) => [x.name, x.permissionNames.join("+")]),
      [
        ["signer-1", "Propose+Vote+Execute"],
        ["signer-2", "Propose+Vote+Execute"],
        ["signer-3", "Propose+Vote+Execute"],
        ["executor", "Execute"],
        ["proposer", "Propose"],
      ],
    );
    assert.equal(first.multisig.proposer, w("proposer").toBase58());
    assert.equal(first.multisig.executor, w("executor").toBase58());
    assert.deepEqual(
      first.pause.guardians.map((g) => g.name),
      ["guardian-1", "guardian-2"],
    );
    assert.deepEqual(Object.keys(first.programs), ["ece_pause", "ece_token", "ece_treasury"]);
    for (const program of Object.values(first.programs)) assert.equal(program.matchesBinary, true);
  });

  it("a second run sends nothing, says so and writes the same addresses", async () => {
    const before = await deployerSignatures();
    const run = await runDeploy(args());
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /no transactions were sent/);
    assert.doesNotMatch(run.stdout, /→/);
    const again = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    assert.equal(again.lastRun.transactionsSent, 0);
    // Everything but this run's record (and the first run's --ws URL) is the same.
    const addresses = (x: Manifest) => ({
      ...x,
      cluster: { ...x.cluster, wsUrl: null },
      transactions: null,
      lastRun: null,
    });
    assert.deepEqual(addresses(again), addresses(first));
    assert.deepEqual(again.transactions, first.transactions, "earlier signatures are kept");
    assert.equal(await deployerSignatures(), before, "nothing was sent");
  });

  it("refuses to run against a deployment whose settings differ, naming each difference", async () => {
    const run = await runDeploy([...args(), "--threshold", "3", "--time-lock", "3600"]);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, /already exists with other settings/);
    assert.match(run.stderr, /threshold is 2, asked for 3/);
    assert.match(run.stderr, /time lock is 0 s, asked for 3600 s/);
    const stale = walletsCopy("other-guardian", (dir) => writeKeypair(join(dir, "guardian-2.json"), newKeypair()));
    const other = await runDeploy(["--url", node.rpcUrl, "--wallets", stale, "--out", join(scratch, "w.json")]);
    assert.equal(other.code, 1, other.stdout);
    assert.match(other.stderr, /ece_pause is already initialised .* with other settings/);
    assert.match(other.stderr, /guardians are/);
  });

  it("the proposer creates a payout batch but can neither approve nor execute it, and is not a voter", async () => {
    const wallet = (name: string) => node.wallet(name);
    const [proposer, executor, alice] = [wallet("proposer"), wallet("executor"), wallet("alice")];
    const multisig = new PublicKey(first.multisig.address);
    const usdc = new PublicKey(first.usdcMint);
    const bobUsdc = getAssociatedTokenAddressSync(usdc, wallet("bob").publicKey);
    const carolUsdc = getAssociatedTokenAddressSync(usdc, wallet("carol").publicKey);
    const balance = async (a: PublicKey) =>
      BigInt((await connection.getTokenAccountBalance(a, "confirmed")).value.amount);
    const fund = createTransferInstruction(
      getAssociatedTokenAddressSync(usdc, alice.publicKey),
      new PublicKey(first.vaults.usdc),
      alice.publicKey,
      3_000_000n,
    );
    await sendIxs(connection, [fund], [alice]);

    const action: treasury.ProposalAction = {
      kind: "payoutBatch",
      mint: usdc,
      week: 2951,
      totalAmount: 3_000_000n,
      entryCount: 2,
      entries: [
        { recipient: bobUsdc, amount: 1_000_000n },
        { recipient: carolUsdc, amount: 2_000_000n },
      ],
    };
    const nextIndex = treasury.decodeMultisig(await account(connection, multisig)).transactionIndex + 1n;
    const proposal = treasury.newProposalAddress(multisig, action, nextIndex);
    const read = async () => treasury.decodeProposal(await account(connection, proposal));
    // Score 70 needs every voter: three, as the proposer (like the executor) holds no vote.
    const create = treasury.createProposalIx({
      creator: proposer.publicKey,
      multisig,
      action,
      nextIndex,
      riskScore: 70,
    });
    await sendIxs(connection, [create], [proposer]);
    const created = await read();
    assert.ok(created.creator.equals(proposer.publicKey));
    assert.equal(created.status, "Active");
    assert.equal(created.voters, 3);
    assert.equal(created.required, 3);

    const approve = (kp: Keypair) => treasury.approveIx({ member: kp.publicKey, multisig, proposal });
    const execute = (kp: Keypair) =>
      treasury.executeIx({
        executor: kp.publicKey,
        multisig,
        proposal,
        remaining: treasury.payoutAccounts(multisig, usdc, [bobUsdc, carolUsdc]),
      });
    assert.equal(await refusal(connection, approve(proposer), proposer), "MissingPermission");
    assert.equal((await read()).approvals, 0);
    for (const name of ["signer-1", "signer-2", "signer-3"])
      await sendIxs(connection, [approve(wallet(name))], [wallet(name)]);
    assert.equal((await read()).status, "Approved");
    assert.equal(await refusal(connection, execute(proposer), proposer), "MissingPermission");
    assert.equal((await read()).executedEntries, 0);

    const balances = () => Promise.all([balance(bobUsdc), balance(carolUsdc)]);
    const [bob, carol] = await balances();
    await sendIxs(connection, [execute(executor)], [executor]);
    assert.equal((await read()).status, "Executed");
    assert.deepEqual(await balances(), [bob + 1_000_000n, carol + 2_000_000n]);
  });

  it("deploys pause_probe.so through step 1's upgradeable-loader code at a fresh address, and the program runs", async () => {
    const deployer = node.wallet("deployer");
    const program = newKeypair();
    const chain = new Chain({ url: node.rpcUrl, pollMs: 50 });
    const ctx = { chain, target: { deployer } };
    const probe: ProgramSpec = { name: "pause_probe", id: program.publicKey, file: PROBE };

    // Missing and no keypairs: a clear refusal, nothing sent.
    await assert.rejects(planPrograms(ctx, null, [probe]), (e: Error) => {
      assert.ok(e instanceof DeployError);
      assert.match(e.message, /pause_probe is not deployed on .*\n {2}pause_probe at \w+/);
      assert.match(e.message, /--program-keypairs DIR where DIR holds\n {2}pause_probe-keypair\.json/);
      return true;
    });
    const keys = join(scratch, "program-keys");
    await assert.rejects(planPrograms(ctx, keys, [probe]), /pause_probe-keypair\.json does not exist/);
    writeKeypair(join(keys, "pause_probe-keypair.json"), program);

    const [plan] = await planPrograms(ctx, keys, [probe]);
    assert.equal(plan?.status, "todo");
    if (plan?.status !== "todo") return;
    await plan.run();
    const elf = readFileSync(PROBE);
    // create buffer, the writes, deploy
    assert.equal(chain.sent.length, 2 + Math.ceil(elf.length / writeChunkSize()));
    const [again] = await planPrograms(ctx, null, [probe]);
    assert.equal(again?.status, "done");
    assert.match(again?.detail ?? "", /matches programs\/deploy\/pause_probe\.so/);

    const info = await account(connection, program.publicKey);
    assert.ok(info.owner.equals(BPF_LOADER_UPGRADEABLE_ID));
    assert.equal(info.executable, true);
    const pd = await account(connection, programDataAddress(program.publicKey));
    const meta = decodeProgramData(pd.data);
    assert.ok(meta?.upgradeAuthority?.equals(deployer.publicKey), "the deployer is the upgrade authority");
    assert.ok(pd.data.subarray(45, 45 + elf.length).equals(elf), "the ELF is in the ProgramData account");

    await chain.waitSlots(1);
    const alice = node.wallet("alice");
    const pauseState = { pubkey: pause.pauseStatePda()[0], isSigner: false, isWritable: false };
    // 0: no-op; 1: require_not_paused on the pause state the deploy created.
    for (const op of [0, 1]) {
      const ix = new TransactionInstruction({
        programId: program.publicKey,
        keys: [pauseState],
        data: Buffer.from([op]),
      });
      const sig = await sendAndConfirmTransaction(connection, new Transaction().add(ix), [alice], {
        commitment: "confirmed",
      });
      const tx = await connection.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      assert.equal(tx?.meta?.err, null);
      assert.ok(tx?.meta?.logMessages?.includes(`Program ${program.publicKey.toBase58()} success`));
    }
  });
});
