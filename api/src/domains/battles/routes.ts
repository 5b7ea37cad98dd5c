// M&A battles between two cards: admins create and close them, users join and vote
// with a signed message weighed by their ECE balance at the battle's snapshot slot;
// the winning side's reward goes through a treasury proposal.
import { decodeCursor } from "../../core/cursor.js";
import { badRequest } from "../../core/errors.js";
import { errors, page } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { caller, can, SECURED } from "../auth/guard.js";
import { proposeReward } from "./rewards.js";
import {
  BattleView,
  CreateBody,
  IdParams,
  JoinBody,
  ListQuery,
  Participation,
  RewardBody,
  RewardProposal,
  VoteBody,
  VoteMessage,
  VoteMessageQuery,
  VoteView,
} from "./schemas.js";
import {
  castVote,
  closeBattle,
  createBattle,
  issueVoteMessage,
  joinBattle,
  listBattles,
  readBattle,
} from "./service.js";

const tags = ["battles"];

export default async function battlesRoutes(app: App) {
  const { deps } = app;

  app.post(
    "/battles",
    {
      preHandler: can("battles:battle:manage"),
      schema: {
        tags,
        summary: "Create a battle between two different cards (admins)",
        security: SECURED,
        body: CreateBody,
        response: { 201: BattleView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (req, reply) => reply.status(201).send(await createBattle(deps, req, req.body)),
  );

  app.get(
    "/battles",
    {
      schema: {
        tags,
        summary: "Battles, newest first, by status (from the clock: scheduled, live, closed)",
        querystring: ListQuery,
        response: { 200: page(BattleView), ...errors(400, 401, 429) },
      },
    },
    async (req) => {
      const after = decodeCursor(req.query.cursor, 2) as [string, string] | null;
      if (after && (Number.isNaN(Date.parse(after[0])) || !/^[0-9a-f-]{36}$/.test(after[1]))) {
        throw badRequest("BAD_CURSOR", "cursor is not one this endpoint issued");
      }
      return listBattles(deps, req, { status: req.query.status, limit: req.query.limit ?? 50, after });
    },
  );

  app.get(
    "/battles/:id",
    {
      schema: {
        tags,
        summary: "A battle with its live tally",
        description:
          "The first read after the start takes the battle's ECE snapshot; a read after the end closes it (outcome from the votes).",
        params: IdParams,
        response: { 200: BattleView, ...errors(400, 401, 404, 429) },
      },
    },
    async (req) => readBattle(deps, req, req.params.id),
  );

  app.post(
    "/battles/:id/join",
    {
      preHandler: can("battles:battle:join"),
      schema: {
        tags,
        summary: "Join a side (once per wallet), optionally with a card the wallet holds on chain",
        security: SECURED,
        params: IdParams,
        body: JoinBody,
        response: { 201: Participation, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await joinBattle(deps, req, req.params.id, caller(req).wallet, req.body)),
  );

  app.get(
    "/battles/:id/vote-message",
    {
      preHandler: can("battles:vote:cast"),
      schema: {
        tags,
        summary: "The exact text to sign to vote for a side (single-use nonce, expires)",
        security: SECURED,
        params: IdParams,
        querystring: VoteMessageQuery,
        response: { 200: VoteMessage, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => issueVoteMessage(deps, req.params.id, req.query.side, caller(req).wallet),
  );

  app.post(
    "/battles/:id/votes",
    {
      preHandler: can("battles:vote:cast"),
      schema: {
        tags,
        summary: "Vote with the signed vote message (one vote per wallet)",
        description:
          "Weight = the wallet's ECE balance at the battle's snapshot slot (all its ECE token accounts). A wallet " +
          "that held no ECE then is refused (409 NO_VOTING_WEIGHT) rather than recorded with weight 0. Only while " +
          "live (409 BATTLE_NOT_LIVE); a second vote is 409 ALREADY_VOTED.",
        security: SECURED,
        params: IdParams,
        body: VoteBody,
        response: { 201: VoteView, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await castVote(deps, req, req.params.id, caller(req).wallet, req.body)),
  );

  app.post(
    "/battles/:id/close",
    {
      preHandler: can("battles:battle:manage"),
      schema: {
        tags,
        summary: "Close a battle now and record its outcome (admins)",
        description:
          "The outcome is recomputed from the votes (sum of weights per side); equal sums are a draw (winner null).",
        security: SECURED,
        params: IdParams,
        response: { 200: BattleView, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => closeBattle(deps, req, req.params.id, { auto: false }),
  );

  app.post(
    "/battles/:id/reward-proposal",
    {
      preHandler: can("battles:battle:manage", "treasury:proposal:propose"),
      schema: {
        tags,
        summary: "Build the treasury proposal paying the winning side's reward (admins who are treasury signers)",
        description:
          "An unsigned transaction creating a transfer proposal from the treasury vault of `mint` to the winning " +
          "card's company payout wallet (its associated token account, created if missing), for the caller to sign " +
          "and send; the multisig then approves and executes it. Refused for a draw or a battle not closed.",
        security: SECURED,
        params: IdParams,
        body: RewardBody,
        response: { 200: RewardProposal, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req) => proposeReward(deps, req, req.params.id, caller(req).wallet, req.body),
  );
}
