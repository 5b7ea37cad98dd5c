// One-time setup through the real programs: the traffic's minter added by a
// treasury proposal, token accounts, balances to burn and pay out, and the
// decoy proposal the `failed` kind votes on and executes too early.
import { token, treasury } from "@ece/sdk";
import { createAssociatedTokenAccountIdempotentInstruction, createTransferInstruction } from "@solana/spl-token";
import { LAMPORTS_PER_SOL, SystemProgram } from "@solana/web3.js";
import { describe, succeeded } from "./confirm.js";
import type { Decoy } from "./plan.js";
import { type Platform, TOKENS } from "./platform.js";
import { execute, type Proposals, vote } from "./proposals.js";
import type { Rpc } from "./rpc.js";
import type { Send, Sender, Tx } from "./sender.js";

/** Base units (6 decimals) of each token a user holds and each vault starts with. */
const USER_ECE = 1_000_000n * 10n ** 6n;
const VAULT_SEED = 10_000n * 10n ** 6n;
const MINTER_SOL = 10;

export interface SetupEnv {
  rpc: Rpc;
  sender: Sender;
  proposals: Proposals;
  p: Platform;
  log: (line: string) => void;
}

/** Runs the setup; returns the decoy and the signatures it sent. */
export async function setUp({
  rpc,
  sender,
  proposals,
  p,
  log,
}: SetupEnv): Promise<{ decoy: Decoy; signatures: string[] }> {
  const signatures: string[] = [];
  const send: Send = sender.recording((_, o) => {
    if (o.landed) signatures.push(o.signature);
  });
  const must = async (tx: Tx) => {
    const o = await (await send(tx)).confirmed;
    if (!succeeded(o)) throw new Error(`traffic setup: ${tx.label}: ${describe(o)}`);
    log(`traffic setup: ${tx.label}`);
  };
  const [creator] = p.voters;
  const propose = async (label: string, action: treasury.ProposalAction) => {
    const proposal = await proposals.create(send, creator, () => action);
    if (!proposal) throw new Error(`traffic setup: ${label} failed`);
    log(`traffic setup: ${label} ${proposal.toBase58()}`);
    return proposal;
  };
  const minter = p.minter.publicKey;

  if ((await rpc.balance(minter)) < LAMPORTS_PER_SOL) {
    await must({
      label: `fund the minter ${minter.toBase58()}`,
      payer: p.deployer,
      ixs: [
        SystemProgram.transfer({
          fromPubkey: p.deployer.publicKey,
          toPubkey: minter,
          lamports: MINTER_SOL * LAMPORTS_PER_SOL,
        }),
      ],
    });
  }
  const config = token.decodeTokenConfig(await rpc.account(token.tokenConfigPda()[0]));
  if (!config.minters.some((m) => m.equals(minter))) {
    const proposal = await propose("propose addMinter", { kind: "token", action: { kind: "addMinter", minter } });
    for (const member of p.voters.slice(0, p.threshold)) await must(vote(p, "approve", member, proposal));
    await must(execute(p, p.executor, proposal, treasury.tokenAccounts()));
  }

  await must({
    label: "create the users' token accounts",
    payer: p.deployer,
    ixs: p.users.flatMap((u) =>
      TOKENS.map((t) =>
        createAssociatedTokenAccountIdempotentInstruction(p.deployer.publicKey, u.ata[t], u.key.publicKey, p.mints[t]),
      ),
    ),
  });
  await must({
    label: "mint ECE to the users and the ECE vault",
    payer: p.minter,
    ixs: [...p.users.map((u) => u.ata.ece), p.vaults.ece].map((destination, i) =>
      token.mintToIx({ minter, destination, amount: i < p.users.length ? USER_ECE : VAULT_SEED }),
    ),
  });
  const [payer] = p.users;
  await must({
    label: "seed the USDC vault",
    payer: payer.key,
    ixs: [createTransferInstruction(payer.ata.usdc, p.vaults.usdc, payer.key.publicKey, VAULT_SEED)],
  });

  const proposal = await propose("propose the decoy", {
    kind: "transfer",
    mint: p.mints.usdc,
    to: payer.key.publicKey,
    amount: 1n,
  });
  await must(vote(p, "approve", creator, proposal));
  return {
    decoy: {
      proposal,
      approver: creator,
      remaining: treasury.transferAccounts(p.multisig, p.mints.usdc, payer.ata.usdc),
    },
    signatures,
  };
}
