// The transactions domain (being written).
import type { App } from "../../types.js";

export default async function transactionsRoutes(_app: App) {}
