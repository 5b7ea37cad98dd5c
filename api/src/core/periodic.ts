// Background jobs of a plugin: run once the app is ready, then every `ms`; a failure
// is logged and the job simply runs again at its next turn. Stopped with the app.
import type { App } from "../types.js";

export function runPeriodically(app: App, name: string, ms: number, job: () => Promise<unknown>): void {
  const run = async () => {
    try {
      await job();
    } catch (err) {
      app.log.warn({ err }, `${name} failed; it runs again in ${ms} ms`);
    }
  };
  const timer = setInterval(run, ms);
  timer.unref();
  app.addHook("onReady", run);
  app.addHook("onClose", async () => clearInterval(timer));
}
