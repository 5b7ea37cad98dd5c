"use client";
// One chain action: build (API) → sign (wallet) → send → pending → confirmed, step by step,
// with the stage in state for <TxStatus>. A multi-transaction build (a payout batch, its
// execution chunks) is sent in order, each confirmed before the next.
import { useCallback, useState } from "react";
import { useWallet } from "../wallet/context";
import type { BuiltTransaction } from "./chain";
import { errorName, errorText } from "./errors";

export type TxStage =
  | { kind: "idle" }
  | { kind: "building" }
  | { kind: "signing"; step: number; total: number }
  | { kind: "pending"; signature: string; step: number; total: number }
  | { kind: "recording"; signatures: string[] }
  | { kind: "confirmed"; signatures: string[] }
  | { kind: "failed"; name: string; message: string; signature: string | null };

export interface ChainAction {
  stage: TxStage;
  busy: boolean;
  /** `build` returns the transactions to send; `after` records them with the API (confirm, settle). */
  run(build: () => Promise<BuiltTransaction[]>, after?: (signatures: string[]) => Promise<unknown>): Promise<boolean>;
  reset(): void;
}

export function useChainAction(): ChainAction {
  const { wallet, openConnect } = useWallet();
  const [stage, setStage] = useState<TxStage>({ kind: "idle" });

  const run = useCallback(
    async (build: () => Promise<BuiltTransaction[]>, after?: (signatures: string[]) => Promise<unknown>) => {
      const sign = wallet.signTransaction;
      if (!wallet.connected || !sign) {
        openConnect();
        return false;
      }
      const signatures: string[] = [];
      try {
        setStage({ kind: "building" });
        const built = await build();
        const chain = await import("./chain");
        for (const [i, b] of built.entries()) {
          setStage({ kind: "signing", step: i + 1, total: built.length });
          const signature = await chain.signAndSend(b, sign, (s) =>
            setStage({ kind: "pending", signature: s, step: i + 1, total: built.length }),
          );
          signatures.push(signature);
        }
        if (after) {
          setStage({ kind: "recording", signatures });
          await after(signatures);
        }
        setStage({ kind: "confirmed", signatures });
        return true;
      } catch (e) {
        const signature = (e as { signature?: string | null }).signature ?? signatures.at(-1) ?? null;
        setStage({ kind: "failed", name: errorName(e), message: errorText(e), signature });
        return false;
      }
    },
    [wallet, openConnect],
  );

  const reset = useCallback(() => setStage({ kind: "idle" }), []);
  const busy =
    stage.kind === "building" || stage.kind === "signing" || stage.kind === "pending" || stage.kind === "recording";
  return { stage, busy, run, reset };
}
