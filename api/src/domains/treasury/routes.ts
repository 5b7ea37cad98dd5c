// The treasury domain (being written).
import type { App } from "../../types.js";

export default async function treasuryRoutes(_app: App) {}
