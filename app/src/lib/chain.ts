// Imported on demand when the user acts: web3.js and the SDK stay out of the pages' first load.
// Signs a transaction the API built (or one built here), sends it, waits for `confirmed`,
// and names a program failure from the programs' IDLs.
import { confirmSignature, decodeProgramError, ECE_IDLS, pause } from "@ece/sdk";
import { Connection, PublicKey, SendTransactionError, Transaction } from "@solana/web3.js";
import { rpcUrl } from "./config";
import { ChainError } from "./errors";

export interface BuiltTransaction {
  transaction: string;
  blockhash: string;
  lastValidBlockHeight: number;
  signers: string[];
}

let connection: Connection | null = null;
const rpc = () => {
  connection ??= new Connection(rpcUrl(), "confirmed");
  return connection;
};

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function failure(logs: readonly string[] | null | undefined, fallback: string, signature: string | null): ChainError {
  const decoded = logs ? decodeProgramError(logs, ECE_IDLS) : null;
  if (decoded) return new ChainError(decoded.name, decoded.message, signature);
  return new ChainError("TransactionFailed", fallback.split("\n")[0] ?? fallback, signature);
}

export async function signAndSend(
  built: BuiltTransaction,
  sign: (tx: Transaction) => Promise<Transaction>,
  onSent: (signature: string) => void,
): Promise<string> {
  const tx = Transaction.from(fromBase64(built.transaction));
  const signed = await sign(tx);
  let signature: string;
  try {
    signature = await rpc().sendRawTransaction(signed.serialize(), { preflightCommitment: "confirmed" });
  } catch (e) {
    if (e instanceof SendTransactionError) {
      throw failure(e.logs ?? (await e.getLogs(rpc()).catch(() => null)), e.transactionError.message, null);
    }
    throw e;
  }
  onSent(signature);
  const result = await confirmSignature(rpc(), signature, built.lastValidBlockHeight);
  if (result.ok) return signature;
  if (result.err === "expired") {
    throw new ChainError("BlockhashExpired", "The transaction expired before it landed; try again.", signature);
  }
  const landed = await rpc().getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
  throw failure(landed?.meta?.logMessages, JSON.stringify(result.err), signature);
}

/** The guardian's pause, built here: the API has no build route for it (the SDK has the instruction). */
export async function buildPause(guardian: string, reason: number): Promise<BuiltTransaction> {
  const key = new PublicKey(guardian);
  const { blockhash, lastValidBlockHeight } = await rpc().getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: key, blockhash, lastValidBlockHeight }).add(
    pause.pauseIx({ guardian: key, reason }),
  );
  const wire = tx.serialize({ requireAllSignatures: false, verifySignatures: false });
  return {
    transaction: btoa(String.fromCharCode(...wire)),
    blockhash,
    lastValidBlockHeight,
    signers: [guardian],
  };
}
