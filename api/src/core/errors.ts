// The one error shape of the API: { error: { code, message, details?, requestId } }.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isRpcUnavailable } from "./rpc.js";

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new ApiError(400, code, message, details);
export const unauthorized = (message = "sign in first", code = "UNAUTHENTICATED") => new ApiError(401, code, message);
export const forbidden = (message: string, code = "FORBIDDEN") => new ApiError(403, code, message);
export const notFound = (what: string) => new ApiError(404, "NOT_FOUND", `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details?: unknown,
) {
  const body: ErrorBody = { error: { code, message, requestId: String(req.id) } };
  if (details !== undefined) body.error.details = details;
  return reply.status(status).type("application/json").send(body);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) return send(reply, req, err.statusCode, err.code, err.message, err.details);
    if (isRpcUnavailable(err)) {
      req.log.warn({ err }, "RPC unavailable");
      reply.header("retry-after", "5");
      return send(reply, req, 503, "RPC_UNAVAILABLE", "the Solana RPC is unavailable right now; retry shortly");
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({
        in: fe.validationContext ?? "request",
        path: v.instancePath || "/",
        message: v.message ?? "invalid",
      }));
      return send(
        reply,
        req,
        400,
        "VALIDATION_FAILED",
        `invalid ${fe.validationContext ?? "request"}: ${fe.message}`,
        details,
      );
    }
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, unsupported media type, …).
      const code = (fe.code ?? "BAD_REQUEST").replace(/^FST_ERR_/, "");
      return send(reply, req, status, code, fe.message);
    }
    req.log.error({ err }, "request failed");
    return send(reply, req, 500, "INTERNAL", "internal error; quote the request id when you report it");
  });
  app.setNotFoundHandler((req, reply) =>
    send(reply, req, 404, "ROUTE_NOT_FOUND", `no route ${req.method} ${req.url.split("?")[0]}`),
  );
}
