// The cards domain (being written).
import type { App } from "../../types.js";

export default async function cardsRoutes(_app: App) {}
