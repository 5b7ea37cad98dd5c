// Roles map to `domain:resource:action` permissions; routes ask for permissions, never roles.
export const ROLES = ["user", "signer", "auditor", "developer", "admin"] as const;
export type RoleName = (typeof ROLES)[number];

const USER = [
  "users:profile:read",
  "users:profile:write",
  "cards:card:read",
  "marketplace:listing:write",
  "marketplace:sale:buy",
  "battles:battle:join",
  "battles:vote:cast",
  "treasury:multisig:read",
  "webhooks:subscription:manage",
  "events:stream:read",
  "compliance:score:own",
] as const;
const SIGNER = ["treasury:proposal:propose", "treasury:proposal:vote", "treasury:proposal:execute"] as const;
const AUDITOR = [
  "transactions:transaction:read",
  "transactions:transaction:export",
  "compliance:score:read",
  "compliance:review:read",
  "audit:log:read",
] as const;
const DEVELOPER = ["transactions:transaction:read", "system:metrics:read"] as const;
const ADMIN = [
  "treasury:payout:run",
  "cards:card:mint",
  "cards:company:manage",
  "battles:battle:manage",
  "compliance:review:decide",
  "users:role:assign",
  "users:profile:read-any",
  "webhooks:subscription:read-any",
] as const;

export type Permission =
  | (typeof USER)[number]
  | (typeof SIGNER)[number]
  | (typeof AUDITOR)[number]
  | (typeof DEVELOPER)[number]
  | (typeof ADMIN)[number];

export const ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  user: USER,
  signer: SIGNER,
  auditor: AUDITOR,
  developer: DEVELOPER,
  // Admins can do what every other role can, except sign for the treasury (that is the chain's membership).
  admin: [...USER, ...AUDITOR, ...DEVELOPER, ...ADMIN],
};

export function permissionsOf(roles: readonly RoleName[]): Permission[] {
  return [...new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]))].sort();
}

const sets = new Map<string, ReadonlySet<Permission>>();
/** The permissions of a role set, built once per distinct set (asked on every request). */
export function permissionSet(roles: readonly RoleName[]): ReadonlySet<Permission> {
  const key = roles.join(",");
  let set = sets.get(key);
  if (!set) {
    set = new Set(permissionsOf(roles));
    sets.set(key, set);
  }
  return set;
}
