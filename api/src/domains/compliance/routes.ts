// The compliance domain (being written).
import type { App } from "../../types.js";

export default async function complianceRoutes(_app: App) {}
