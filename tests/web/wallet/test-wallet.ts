// A Wallet Standard wallet over a local keypair, injected into pages by the browser
// tests (never part of the app's bundle). It registers itself the way every standard
// wallet does (the `wallet-standard:register-wallet` / `app-ready` events), so the app
// finds it as it finds Phantom or Solflare. Signs messages and transactions (legacy
// and v0) with tweetnacl; `signAndSendTransaction` sends through the configured RPC.
// Set `window.__eceTestWallet.reject = true` to make the next requests fail as a user's
// "reject" would.
import bs58 from "bs58";
import nacl from "tweetnacl";

interface Config {
  secretKey: number[];
  name: string;
  rpcUrl: string;
  reject?: boolean;
}
declare global {
  interface Window {
    __eceTestWallet?: Config;
  }
}

const CHAINS = ["solana:mainnet", "solana:devnet", "solana:testnet", "solana:localnet"] as const;
const ICON =
  "data:image/svg+xml;base64," +
  btoa(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#6d28d9"/></svg>',
  );

function compactU16(bytes: Uint8Array, at: number): [value: number, size: number] {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const b = bytes[at + i] as number;
    value |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new Error("bad compact-u16");
}

/** Signs the wire transaction in place at this key's signer slot. */
function signTransaction(wire: Uint8Array, key: nacl.SignKeyPair): Uint8Array {
  const tx = Uint8Array.from(wire);
  const [sigCount, sigLen] = compactU16(tx, 0);
  const messageAt = sigLen + 64 * sigCount;
  const message = tx.subarray(messageAt);
  const versioned = ((message[0] as number) & 0x80) !== 0;
  const header = versioned ? 1 : 0;
  const required = message[header] as number;
  const [keyCount, keyLen] = compactU16(message, header + 3);
  const keysAt = header + 3 + keyLen;
  for (let i = 0; i < Math.min(required, keyCount); i++) {
    const k = message.subarray(keysAt + 32 * i, keysAt + 32 * (i + 1));
    if (k.every((b, j) => b === key.publicKey[j])) {
      tx.set(nacl.sign.detached(message, key.secretKey), sigLen + 64 * i);
      return tx;
    }
  }
  throw new Error("this wallet is not a signer of the transaction");
}

function install(cfg: Config): void {
  const key = nacl.sign.keyPair.fromSecretKey(Uint8Array.from(cfg.secretKey));
  const refuse = () => {
    if (cfg.reject) throw new Error("User rejected the request.");
  };
  const account = {
    address: bs58.encode(key.publicKey),
    publicKey: key.publicKey,
    chains: CHAINS,
    features: ["solana:signMessage", "solana:signTransaction", "solana:signAndSendTransaction"],
    label: cfg.name,
  };
  let connected = false;
  const listeners = new Set<(p: { accounts: unknown[] }) => void>();
  const changed = () => {
    for (const l of listeners) l({ accounts: wallet.accounts });
  };
  const wallet = {
    version: "1.0.0" as const,
    name: cfg.name,
    icon: ICON,
    chains: CHAINS,
    get accounts() {
      return connected ? [account] : [];
    },
    features: {
      "standard:connect": {
        version: "1.0.0",
        connect: async () => {
          refuse();
          connected = true;
          changed();
          return { accounts: wallet.accounts };
        },
      },
      "standard:disconnect": {
        version: "1.0.0",
        disconnect: async () => {
          connected = false;
          changed();
        },
      },
      "standard:events": {
        version: "1.0.0",
        on: (_event: "change", listener: (p: { accounts: unknown[] }) => void) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      "solana:signMessage": {
        version: "1.0.0",
        signMessage: async (...inputs: Array<{ message: Uint8Array }>) => {
          refuse();
          return inputs.map((i) => ({
            signedMessage: i.message,
            signature: nacl.sign.detached(i.message, key.secretKey),
          }));
        },
      },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: async (...inputs: Array<{ transaction: Uint8Array }>) => {
          refuse();
          return inputs.map((i) => ({ signedTransaction: signTransaction(i.transaction, key) }));
        },
      },
      "solana:signAndSendTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy", 0],
        signAndSendTransaction: async (...inputs: Array<{ transaction: Uint8Array }>) => {
          refuse();
          const out: Array<{ signature: Uint8Array }> = [];
          for (const i of inputs) {
            const signed = signTransaction(i.transaction, key);
            const res = await fetch(cfg.rpcUrl, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({
                jsonrpc: "2.0",
                id: 1,
                method: "sendTransaction",
                params: [btoa(String.fromCharCode(...signed)), { encoding: "base64" }],
              }),
            });
            const body = (await res.json()) as { result?: string; error?: { message: string } };
            if (!body.result) throw new Error(body.error?.message ?? "sendTransaction failed");
            out.push({ signature: bs58.decode(body.result) });
          }
          return out;
        },
      },
    },
  };
  const callback = ({ register }: { register: (w: typeof wallet) => unknown }) => register(wallet);
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
  window.addEventListener("wallet-standard:app-ready", (e) =>
    callback((e as CustomEvent<{ register: (w: typeof wallet) => unknown }>).detail),
  );
}

if (window.__eceTestWallet) install(window.__eceTestWallet);
