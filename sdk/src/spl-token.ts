/** SPL Token instructions the platform reads amounts from (tag = first byte). */
export interface TokenInstruction {
  name: string;
  amount?: bigint;
  decimals?: number;
  /** Index (into the instruction's accounts) of the mint, when it is one of them. */
  mintAccount?: number;
  /** Index of the account whose balance goes down / up, when there is one. */
  sourceAccount?: number;
  destinationAccount?: number;
}

type Layout = Omit<TokenInstruction, "amount" | "decimals"> & { checked?: boolean; amount?: boolean };

const LAYOUTS: Record<number, Layout> = {
  0: { name: "initializeMint", mintAccount: 0 },
  1: { name: "initializeAccount", mintAccount: 1 },
  3: { name: "transfer", amount: true, sourceAccount: 0, destinationAccount: 1 },
  4: { name: "approve", amount: true },
  5: { name: "revoke" },
  6: { name: "setAuthority" },
  7: { name: "mintTo", amount: true, mintAccount: 0, destinationAccount: 1 },
  8: { name: "burn", amount: true, sourceAccount: 0, mintAccount: 1 },
  9: { name: "closeAccount" },
  10: { name: "freezeAccount", mintAccount: 1 },
  11: { name: "thawAccount", mintAccount: 1 },
  12: { name: "transferChecked", amount: true, checked: true, sourceAccount: 0, mintAccount: 1, destinationAccount: 2 },
  13: { name: "approveChecked", amount: true, checked: true, mintAccount: 1 },
  14: { name: "mintToChecked", amount: true, checked: true, mintAccount: 0, destinationAccount: 1 },
  15: { name: "burnChecked", amount: true, checked: true, sourceAccount: 0, mintAccount: 1 },
  16: { name: "initializeAccount2", mintAccount: 1 },
  17: { name: "syncNative" },
  18: { name: "initializeAccount3", mintAccount: 1 },
  20: { name: "initializeMint2", mintAccount: 0 },
};

/** Decodes an SPL Token instruction's name and amount; null for tags the
 * platform does not read or data too short for the tag's layout. */
export function decodeTokenInstruction(data: Uint8Array): TokenInstruction | null {
  const layout = data.length > 0 ? LAYOUTS[data[0] as number] : undefined;
  if (!layout) return null;
  const { checked, amount, ...rest } = layout;
  if (!amount) return rest;
  if (data.length < (checked ? 10 : 9)) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: TokenInstruction = { ...rest, amount: view.getBigUint64(1, true) };
  if (checked) out.decimals = data[9];
  return out;
}
