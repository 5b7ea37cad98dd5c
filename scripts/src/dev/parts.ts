// What the dev launcher needs around the processes it starts: ports (the usual one when
// free, else any), each part's output teed to its log file, the tail of that output for a
// failure's cause, and a stop that waits for the exit (SIGKILL when it takes too long).
import type { ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { freePort } from "../../../app/scripts/serve.js";

/** A started process of the stack. */
export interface Running {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The last of its output (what explains a failure). */
  output(): string;
}

function listenable(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(null));
    s.listen(port, "127.0.0.1", () => {
      const { port: bound } = s.address() as { port: number };
      s.close(() => resolve(bound));
    });
  });
}

/** `preferred` when nothing listens there on 127.0.0.1, else a free port. */
export async function portOr(preferred: number): Promise<number> {
  return (await listenable(preferred)) ?? freePort();
}

/** A port p with p + 1 free too (the localnet's JSON-RPC and WebSocket): `preferred` if it can be. */
export async function portPairOr(preferred: number): Promise<number> {
  let p = preferred;
  for (let tries = 0; tries < 20; tries++) {
    if ((await listenable(p)) !== null && (await listenable(p + 1)) !== null) return p;
    p = await freePort();
  }
  throw new Error("no two consecutive free ports found");
}

/** Appends everything `child` prints from now on (and `already`, printed before) to `file`. */
export function teeToFile(child: ChildProcess, file: string, already = ""): WriteStream {
  const out = createWriteStream(file, { flags: "a" });
  out.write(`\n--- started ${new Date().toISOString()} (pid ${child.pid}) ---\n${already}`);
  child.stdout?.on("data", (d: Buffer) => out.write(d));
  child.stderr?.on("data", (d: Buffer) => out.write(d));
  child.once("exit", (code, signal) => out.end(`--- exited ${code ?? signal} ---\n`));
  return out;
}

/** The last `lines` lines of `text`, indented. */
export function tail(text: string, lines = 25): string {
  return text
    .trimEnd()
    .split("\n")
    .slice(-lines)
    .map((l) => `    ${l}`)
    .join("\n");
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it is gone. */
export async function stopProcess(p: Running, graceMs = 15_000): Promise<"stopped" | "killed"> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return "stopped";
  p.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((r) => {
    timer = setTimeout(() => r("late"), graceMs);
  });
  const how = await Promise.race([p.exited.then(() => "stopped" as const), late]);
  clearTimeout(timer);
  if (how === "stopped") return how;
  p.child.kill("SIGKILL");
  await p.exited;
  return "killed";
}
