// Compliance: risk scores (0–100 with reasons) of transactions, payouts and wallets,
// recomputation from stored inputs, the review queue and reviewers' decisions.
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { forbidden, notFound, unauthorized } from "../../core/errors.js";
import { errors, PageQuery, Pubkey, page, Signature, Uuid } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { caller, can, SECURED } from "../auth/guard.js";
import type { Permission } from "../auth/permissions.js";
import { ComplianceCheck, DecisionBody, Recomputed } from "./schemas.js";
import { checkView, decide, denyListOf, getCheck, recompute, reviewQueue, scoreSubject } from "./service.js";

const tags = ["compliance"];

/** Auditors and admins read any score; a user reads the scores of their own wallet. */
function mayRead(req: FastifyRequest, wallet: string | null): void {
  if (!req.auth) throw unauthorized();
  if (req.auth.permissions.has("compliance:score:read" as Permission)) return;
  if (wallet !== null && wallet === req.auth.wallet && req.auth.permissions.has("compliance:score:own")) return;
  throw forbidden("missing permission compliance:score:read");
}

export default async function complianceRoutes(app: App) {
  const { deps } = app;
  denyListOf(deps); // a broken deny-list file stops the start, not a request

  app.get(
    "/compliance/score/transaction/:signature",
    {
      preHandler: can("compliance:score:read"),
      schema: {
        tags,
        summary: "Score a mirrored transaction (its signer, as of its block) and store the check",
        security: SECURED,
        params: Type.Object({ signature: Signature }, { additionalProperties: false }),
        response: { 200: ComplianceCheck, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const r = await scoreSubject(deps, req, { type: "transaction", id: req.params.signature });
      if (!r) throw notFound("transaction");
      return r;
    },
  );

  app.get(
    "/compliance/score/wallet/:wallet",
    {
      preHandler: can(),
      schema: {
        tags,
        summary: "Score a wallet now and store the check (your own wallet with compliance:score:own)",
        security: SECURED,
        params: Type.Object({ wallet: Pubkey }, { additionalProperties: false }),
        response: { 200: ComplianceCheck, ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => {
      mayRead(req, req.params.wallet);
      return (await scoreSubject(deps, req, { type: "wallet", id: req.params.wallet })) as NonNullable<
        Awaited<ReturnType<typeof scoreSubject>>
      >;
    },
  );

  app.get(
    "/compliance/score/payout/:id",
    {
      preHandler: can("compliance:score:read"),
      schema: {
        tags,
        summary: "Score a payout (its recipient, amount and batch) and store the check",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: { 200: ComplianceCheck, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const r = await scoreSubject(deps, req, { type: "payout", id: req.params.id });
      if (!r) throw notFound("payout");
      return r;
    },
  );

  app.get(
    "/compliance/checks/:id",
    {
      preHandler: can(),
      schema: {
        tags,
        summary: "A stored check with its inputs, rule-set version and record hash",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: { 200: ComplianceCheck, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => {
      const c = await getCheck(deps, req.params.id);
      if (!c) throw notFound("compliance check");
      const view = checkView(c);
      mayRead(req, view.wallet);
      return view;
    },
  );

  app.get(
    "/compliance/checks/:id/recompute",
    {
      preHandler: can(),
      schema: {
        tags,
        summary: "Recompute a check from its stored inputs and rule-set version; says whether it is identical",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        response: { 200: Recomputed, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => {
      const c = await getCheck(deps, req.params.id);
      if (!c) throw notFound("compliance check");
      mayRead(req, checkView(c).wallet);
      return recompute(c);
    },
  );

  app.get(
    "/compliance/review-queue",
    {
      preHandler: can("compliance:review:read"),
      schema: {
        tags,
        summary: "Checks the rules sent to review or block that no reviewer has decided yet, oldest first",
        security: SECURED,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: page(ComplianceCheck), ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => reviewQueue(deps, req.query),
  );

  app.post(
    "/compliance/checks/:id/decision",
    {
      preHandler: can("compliance:review:decide"),
      schema: {
        tags,
        summary: "Decide a flagged check (approve, block, or override a block) with a written reason; once",
        security: SECURED,
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        body: DecisionBody,
        response: { 200: ComplianceCheck, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => decide(deps, req, req.params.id, req.body, caller(req).wallet),
  );
}
