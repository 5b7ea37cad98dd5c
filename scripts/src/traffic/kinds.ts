// The independent kinds: one transaction each, sent concurrently.
import { ECE_TOKEN_PROGRAM_ID, token } from "@ece/sdk";
import { createBurnInstruction, createTransferInstruction } from "@solana/spl-token";
import { PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import { type Ctx, type Plan, single } from "./plan.js";
import { TOKENS, VAULT_TALLY } from "./platform.js";
import { execute, vote } from "./proposals.js";
import type { Tx } from "./sender.js";

const MEMO_PROGRAM_ID = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

/** ece_token mint_to by `minter` to a user; the caller decides whether it may. */
export function mintTx(c: Ctx, minter = c.p.minter): Tx {
  const user = c.rng.pick(c.p.users);
  const amount = c.amount(1_000_000);
  return {
    label: `mint ${amount} to ${user.name}`,
    payer: minter,
    ixs: [token.mintToIx({ minter: minter.publicKey, destination: user.ata.ece, amount })],
    effect: { eceSupply: amount },
  };
}

export const mint = (c: Ctx): Plan => single(mintTx(c));

export function burn(c: Ctx): Plan {
  const user = c.rng.pick(c.p.users);
  const amount = c.amount(1000);
  return single({
    label: `${user.name} burns ${amount}`,
    payer: user.key,
    ixs: [token.burnIx({ holder: user.key.publicKey, tokenAccount: user.ata.ece, amount })],
    effect: { eceSupply: -amount },
  });
}

/** SPL Token's own burn: the supply changes without ece_token. */
export function splBurn(c: Ctx): Plan {
  const user = c.rng.pick(c.p.users);
  const amount = c.amount(1000);
  return single({
    label: `${user.name} burns ${amount} through SPL Token`,
    payer: user.key,
    ixs: [createBurnInstruction(user.ata.ece, c.p.mints.ece, user.key.publicKey, amount)],
    effect: { eceSupply: -amount },
  });
}

/** A plain SPL transfer from a user into a treasury vault. */
export function revenue(c: Ctx): Plan {
  const user = c.rng.pick(c.p.users);
  const t = c.rng.pick(TOKENS);
  const amount = c.amount(10_000);
  return single({
    label: `${user.name} pays ${amount} ${t} into the vault`,
    payer: user.key,
    ixs: [createTransferInstruction(user.ata[t], c.p.vaults[t], user.key.publicKey, amount)],
    effect: { [VAULT_TALLY[t]]: amount },
  });
}

/** Lands with a program error: a mint by a non-minter, a second approval by the
 * same voter (AlreadyVoted), an execution before approval (ProposalNotApproved). */
export function failed(c: Ctx): Plan {
  const { p, decoy } = c;
  const variants: Array<() => Tx> = [
    () => mintTx(c, c.rng.pick(p.users).key),
    () => vote(p, "approve", decoy.approver, decoy.proposal),
    () => execute(p, p.executor, decoy.proposal, decoy.remaining),
  ];
  const tx = c.rng.pick(variants)();
  return single({ ...tx, ixs: [c.nonce(), ...tx.ixs], failing: true });
}

/** Instructions the IDLs cannot decode on our accounts: garbage data to ece_token
 * (fails), or a System transfer to the multisig or a vault with a Memo (succeeds). */
export function foreign(c: Ctx): Plan {
  const user = c.rng.pick(c.p.users);
  if (c.rng.chance(0.5)) {
    return single({
      label: `garbage to ece_token from ${user.name}`,
      payer: user.key,
      failing: true,
      ixs: [
        c.nonce(),
        new TransactionInstruction({
          programId: ECE_TOKEN_PROGRAM_ID,
          keys: [
            { pubkey: token.tokenConfigPda()[0], isSigner: false, isWritable: false },
            { pubkey: c.p.mints.ece, isSigner: false, isWritable: false },
          ],
          data: Buffer.from(c.rng.bytes(c.rng.int(1, 24))),
        }),
      ],
    });
  }
  const to = c.rng.pick([c.p.multisig, c.p.vaults.ece, c.p.vaults.usdc]);
  const lamports = c.amount(1000);
  return single({
    label: `${user.name} sends ${lamports} lamports to ${to.toBase58()}`,
    payer: user.key,
    ixs: [
      SystemProgram.transfer({ fromPubkey: user.key.publicKey, toPubkey: to, lamports }),
      new TransactionInstruction({
        programId: MEMO_PROGRAM_ID,
        keys: [],
        data: Buffer.from(`ece traffic: ${lamports} lamports to ${to.toBase58()}`),
      }),
    ],
  });
}
