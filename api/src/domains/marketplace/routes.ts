// The marketplace domain (being written).
import type { App } from "../../types.js";

export default async function marketplaceRoutes(_app: App) {}
