// Treasury vaults: the multisig's token accounts (PDA ["vault", multisig, mint])
// for the ECE mint and the USDC mint.
import { SPL_TOKEN_PROGRAM_ID, token, treasury } from "@ece/sdk";
import type { PublicKey } from "@solana/web3.js";
import { DeployError } from "./errors.js";
import { LAMPORTS_PER_SIGNATURE, type StepContext, type StepPlan } from "./target.js";
import { MINT_LEN } from "./token.js";

export const TOKEN_ACCOUNT_LEN = 165;

export interface VaultSpec {
  label: "ece" | "usdc";
  mint: PublicKey;
}

export function vaultSpecs(ctx: StepContext): VaultSpec[] {
  return [
    { label: "ece", mint: token.eceMintPda()[0] },
    { label: "usdc", mint: ctx.target.usdcMint },
  ];
}

async function requireMint(ctx: StepContext, spec: VaultSpec): Promise<void> {
  if (spec.label === "ece") return; // created by the token step
  const info = await ctx.chain.account(spec.mint);
  if (!info) {
    throw new DeployError(
      `the USDC mint ${spec.mint.toBase58()} does not exist on ${ctx.chain.url}.\n` +
        "  Pass --usdc-mint with the cluster's USDC (devnet: 4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU), or use the\n" +
        "  localnet's wallets directory, whose usdc-mint.json is the mint it creates at genesis.",
    );
  }
  if (!info.owner.equals(SPL_TOKEN_PROGRAM_ID) || info.data.length !== MINT_LEN) {
    throw new DeployError(
      `--usdc-mint ${spec.mint.toBase58()} is not an SPL Token mint (owner ${info.owner.toBase58()})`,
    );
  }
}

export async function planVault(ctx: StepContext, spec: VaultSpec): Promise<StepPlan> {
  const multisig = ctx.target.multisig;
  const [vault] = treasury.vaultPda(multisig, spec.mint);
  const step = `vault/${spec.label}`;
  const info = await ctx.chain.account(vault);
  if (info) {
    const ok =
      info.owner.equals(SPL_TOKEN_PROGRAM_ID) &&
      info.data.length === TOKEN_ACCOUNT_LEN &&
      info.data.subarray(0, 32).equals(spec.mint.toBuffer()) &&
      info.data.subarray(32, 64).equals(multisig.toBuffer());
    if (!ok) {
      throw new DeployError(
        `the ${spec.label.toUpperCase()} vault address ${vault.toBase58()} holds an account that is not a token account of ${spec.mint.toBase58()} owned by the multisig ${multisig.toBase58()}`,
      );
    }
    return { step, status: "done", detail: `${spec.label.toUpperCase()} vault ${vault.toBase58()}` };
  }
  await requireMint(ctx, spec);
  return {
    step,
    status: "todo",
    detail: `create the ${spec.label.toUpperCase()} vault ${vault.toBase58()} (mint ${spec.mint.toBase58()})`,
    cost: (await ctx.chain.rent(TOKEN_ACCOUNT_LEN)) + LAMPORTS_PER_SIGNATURE,
    run: async () => {
      await ctx.chain.send(
        "vaults",
        `create the ${spec.label.toUpperCase()} vault`,
        [treasury.createVaultIx({ payer: ctx.target.deployer.publicKey, multisig, mint: spec.mint })],
        [ctx.target.deployer],
      );
    },
  };
}
