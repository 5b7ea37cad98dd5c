// Weekly payouts: the job's queue and worker live here (see jobs.ts); admins can ask
// for a cycle of any ended week. Runs and their payouts are read under /treasury/payout-runs.
import { Type } from "typebox";
import { audit } from "../../core/audit.js";
import { badRequest } from "../../core/errors.js";
import { errors } from "../../core/schemas.js";
import type { App } from "../../types.js";
import { can, SECURED } from "../auth/guard.js";
import { PayoutJobs } from "./jobs.js";
import { parseWeek } from "./week.js";

const tags = ["treasury"];

export default async function payoutsRoutes(app: App) {
  const { deps } = app;
  const jobs = new PayoutJobs(deps, app.log);
  if (deps.config.payoutWorker) app.addHook("onReady", () => jobs.start());
  app.addHook("onClose", () => jobs.close());

  app.post(
    "/payouts/runs",
    {
      preHandler: can("treasury:payout:run"),
      schema: {
        tags,
        summary: "Queue the weekly payout cycle of an ended ISO week (idempotent: a rerun resumes where it stopped)",
        security: SECURED,
        body: Type.Object(
          { week: Type.String({ pattern: "^\\d{4}-W\\d{2}$", description: "ISO week, e.g. 2026-W47" }) },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({ week: Type.String(), job: Type.String() }),
          ...errors(400, 401, 403, 429),
        },
      },
    },
    async (req, reply) => {
      let week: ReturnType<typeof parseWeek>;
      try {
        week = parseWeek(req.body.week);
      } catch (e) {
        throw badRequest("BAD_WEEK", (e as Error).message);
      }
      if (week.end > new Date()) throw badRequest("WEEK_OPEN", `${week.label} has not ended yet`);
      const job = await jobs.enqueue(week.label);
      await audit(deps.prisma, req, {
        action: "payouts.run.request",
        resource: `payout_run:${week.label}`,
        after: { job },
      });
      return reply.code(202).send({ week: week.label, job });
    },
  );
}
