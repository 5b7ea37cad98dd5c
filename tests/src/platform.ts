// A chain with the three ECE programs deployed and wired as on a real cluster:
// the pause authority and the token admin are the treasury multisig PDA.
import { strict as assert } from "node:assert";
import { ECE_PAUSE_PROGRAM_ID, ECE_TOKEN_PROGRAM_ID, ECE_TREASURY_PROGRAM_ID, pause, token, treasury } from "@ece/sdk";
import { createMintToInstruction } from "@solana/spl-token";
import { type AccountMeta, Keypair, type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { recordCu } from "./cu.js";
import { createMint, createTokenAccount, mintSupply, tokenBalance } from "./spl.js";
import { expectOk, newKeypair, Svm, type TxResult } from "./svm.js";

const { Permission } = treasury;

export interface PlatformOptions {
  /** Permissions of each member, in order (default: three with all permissions). */
  permissions?: number[];
  threshold?: number;
  timeLockSeconds?: number;
  riskPolicy?: treasury.RiskTier[];
  /** ECE cap (default 1e15 base units). */
  cap?: bigint;
  /** Seeds the multisig address (default: random). Fixed where a test asserts
   * the CU of creating proposals, which depends on their PDAs' bumps. */
  createKey?: Keypair;
}

/** A fixed create key: its multisig's proposals 1–4 have canonical bumps 251,
 * 255, 254, 255 (each bump below 255 costs a search step; docs/benchmarks.md). */
export const FIXED_CREATE_KEY = Keypair.fromSeed(new Uint8Array(32).fill(7));

/** The risk policy from the issue: score ≥ 40 → +1 approval, ≥ 70 → every voter. */
export const DEFAULT_POLICY: treasury.RiskTier[] = [
  { minScore: 40, extraApprovals: 1 },
  { minScore: 70, extraApprovals: treasury.ALL_VOTERS },
];

const PROGRAMS = [
  [ECE_PAUSE_PROGRAM_ID, "ece_pause.so"],
  [ECE_TOKEN_PROGRAM_ID, "ece_token.so"],
  [ECE_TREASURY_PROGRAM_ID, "ece_treasury.so"],
] as const;

export class Platform {
  readonly svm: Svm;
  readonly members: Keypair[];
  readonly guardians = [newKeypair(), newKeypair()];
  readonly createKey: Keypair;
  readonly multisig: PublicKey;
  /** A USDC-like mint (6 decimals) whose authority is the test payer. */
  readonly usdc: PublicKey;
  readonly ece = token.eceMintPda()[0];

  /** A new chain, or `reuse`'s chain with the singletons (pause state, token
   * config, ECE mint) wiped first: the property test runs thousands of
   * platforms and a new LiteSVM costs ~25 ms. */
  constructor(
    readonly options: PlatformOptions = {},
    reuse?: Svm,
  ) {
    this.svm = reuse ?? new Svm(PROGRAMS);
    this.createKey = options.createKey ?? newKeypair();
    if (reuse)
      for (const key of [pause.pauseStatePda()[0], token.tokenConfigPda()[0], this.ece])
        reuse.setAccount(key, { data: new Uint8Array(), owner: SystemProgram.programId, lamports: 0 });
    const permissions = options.permissions ?? [Permission.All, Permission.All, Permission.All];
    this.members = permissions.map(() => newKeypair());
    for (const m of this.members) this.svm.airdrop(m.publicKey, 10);
    this.multisig = treasury.multisigPda(this.createKey.publicKey)[0];
    const payer = this.svm.payer.publicKey;

    expectOk(
      this.svm.send([
        pause.initializeIx({ payer, authority: this.multisig, guardians: this.guardians.map((g) => g.publicKey) }),
        token.initializeIx({ payer, decimals: 6, maxSupply: options.cap ?? 10n ** 15n, admin: this.multisig }),
      ]),
    );
    const created = this.svm.send(
      [
        treasury.createMultisigIx({
          creator: payer,
          createKey: this.createKey.publicKey,
          members: this.members.map((m, i) => ({ key: m.publicKey, permissions: permissions[i] ?? 0 })),
          threshold: options.threshold ?? 2,
          timeLockSeconds: options.timeLockSeconds ?? 0,
          riskPolicy: options.riskPolicy ?? DEFAULT_POLICY,
        }),
      ],
      [this.createKey],
    );
    expectOk(created);
    recordCu("ece_treasury", "create_multisig", created.computeUnits, null);
    this.usdc = createMint(this.svm);
    const vault = this.svm.send([treasury.createVaultIx({ payer, multisig: this.multisig, mint: this.usdc })]);
    expectOk(vault);
    recordCu("ece_treasury", "create_vault", vault.computeUnits, null);
  }

  send(ixs: TransactionInstruction[], signers: Keypair[] = []): TxResult {
    return this.svm.send(ixs, signers);
  }

  private usdcVault: PublicKey | undefined;

  vault(mint: PublicKey = this.usdc): PublicKey {
    if (!mint.equals(this.usdc)) return treasury.vaultPda(this.multisig, mint)[0];
    this.usdcVault ??= treasury.vaultPda(this.multisig, mint)[0];
    return this.usdcVault;
  }

  /** A new token account of `mint` owned by `owner`. */
  tokenAccount(owner: PublicKey, mint: PublicKey = this.usdc): PublicKey {
    return createTokenAccount(this.svm, mint, owner);
  }

  /** Mints test USDC into a token account (as revenue reaching the vault, say). */
  fundUsdc(to: PublicKey, amount: bigint): void {
    expectOk(this.svm.send([createMintToInstruction(this.usdc, to, this.svm.payer.publicKey, amount)]));
  }

  /** A token account's balance. */
  balance(account: PublicKey): bigint {
    return tokenBalance(this.svm, account);
  }

  supply(mint: PublicKey = this.ece): bigint {
    return mintSupply(this.svm, mint);
  }

  multisigState(): treasury.Multisig {
    const info = this.svm.account(this.multisig);
    assert.ok(info, "multisig exists");
    return treasury.decodeMultisig(info);
  }

  proposal(address: PublicKey): treasury.Proposal {
    const info = this.svm.account(address);
    assert.ok(info, `proposal ${address.toBase58()} exists`);
    return treasury.decodeProposal(info);
  }

  tokenConfig(): token.TokenConfig {
    const info = this.svm.account(token.tokenConfigPda()[0]);
    assert.ok(info, "token config exists");
    return token.decodeTokenConfig(info);
  }

  paused(): boolean {
    const info = this.svm.account(pause.pauseStatePda()[0]);
    assert.ok(info, "pause state exists");
    return pause.decodePauseState(info, ECE_PAUSE_PROGRAM_ID).paused;
  }

  /** Creates a proposal; returns the transaction result and the proposal's address. */
  propose(
    creator: Keypair,
    action: treasury.ProposalAction,
    extra: { riskScore?: number; complianceHash?: Uint8Array } = {},
  ): { r: TxResult; proposal: PublicKey } {
    const nextIndex = this.multisigState().transactionIndex + 1n;
    const proposal = treasury.newProposalAddress(this.multisig, action, nextIndex);
    const r = this.send(
      [treasury.createProposalIx({ creator: creator.publicKey, multisig: this.multisig, action, nextIndex, ...extra })],
      [creator],
    );
    return { r, proposal };
  }

  vote(kind: "approve" | "reject" | "cancel", member: Keypair, proposal: PublicKey): TxResult {
    const build = { approve: treasury.approveIx, reject: treasury.rejectIx, cancel: treasury.cancelIx }[kind];
    return this.send([build({ member: member.publicKey, multisig: this.multisig, proposal })], [member]);
  }

  /** Approves with the first `n` members, each vote expected to succeed. */
  approveBy(proposal: PublicKey, n: number): void {
    for (const m of this.members.slice(0, n)) expectOk(this.vote("approve", m, proposal));
  }

  execute(executor: Keypair, proposal: PublicKey, remaining: AccountMeta[]): TxResult {
    return this.send(
      [treasury.executeIx({ executor: executor.publicKey, multisig: this.multisig, proposal, remaining })],
      [executor],
    );
  }

  /** The accounts to execute a proposal whose action is known. */
  executeAccounts(action: treasury.ProposalAction, destinationOrRecipients: PublicKey[] = []): AccountMeta[] {
    switch (action.kind) {
      case "transfer":
        return treasury.transferAccounts(this.multisig, action.mint, destinationOrRecipients[0] ?? action.to);
      case "payoutBatch":
        return treasury.payoutAccounts(this.multisig, action.mint, destinationOrRecipients);
      case "pause":
        return treasury.pauseAccounts();
      case "token":
        return treasury.tokenAccounts();
      case "config":
        return [];
    }
  }

  pauseNow(guardian: Keypair = this.guardians[0] as Keypair): void {
    expectOk(this.send([pause.pauseIx({ guardian: guardian.publicKey, reason: 7 })], [guardian]));
  }
}

/** A member, by index, that must exist. */
export function member(p: Platform, i: number): Keypair {
  const m = p.members[i];
  assert.ok(m, `member ${i} exists`);
  return m;
}
