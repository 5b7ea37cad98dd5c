// Fastify with TypeBox schemas as the route types, and what the API adds to requests.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ApiDeps } from "./deps.js";
import type { Permission, RoleName } from "./domains/auth/permissions.js";

export interface AuthContext {
  wallet: string;
  userId: string;
  sessionId: string;
  roles: RoleName[];
  permissions: ReadonlySet<Permission>;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module "fastify" {
  interface FastifyInstance {
    deps: ApiDeps;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}
