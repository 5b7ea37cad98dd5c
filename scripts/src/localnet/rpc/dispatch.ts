// The JSON-RPC 2.0 envelope: single and batch requests, notifications, errors.
import { RENT_EPOCH_PLACEHOLDER, RENT_EPOCH_TEXT } from "./encode.js";
import { Code, RpcError } from "./errors.js";
import { accountMethods } from "./methods/accounts.js";
import { blockMethods } from "./methods/blocks.js";
import { clusterMethods } from "./methods/cluster.js";
import { tokenMethods } from "./methods/tokens.js";
import { transactionMethods } from "./methods/transactions.js";
import type { MethodTable, RpcContext } from "./methods.js";

type Id = string | number | null;

interface Response {
  jsonrpc: "2.0";
  id: Id;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

function failure(id: Id, code: number, message: string, data?: unknown): Response {
  return { jsonrpc: "2.0", error: data === undefined ? { code, message } : { code, message, data }, id };
}

const RENT_EPOCH_JSON = JSON.stringify(RENT_EPOCH_PLACEHOLDER);

export function serialize(value: unknown): string {
  const text = JSON.stringify(value);
  return text.includes(RENT_EPOCH_JSON) ? text.replaceAll(`:${RENT_EPOCH_JSON}`, `:${RENT_EPOCH_TEXT}`) : text;
}

export class Dispatcher {
  readonly methods: MethodTable;

  constructor(
    ctx: RpcContext,
    private readonly log: (error: unknown, method: string) => void,
  ) {
    this.methods = Object.assign(
      Object.create(null) as MethodTable,
      clusterMethods(ctx),
      accountMethods(ctx),
      tokenMethods(ctx),
      transactionMethods(ctx),
      blockMethods(ctx),
    );
  }

  /** Handles a request body; null when nothing is to be sent back (notifications only). */
  handle(body: string): string | null {
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      return serialize(failure(null, Code.parse, "Parse error"));
    }
    if (Array.isArray(request)) {
      if (request.length === 0) return serialize(failure(null, Code.invalidRequest, "Invalid request"));
      const responses = request.map((r) => this.one(r)).filter((r): r is Response => r !== null);
      return responses.length > 0 ? serialize(responses) : null;
    }
    const response = this.one(request);
    return response ? serialize(response) : null;
  }

  /** One call; also used by the WebSocket server for methods it does not own. */
  one(request: unknown): Response | null {
    if (typeof request !== "object" || request === null || Array.isArray(request)) {
      return failure(null, Code.invalidRequest, "Invalid request");
    }
    const { jsonrpc, method, params, id } = request as Record<string, unknown>;
    const validId = id === undefined || id === null || typeof id === "string" || typeof id === "number";
    if (jsonrpc !== "2.0" || typeof method !== "string" || !validId) {
      return failure(validId ? ((id as Id) ?? null) : null, Code.invalidRequest, "Invalid request");
    }
    const replyId = (id as Id | undefined) ?? null;
    const handler = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    let response: Response;
    if (!handler) {
      response = failure(replyId, Code.methodNotFound, "Method not found");
    } else if (params !== undefined && params !== null && !Array.isArray(params)) {
      response = failure(replyId, Code.invalidParams, "Invalid params: invalid type: map, expected a sequence.");
    } else {
      try {
        response = { jsonrpc: "2.0", result: handler((params as unknown[] | undefined) ?? []), id: replyId };
      } catch (e) {
        if (e instanceof RpcError) {
          response = failure(replyId, e.code, e.message, e.data);
        } else {
          this.log(e, method);
          response = failure(replyId, Code.internal, "Internal error");
        }
      }
    }
    return id === undefined ? null : response;
  }
}
