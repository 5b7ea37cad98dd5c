// Treasury proposals: creation takes turns (a proposal's address comes from the
// multisig's next index), votes and execution are plain transactions.
import { treasury } from "@ece/sdk";
import type { AccountMeta, Keypair, PublicKey } from "@solana/web3.js";
import { succeeded } from "./confirm.js";
import { Permits } from "./limits.js";
import type { Platform } from "./platform.js";
import type { Rpc } from "./rpc.js";
import type { Send, Sent, Tx } from "./sender.js";

export class Proposals {
  private readonly turn = new Permits(1);

  constructor(
    private readonly rpc: Rpc,
    private readonly p: Platform,
  ) {}

  /**
   * Creates the proposal `action(index)` by `creator` and waits until it is
   * confirmed: its address, or null when the creation did not succeed. The turn
   * is held until the creation is processed; the index is read afresh each turn,
   * as others (another Traffic, the tests) may create proposals too.
   */
  async create(
    send: Send,
    creator: Keypair,
    action: (index: bigint) => treasury.ProposalAction,
  ): Promise<PublicKey | null> {
    const { sent, address } = await this.turn.using(async () => {
      const index = await this.readNext();
      const a = action(index);
      const address = treasury.newProposalAddress(this.p.multisig, a, index);
      const sent: Sent = await send({
        label: `create ${a.kind} proposal #${index}`,
        payer: creator,
        ixs: [
          treasury.createProposalIx({
            creator: creator.publicKey,
            multisig: this.p.multisig,
            action: a,
            nextIndex: index,
            proposal: address,
          }),
        ],
      });
      // Its failure, if any, shows in `confirmed`, awaited below.
      await sent.processed().catch(() => undefined);
      return { sent, address };
    });
    return succeeded(await sent.confirmed) ? address : null;
  }

  private async readNext(): Promise<bigint> {
    return treasury.decodeMultisig(await this.rpc.account(this.p.multisig, "processed")).transactionIndex + 1n;
  }
}

export function vote(p: Platform, how: "approve" | "reject" | "cancel", member: Keypair, proposal: PublicKey): Tx {
  const build = { approve: treasury.approveIx, reject: treasury.rejectIx, cancel: treasury.cancelIx }[how];
  return {
    label: `${how} ${proposal.toBase58()}`,
    payer: member,
    ixs: [build({ member: member.publicKey, multisig: p.multisig, proposal })],
  };
}

export function execute(
  p: Platform,
  executor: Keypair,
  proposal: PublicKey,
  remaining: AccountMeta[],
  effect?: Tx["effect"],
): Tx {
  return {
    label: `execute ${proposal.toBase58()}`,
    payer: executor,
    ixs: [treasury.executeIx({ executor: executor.publicKey, multisig: p.multisig, proposal, remaining })],
    effect,
  };
}
