// A wallet's roles: those granted off chain (users.roles) plus `signer`, which only
// the chain mirror grants (a member of the platform's treasury multisig).
import type { ApiDeps } from "../../deps.js";
import type { RoleName } from "./permissions.js";

export async function rolesOf(deps: ApiDeps, wallet: string, granted: readonly string[]): Promise<RoleName[]> {
  const member = await deps.prisma.treasuryMember.findUnique({
    where: { multisig_member: { multisig: deps.platform.multisig.toBase58(), member: wallet } },
    select: { permissions: true },
  });
  const roles = new Set<RoleName>(["user", ...(granted.filter((r) => r !== "signer") as RoleName[])]);
  if (member && member.permissions !== 0) roles.add("signer");
  return [...roles];
}
