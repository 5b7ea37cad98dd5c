// The deployer pays every account's rent and every fee: check its balance covers
// what the plan will spend before sending anything.
import type { PublicKey } from "@solana/web3.js";
import type { Chain } from "./chain.js";
import { DeployError, sol } from "./errors.js";

/** Headroom over the estimate (fees can rise with priority or retries). */
const MARGIN_LAMPORTS = 10_000_000;

export async function requireFunds(
  chain: Chain,
  who: { name: string; key: PublicKey; file: string },
  needed: number,
  items: Array<{ step: string; cost: number }>,
): Promise<void> {
  if (needed === 0) return;
  const balance = await chain.balance(who.key);
  const want = needed + MARGIN_LAMPORTS;
  if (balance >= want) return;
  const key = who.key.toBase58();
  throw new DeployError(
    [
      `insufficient SOL: the ${who.name} wallet ${key} (${who.file}) has ${sol(balance)}, and this deployment needs about ${sol(want)}`,
      `  (${sol(want - balance)} more):`,
      ...items.map((i) => `    ${i.step.padEnd(22)} ${sol(i.cost)}`),
      `  Devnet: \`solana airdrop 2 ${key} --url devnet\` (or https://faucet.solana.com).`,
      `  Localnet: the dev wallets get SOL at genesis; \`solana airdrop 10 ${key} --url ${chain.url}\` also works.`,
    ].join("\n"),
  );
}
