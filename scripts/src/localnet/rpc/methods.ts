// What every RPC method module gets, and the shape of its handlers.
import type { Ledger } from "../ledger.js";
import type { Params } from "./params.js";

export type Handler = (params: Params) => unknown;
export type MethodTable = Record<string, Handler>;

export interface RpcContext {
  ledger: Ledger;
  /** Sends lamports from the node's faucet; returns the signature. */
  airdrop(to: string, lamports: number): string;
  version: { solanaCore: string; featureSet: number };
}
