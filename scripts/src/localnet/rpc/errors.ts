// JSON-RPC errors with the codes and messages Agave's RPC uses, so that clients
// (web3.js, kit, anchor) surface them the way they do against a real cluster.

export const Code = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  blockCleanedUp: -32001,
  preflightFailure: -32002,
  signatureVerificationFailure: -32003,
  blockNotAvailable: -32004,
  nodeUnhealthy: -32005,
  slotSkipped: -32007,
  transactionHistoryNotAvailable: -32011,
  signatureLenMismatch: -32013,
  unsupportedTransactionVersion: -32015,
  minContextSlotNotReached: -32016,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export function invalidParams(message: string): RpcError {
  return new RpcError(Code.invalidParams, message);
}

export function minContextSlotNotReached(contextSlot: number): RpcError {
  return new RpcError(Code.minContextSlotNotReached, "Minimum context slot has not been reached", { contextSlot });
}
