// Every domain, each an encapsulated Fastify plugin mounted under /api/v1.
import type { App } from "../types.js";
import authRoutes from "./auth/routes.js";

export const DOMAINS: Array<(app: App) => Promise<void>> = [authRoutes];
