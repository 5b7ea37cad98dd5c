// Keypairs and signing with Node's native ed25519 (node:crypto): web3.js's pure-JS
// signing and key generation cost 1–2 ms each, which dominates tests, the localnet's
// own transactions and benchmarks. Node-only: the web app never imports this.
import { createPrivateKey, sign as cryptoSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Keypair, type Transaction, VersionedTransaction } from "@solana/web3.js";

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const privateKeys = new WeakMap<Keypair, KeyObject>();

function privateKey(kp: Keypair): KeyObject {
  let key = privateKeys.get(kp);
  if (!key) {
    const der = Buffer.concat([PKCS8_ED25519_PREFIX, kp.secretKey.subarray(0, 32)]);
    key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    privateKeys.set(kp, key);
  }
  return key;
}

export function signBytes(message: Uint8Array, kp: Keypair): Uint8Array {
  return cryptoSign(null, message, privateKey(kp));
}

/** A fresh keypair from Node's native ed25519. */
export function newKeypair(): Keypair {
  const { publicKey, privateKey: secret } = generateKeyPairSync("ed25519");
  const seed = secret.export({ format: "der", type: "pkcs8" }).subarray(-32);
  const pub = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const kp = Keypair.fromSecretKey(Buffer.concat([seed, pub]), { skipValidation: true });
  privateKeys.set(kp, secret);
  return kp;
}

/** Signs a legacy transaction (fee payer and blockhash set) with every signer it
 * names, and returns its wire bytes. Signers it does not name are ignored. */
export function signTransaction(tx: Transaction, signers: Keypair[]): Uint8Array {
  const message = tx.compileMessage();
  const bytes = message.serialize();
  const signed = new VersionedTransaction(message);
  const byKey = new Map(signers.map((k) => [k.publicKey.toBase58(), k]));
  message.accountKeys.slice(0, message.header.numRequiredSignatures).forEach((key, i) => {
    const kp = byKey.get(key.toBase58());
    if (!kp) throw new Error(`missing signer ${key.toBase58()}`);
    signed.signatures[i] = signBytes(bytes, kp);
  });
  return signed.serialize();
}

/** Reads a keypair file in solana-keygen's format (a JSON array of 64 bytes). */
export function readKeypair(path: string): Keypair {
  const bytes = JSON.parse(readFileSync(path, "utf8")) as number[];
  return Keypair.fromSecretKey(Uint8Array.from(bytes));
}

export function writeKeypair(path: string, kp: Keypair): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(Array.from(kp.secretKey))}\n`, { mode: 0o600 });
}
