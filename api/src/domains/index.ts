// Every domain, each an encapsulated Fastify plugin mounted under /api/v1.
import type { App } from "../types.js";
import authRoutes from "./auth/routes.js";
import battlesRoutes from "./battles/routes.js";
import cardsRoutes from "./cards/routes.js";
import complianceRoutes from "./compliance/routes.js";
import eventsRoutes from "./events/routes.js";
import marketplaceRoutes from "./marketplace/routes.js";
import payoutsRoutes from "./payouts/routes.js";
import transactionsRoutes from "./transactions/routes.js";
import treasuryRoutes from "./treasury/routes.js";
import usersRoutes from "./users/routes.js";
import webhooksRoutes from "./webhooks/routes.js";

export const DOMAINS: Array<(app: App) => Promise<void>> = [
  authRoutes,
  usersRoutes,
  cardsRoutes,
  marketplaceRoutes,
  battlesRoutes,
  treasuryRoutes,
  payoutsRoutes,
  transactionsRoutes,
  complianceRoutes,
  webhooksRoutes,
  eventsRoutes,
];
