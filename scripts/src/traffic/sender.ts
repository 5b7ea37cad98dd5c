// Signs natively and sends raw base64; every transaction a run sends goes
// through here (paced when a rate is set) and is confirmed by the Confirmer.
import { signTransaction } from "@ece/sdk/node";
import { type Keypair, Transaction, type TransactionInstruction } from "@solana/web3.js";
import bs58 from "bs58";
import type { Confirmer, Outcome } from "./confirm.js";
import type { Pacer } from "./limits.js";
import { type Rpc, RpcError } from "./rpc.js";
import type { Tally } from "./stats.js";

export interface Tx {
  /** What it does, for the log. */
  label: string;
  payer: Keypair;
  /** Signers besides the payer. */
  signers?: Keypair[];
  ixs: TransactionInstruction[];
  /** Meant to land with an error: sent without preflight, so that it does. */
  failing?: boolean;
  /** What it changes when it succeeds. */
  effect?: Partial<Tally>;
}

export interface Sent {
  signature: string;
  /** Once the node has executed it: its changes are visible to the next transaction. */
  processed(): Promise<Outcome>;
  confirmed: Promise<Outcome>;
}

export type Send = (tx: Tx) => Promise<Sent>;

export class Sender {
  constructor(
    private readonly rpc: Rpc,
    private readonly confirmer: Confirmer,
    private readonly pacer: Pacer | null = null,
  ) {}

  /** A Send that hands each confirmed outcome to `record` before its caller sees it. */
  recording(record: (tx: Tx, o: Outcome) => void): Send {
    return async (tx) => {
      const sent = await this.send(tx);
      const confirmed = sent.confirmed.then((o) => {
        record(tx, o);
        return o;
      });
      return { ...sent, confirmed };
    };
  }

  async send(tx: Tx): Promise<Sent> {
    await this.pacer?.wait();
    const { blockhash, lastValidBlockHeight } = await this.rpc.latestBlockhash();
    const transaction = new Transaction().add(...tx.ixs);
    transaction.feePayer = tx.payer.publicKey;
    transaction.recentBlockhash = blockhash;
    const wire = signTransaction(transaction, [tx.payer, ...(tx.signers ?? [])]);
    // Its ID: the first signature, after the one-byte signature count.
    const signature = bs58.encode(wire.subarray(1, 65));
    try {
      await this.rpc.call("sendTransaction", [
        Buffer.from(wire).toString("base64"),
        // Preflight against processed state: a step may follow one not yet confirmed.
        { encoding: "base64", skipPreflight: tx.failing === true, preflightCommitment: "processed" },
      ]);
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      const refused = Promise.resolve<Outcome>({ signature, landed: false, reason: e.message });
      return { signature, processed: () => refused, confirmed: refused };
    }
    return {
      signature,
      processed: () => this.confirmer.wait(signature, lastValidBlockHeight, "processed"),
      confirmed: this.confirmer.wait(signature, lastValidBlockHeight, "confirmed"),
    };
  }
}
