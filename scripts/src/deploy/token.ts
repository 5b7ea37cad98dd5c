// Initialise ece_token: admin = the treasury multisig PDA, the ECE decimals and
// cap. The program creates the config PDA and the ECE mint PDA (its authority).
import { ECE_TOKEN_PROGRAM_ID, SPL_TOKEN_PROGRAM_ID, token } from "@ece/sdk";
import { DeployError } from "./errors.js";
import { LAMPORTS_PER_SIGNATURE, type StepContext, type StepPlan } from "./target.js";

/** TokenConfig's size (ece_shared::token::layout::LEN) and an SPL mint's. */
export const TOKEN_CONFIG_LEN = 98 + 32 * 8;
export const MINT_LEN = 82;

export async function readTokenConfig(ctx: StepContext): Promise<token.TokenConfig | null> {
  const [config] = token.tokenConfigPda();
  const info = await ctx.chain.account(config);
  if (!info) return null;
  try {
    return token.decodeTokenConfig(info, ECE_TOKEN_PROGRAM_ID);
  } catch (e) {
    throw new DeployError(`the token config ${config.toBase58()} exists but cannot be read: ${(e as Error).message}`);
  }
}

export async function planToken(ctx: StepContext): Promise<StepPlan> {
  const { target } = ctx;
  const [config] = token.tokenConfigPda();
  const [mint] = token.eceMintPda();
  const found = await readTokenConfig(ctx);
  if (found) {
    const diffs: string[] = [];
    if (!found.admin.equals(target.multisig)) {
      diffs.push(`admin is ${found.admin.toBase58()}, this deployment's multisig is ${target.multisig.toBase58()}`);
    }
    if (found.decimals !== target.eceDecimals) {
      diffs.push(`decimals are ${found.decimals}, asked for ${target.eceDecimals} (--ece-decimals)`);
    }
    if (found.cap !== target.eceCap) diffs.push(`cap is ${found.cap}, asked for ${target.eceCap} (--ece-cap)`);
    if (!found.mint.equals(mint)) diffs.push(`mint is ${found.mint.toBase58()}, expected the PDA ${mint.toBase58()}`);
    const mintInfo = await ctx.chain.account(mint);
    if (!mintInfo?.owner.equals(SPL_TOKEN_PROGRAM_ID) || mintInfo.data.length !== MINT_LEN) {
      diffs.push(`the ECE mint ${mint.toBase58()} is not an SPL Token mint`);
    }
    if (diffs.length > 0) {
      throw new DeployError(
        [
          `ece_token is already initialised (${config.toBase58()}) with other settings; the script does not change it:`,
          ...diffs.map((d) => `  ${d}`),
          "  The admin, cap and minters change only through multisig Token proposals.",
        ].join("\n"),
      );
    }
    return {
      step: "token",
      status: "done",
      detail: `ece_token initialised: config ${config.toBase58()}, ECE mint ${mint.toBase58()}, cap ${found.cap}, ${found.minters.length} minters`,
    };
  }
  const [configRent, mintRent] = await Promise.all([ctx.chain.rent(TOKEN_CONFIG_LEN), ctx.chain.rent(MINT_LEN)]);
  return {
    step: "token",
    status: "todo",
    detail: `initialise ece_token: admin ${target.multisig.toBase58()} (multisig), ${target.eceDecimals} decimals, cap ${target.eceCap} base units`,
    cost: configRent + mintRent + LAMPORTS_PER_SIGNATURE,
    run: async () => {
      await ctx.chain.send(
        "token",
        "initialise ece_token",
        [
          token.initializeIx({
            payer: target.deployer.publicKey,
            decimals: target.eceDecimals,
            maxSupply: target.eceCap,
            admin: target.multisig,
          }),
        ],
        [target.deployer],
      );
    },
  };
}
