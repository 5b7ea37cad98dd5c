// The events domain (being written).
import type { App } from "../../types.js";

export default async function eventsRoutes(_app: App) {}
