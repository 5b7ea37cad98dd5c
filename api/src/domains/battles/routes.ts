// The battles domain (being written).
import type { App } from "../../types.js";

export default async function battlesRoutes(_app: App) {}
