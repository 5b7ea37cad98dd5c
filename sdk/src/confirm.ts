// Confirmation by polling signature statuses: works over plain HTTP JSON-RPC
// (no WebSocket subscription to lose), and says "expired" only once the
// blockhash is past and the transaction was never seen.
import type { Commitment, Connection, TransactionError } from "@solana/web3.js";

export type Confirmation = { ok: true; slot: number } | { ok: false; err: TransactionError | "expired" };

export async function confirmSignature(
  connection: Connection,
  signature: string,
  lastValidBlockHeight: number,
  commitment: Extract<Commitment, "confirmed" | "finalized"> = "confirmed",
  pollMs = 150,
): Promise<Confirmation> {
  for (;;) {
    const status = (await connection.getSignatureStatuses([signature])).value[0];
    if (status?.err) return { ok: false, err: status.err };
    if (
      status &&
      (status.confirmationStatus === "finalized" ||
        (commitment === "confirmed" && status.confirmationStatus === "confirmed"))
    ) {
      return { ok: true, slot: status.slot };
    }
    if (!status && (await connection.getBlockHeight("confirmed")) > lastValidBlockHeight) {
      const late = (await connection.getSignatureStatuses([signature], { searchTransactionHistory: true })).value[0];
      if (!late) return { ok: false, err: "expired" };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
