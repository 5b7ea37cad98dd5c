// The webhooks domain (being written).
import type { App } from "../../types.js";

export default async function webhooksRoutes(_app: App) {}
