// An Anchor `Provider` that sends through LiteSVM, so `Program.methods...rpc()`
// runs the IDL-built instructions against the real program binary.
import type { Provider } from "@coral-xyz/anchor";
import { Connection, type Keypair, type Signer, Transaction, type VersionedTransaction } from "@solana/web3.js";
import type { Svm } from "./svm.js";

export class LiteSvmProvider implements Provider {
  // Anchor's type requires a Connection; nothing these tests call reaches it.
  readonly connection = new Connection("http://127.0.0.1:9");
  lastLogs: string[] = [];

  constructor(
    private readonly svm: Svm,
    private readonly payer: Keypair,
  ) {}

  get publicKey() {
    return this.payer.publicKey;
  }

  async sendAndConfirm(tx: Transaction | VersionedTransaction, signers: Signer[] = []): Promise<string> {
    if (!(tx instanceof Transaction)) throw new Error("LiteSvmProvider sends legacy transactions only");
    tx.feePayer = this.payer.publicKey;
    tx.recentBlockhash = this.svm.svm.latestBlockhash();
    tx.sign(this.payer, ...signers);
    const r = this.svm.sendWire(tx.serialize());
    this.lastLogs = r.logs;
    if (!r.ok) {
      // Same shape as web3.js's SendTransactionError, which Anchor's translateError reads.
      throw Object.assign(new Error(`Transaction failed: ${r.logs.find((l) => l.includes("failed:")) ?? r.raw}`), {
        logs: r.logs,
      });
    }
    return tx.signatures[0]?.signature?.toString("base64") ?? "";
  }
}
