// The users domain (being written).
import type { App } from "../../types.js";

export default async function usersRoutes(_app: App) {}
