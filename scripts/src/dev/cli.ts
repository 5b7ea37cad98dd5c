// npm run dev: the whole platform on this machine (see launcher.ts and README.md here).
//
// The launcher runs in a process group of its own, with everything it starts: a Ctrl-C in
// the terminal signals this process only (and npm), never the parts directly, so the
// launcher can stop them one by one in reverse order — the API before the database it
// writes to, Postgres last and cleanly. If this process dies, the launcher notices (its
// IPC channel closes) and stops the parts all the same.
import { spawn } from "node:child_process";
import { join } from "node:path";

const launcher = spawn(
  process.execPath,
  ["--import", "tsx", join(import.meta.dirname, "launcher.ts"), ...process.argv.slice(2)],
  {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  },
);

// npm and tsx forward the terminal's Ctrl-C to us too, so one press arrives more than once.
let asked = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (asked) return;
    asked = true;
    launcher.kill("SIGTERM");
  });
}
launcher.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
