// The treasury: the multisig, vaults, proposals and their votes, pause state and
// weekly payout runs; unsigned propose / vote / execute transactions for signers.
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { notFound } from "../../core/errors.js";
import { errors, PageQuery, page } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { caller, can, SECURED } from "../auth/guard.js";
import { listPayoutRuns, listProposals, payoutRun, payoutView, runView } from "./queries.js";
import {
  AddressParams,
  BuildResponse,
  CreateProposalBody,
  MultisigView,
  PauseView,
  PayoutRunView,
  PayoutView,
  ProposalDetail,
  ProposalQuery,
  ProposalSummary,
  VaultView,
} from "./schemas.js";
import {
  type BuildResult,
  buildCreate,
  buildExecute,
  buildVote,
  multisigView,
  pauseView,
  proposalDetail,
  vaultsView,
} from "./service.js";

const TAGS = ["treasury"];

export default async function treasuryRoutes(app: App) {
  const { deps } = app;
  const read = can("treasury:multisig:read");

  /** Every build request is audited, whatever the wallet then does with the transaction. */
  const audited = async (req: FastifyRequest, kind: string, r: BuildResult) => {
    await audit(deps.prisma, req, {
      action: `treasury.build.${kind}`,
      resource: `proposal:${r.proposal}`,
      after: { ...r.detail, transactions: r.transactions.length },
    });
    return { proposal: r.proposal, index: r.index, transactions: r.transactions };
  };

  app.get(
    "/treasury/multisig",
    {
      preHandler: read,
      schema: {
        tags: TAGS,
        summary: "The platform multisig: threshold, time lock, risk policy, members (the chain wins over the mirror)",
        security: SECURED,
        response: { 200: MultisigView, ...errors(401, 403, 404, 429) },
      },
    },
    async () => multisigView(deps),
  );

  app.get(
    "/treasury/vaults",
    {
      preHandler: read,
      schema: {
        tags: TAGS,
        summary: "Vault balances: the chain's, and the mirror's beside them",
        security: SECURED,
        response: { 200: Type.Object({ items: Type.Array(VaultView) }), ...errors(401, 403, 429) },
      },
    },
    async () => ({ items: await vaultsView(deps) }),
  );

  app.get(
    "/treasury/pause",
    {
      // Public, as the account is: everyone should see that trading is halted and why.
      schema: {
        tags: TAGS,
        summary: "The emergency pause state (chain, checked against the mirror); public",
        response: { 200: PauseView, ...errors(404, 429) },
      },
    },
    async () => pauseView(deps),
  );

  app.get(
    "/treasury/proposals",
    {
      preHandler: read,
      schema: {
        tags: TAGS,
        summary: "Proposals of the platform multisig, newest first (mirror)",
        security: SECURED,
        querystring: ProposalQuery,
        response: { 200: page(ProposalSummary), ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => listProposals(deps, req.query),
  );

  app.get(
    "/treasury/proposals/:address",
    {
      preHandler: read,
      schema: {
        tags: TAGS,
        summary: "A proposal with its votes, required approvals, action and payouts",
        security: SECURED,
        params: AddressParams,
        response: { 200: ProposalDetail, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req) => proposalDetail(deps, req.params.address),
  );

  app.post(
    "/treasury/proposals",
    {
      preHandler: can("treasury:proposal:propose"),
      schema: {
        tags: TAGS,
        summary: "Build the unsigned transaction(s) creating a transfer or payout batch proposal",
        description:
          "A payout batch larger than one transaction is created as a draft and filled by the next transactions; " +
          "send them in order. A transfer's address comes from the multisig's next index: if another proposal lands " +
          "first, the chain refuses it and the signer builds again.",
        security: SECURED,
        body: CreateProposalBody,
        response: { 200: BuildResponse, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => audited(req, "propose", await buildCreate(deps, caller(req).wallet, req.body)),
  );

  for (const how of ["approve", "reject", "cancel"] as const) {
    app.post(
      `/treasury/proposals/:address/${how}`,
      {
        preHandler: can("treasury:proposal:vote"),
        schema: {
          tags: TAGS,
          summary: `Build the unsigned ${how} transaction for the signed-in member`,
          security: SECURED,
          params: AddressParams,
          response: { 200: BuildResponse, ...errors(400, 401, 403, 404, 409, 429) },
        },
      },
      async (req) => audited(req, how, await buildVote(deps, caller(req).wallet, req.params.address, how)),
    );
  }

  app.post(
    "/treasury/proposals/:address/execute",
    {
      preHandler: can("treasury:proposal:execute"),
      schema: {
        tags: TAGS,
        summary: "Build the unsigned execute transaction(s); a payout batch pays in chunks, sent in order",
        security: SECURED,
        params: AddressParams,
        response: { 200: BuildResponse, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => audited(req, "execute", await buildExecute(deps, caller(req).wallet, req.params.address)),
  );

  app.get(
    "/treasury/payout-runs",
    {
      preHandler: read,
      schema: {
        tags: TAGS,
        summary: "Weekly payout runs, newest week first",
        security: SECURED,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: page(PayoutRunView), ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => listPayoutRuns(deps, req.query),
  );

  app.get(
    "/treasury/payout-runs/:week",
    {
      preHandler: read,
      schema: {
        tags: TAGS,
        summary: "One week's payout run with its payouts",
        security: SECURED,
        params: Type.Object(
          { week: Type.String({ pattern: "^[0-9A-Za-z-]{1,16}$", description: "ISO week, e.g. 2026-W48" }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ ...PayoutRunView.properties, payouts: Type.Array(PayoutView) }),
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    async (req) => {
      const run = await payoutRun(deps, req.params.week);
      if (!run) throw notFound(`payout run of ${req.params.week}`);
      return { ...runView(run), payouts: run.payouts.map(payoutView) };
    },
  );
}
