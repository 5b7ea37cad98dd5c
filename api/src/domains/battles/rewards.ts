// The winning side's reward: an unsigned treasury transfer proposal paying the
// reward pool to the winning card's company payout wallet, for a treasury signer
// to sign and send (then the multisig votes and executes it as any other).
import { treasury } from "@ece/sdk";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey, Transaction } from "@solana/web3.js";
import type { FastifyRequest } from "fastify";
import { audit } from "../../core/audit.js";
import { badRequest, conflict, forbidden } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { currencies } from "../../platform.js";
import { loadBattle, readBattle } from "./service.js";

export async function proposeReward(
  deps: ApiDeps,
  req: FastifyRequest,
  battleId: string,
  creator: string,
  body: { mint: "ECE" | "USDC"; totalAmount: string },
) {
  const amount = BigInt(body.totalAmount);
  if (amount <= 0n) throw badRequest("BAD_AMOUNT", "totalAmount must be positive");
  // Reading closes a battle past its end, so the outcome below is final.
  const view = await readBattle(deps, req, battleId);
  if (view.status !== "closed") throw conflict("BATTLE_NOT_CLOSED", `the battle is ${view.status}: close it first`);
  if (view.winner === null)
    throw conflict("NO_WINNER", "the battle ended in a draw: there is no winning side to reward");
  const battle = await loadBattle(deps, battleId);
  const card = await deps.prisma.card.findUniqueOrThrow({
    where: { id: view.winner === "a" ? battle.cardAId : battle.cardBId },
    include: { company: true },
  });
  const payoutWallet = card.company.payoutWallet;
  if (!payoutWallet) {
    throw conflict("NO_PAYOUT_WALLET", `the winning card's company ${card.company.name} has no payout wallet`);
  }
  const { multisig } = deps.platform;
  if (battle.rewardProposal) {
    // One reward per battle; a proposal built but never sent does not count.
    const existing = await deps.connection.getAccountInfo(new PublicKey(battle.rewardProposal), "confirmed");
    if (existing) throw conflict("REWARD_ALREADY_PROPOSED", `the reward proposal ${battle.rewardProposal} exists`);
  }
  const info = await deps.connection.getAccountInfo(multisig, "confirmed");
  if (!info) throw new Error("the treasury multisig is not on chain");
  const ms = treasury.decodeMultisig(info);
  // The chain decides who may propose, whatever the session's roles say.
  const member = ms.members.find((m) => m.key.toBase58() === creator);
  if (!member || (member.permissions & treasury.Permission.Propose) === 0) {
    throw forbidden("only a treasury member with the propose permission can create this proposal", "NOT_A_PROPOSER");
  }
  const cur = currencies(deps.platform)[body.mint];
  const to = new PublicKey(payoutWallet);
  const destination = getAssociatedTokenAddressSync(cur.mint, to, true);
  const action: treasury.ProposalAction = { kind: "transfer", mint: cur.mint, to, amount };
  const nextIndex = ms.transactionIndex + 1n;
  const proposal = treasury.newProposalAddress(multisig, action, nextIndex);
  const payer = new PublicKey(creator);
  const { blockhash, lastValidBlockHeight } = await deps.connection.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: payer, blockhash, lastValidBlockHeight }).add(
    // The transfer pays this account when executed: make sure it exists.
    createAssociatedTokenAccountIdempotentInstruction(payer, destination, to, cur.mint),
    treasury.createProposalIx({ creator: payer, multisig, action, nextIndex, proposal }),
  );
  const transaction = tx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString("base64");
  const result = {
    battleId,
    proposal: proposal.toBase58(),
    index: nextIndex.toString(),
    mint: cur.mint.toBase58(),
    to: to.toBase58(),
    destination: destination.toBase58(),
    amount: amount.toString(),
    transaction: { transaction, blockhash, lastValidBlockHeight, signers: [creator] },
  };
  await deps.prisma.$transaction(async (db) => {
    await db.battle.update({ where: { id: battleId }, data: { rewardProposal: result.proposal } });
    await audit(db, req, {
      action: "battles.reward.propose",
      resource: `battle:${battleId}`,
      before: { rewardProposal: battle.rewardProposal },
      after: { ...result, transaction: undefined },
    });
  });
  return result;
}
