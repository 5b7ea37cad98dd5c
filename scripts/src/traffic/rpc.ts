// Plain JSON-RPC over fetch (keep-alive), and a shared recent blockhash.
import { PublicKey } from "@solana/web3.js";

export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${code} ${message}`);
  }
}

export interface Blockhash {
  blockhash: string;
  lastValidBlockHeight: number;
}

export type Commitment = "processed" | "confirmed";

export class Rpc {
  private id = 0;
  private blockhash: { value: Promise<Blockhash>; at: number } | null = null;

  constructor(
    readonly url: string,
    /** How long a fetched blockhash is reused: senders share one per slot or so. */
    private readonly blockhashMs = 100,
  ) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++this.id, method, params }),
    });
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
    if (body.error) throw new RpcError(method, body.error.code, body.error.message);
    return body.result as T;
  }

  latestBlockhash(): Promise<Blockhash> {
    const now = performance.now();
    if (!this.blockhash || now - this.blockhash.at >= this.blockhashMs) {
      const value = this.call<{ value: Blockhash }>("getLatestBlockhash", [{ commitment: "confirmed" }]).then(
        (r) => r.value,
      );
      // A failed fetch is not reused.
      value.catch(() => {
        if (this.blockhash?.value === value) this.blockhash = null;
      });
      this.blockhash = { value, at: now };
    }
    return this.blockhash.value;
  }

  async account(address: PublicKey, commitment: Commitment = "confirmed"): Promise<{ data: Buffer; owner: PublicKey }> {
    const r = await this.call<{ value: { data: [string, string]; owner: string } | null }>("getAccountInfo", [
      address.toBase58(),
      { encoding: "base64", commitment },
    ]);
    if (!r.value) throw new Error(`account ${address.toBase58()} does not exist`);
    return { data: Buffer.from(r.value.data[0], "base64"), owner: new PublicKey(r.value.owner) };
  }

  async balance(address: PublicKey): Promise<number> {
    return (await this.call<{ value: number }>("getBalance", [address.toBase58(), { commitment: "confirmed" }])).value;
  }
}
