// The winning side's reward: an unsigned treasury transfer proposal paying the
// reward pool to the winning card's company payout wallet, for a treasury signer
// to sign and send (then the multisig votes and executes it as any other).
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import type { FastifyRequest } from "fastify";
import { audit } from "../../core/audit.js";
import { badRequest, conflict } from "../../core/errors.js";
import type { ApiDeps } from "../../deps.js";
import { currencies } from "../../platform.js";
import type { Built } from "../treasury/chain.js";
import { buildCreate } from "../treasury/service.js";
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
  if (battle.rewardProposal) {
    // One reward per battle; a proposal built but never sent does not count.
    const existing = await deps.connection.getAccountInfo(new PublicKey(battle.rewardProposal), "confirmed");
    if (existing) throw conflict("REWARD_ALREADY_PROPOSED", `the reward proposal ${battle.rewardProposal} exists`);
  }
  // The treasury domain builds it, as any transfer proposal (membership, destination account, index).
  const built = await buildCreate(deps, creator, {
    action: { kind: "transfer", mint: body.mint, to: payoutWallet, amount: amount.toString() },
  });
  const mint = currencies(deps.platform)[body.mint].mint;
  const result = {
    battleId,
    proposal: built.proposal,
    index: built.index as string,
    mint: mint.toBase58(),
    to: payoutWallet,
    destination: getAssociatedTokenAddressSync(mint, new PublicKey(payoutWallet), true).toBase58(),
    amount: amount.toString(),
    transaction: built.transactions[0] as Built,
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
