// Display helpers: amounts are base-unit decimal strings from the API (they exceed 2^53).

/** `1234500000` with 6 decimals → `1,234.5`. */
export function formatUnits(amount: string | bigint, decimals: number, maxFraction = decimals): string {
  const v = BigInt(amount);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toLocaleString("en-US");
  let frac = decimals > 0 ? (abs % base).toString().padStart(decimals, "0").slice(0, maxFraction) : "";
  frac = frac.replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/** `12.5` with 6 decimals → `12500000n`; null when the text is not a non-negative amount with at most `decimals` places. */
export function parseUnits(text: string, decimals: number): bigint | null {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > decimals) return null;
  return BigInt(m[1] ?? "0") * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/** Both platform currencies have 6 decimals (the deployment's ECE and the USDC-like mint). */
export const TOKEN_DECIMALS = 6;
export const SOL_DECIMALS = 9;

export const formatToken = (amount: string | bigint) => formatUnits(amount, TOKEN_DECIMALS, 2);

export function shortAddress(address: string, chars = 4): string {
  return address.length <= chars * 2 + 1 ? address : `${address.slice(0, chars)}…${address.slice(-chars)}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
}

export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}
