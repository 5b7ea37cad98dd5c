// A failure the deploy script explains to its user: printed without a stack
// trace, and the process exits non-zero.
export class DeployError extends Error {
  override readonly name = "DeployError";
}

/** Lamports as SOL, for messages. */
export function sol(lamports: number | bigint): string {
  const n = Number(lamports) / 1e9;
  return `${n.toLocaleString("en-US", { maximumFractionDigits: 6 })} SOL`;
}
