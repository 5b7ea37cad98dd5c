import type { Idl } from "@coral-xyz/anchor";
import type { PublicKey } from "@solana/web3.js";
import { coderFor } from "./coders.js";
import { toJson } from "./json.js";

export interface DecodedEvent {
  name: string;
  data: Record<string, unknown>;
}

/** An event with the program whose invocation logged it and its position among
 * all the transaction's events; `data` is plain JSON (see `toJson`). */
export interface LoggedEvent {
  index: number;
  program: string;
  name: string;
  data: Record<string, unknown>;
}

const INVOKE = /^Program (\w+) invoke \[\d+\]$/;
const EXIT = /^Program (\w+) (?:success|failed)/;
const DATA = "Program data: ";

/** Each `Program data:` payload with the program whose invocation logged it:
 * the innermost one invoked at that point, so a CPI's events belong to the callee. */
function* programData(logs: readonly string[]): Generator<{ program: string; payload: string; line: string }> {
  const stack: string[] = [];
  for (const line of logs) {
    const invoke = INVOKE.exec(line);
    if (invoke) stack.push(invoke[1] ?? "");
    else if (EXIT.test(line)) stack.pop();
    else if (line.startsWith(DATA)) {
      const program = stack.at(-1);
      if (program !== undefined) yield { program, payload: line.slice(DATA.length).split(" ")[0] ?? "", line };
    }
  }
}

/**
 * Decodes the Anchor events of every program in `idls` from a transaction's
 * logs, in log order. Lines that do not decode with the program's IDL are
 * reported to `onSkip`, never thrown: logs are whatever a program chose to
 * write, not a contract.
 */
export function decodeLoggedEvents(
  logs: readonly string[],
  idls: ReadonlyMap<string, Idl>,
  onSkip?: (program: string, line: string, reason: string) => void,
): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  for (const { program, payload, line } of programData(logs)) {
    const idl = idls.get(program);
    if (!idl) continue;
    let decoded: { name: string; data: unknown } | null;
    try {
      decoded = coderFor(idl).events.decode(payload);
    } catch (e) {
      onSkip?.(program, line, (e as Error).message);
      continue;
    }
    if (!decoded) onSkip?.(program, line, "no event of the IDL has this discriminator");
    else
      events.push({
        index: events.length,
        program,
        name: decoded.name,
        data: toJson(decoded.data) as Record<string, unknown>,
      });
  }
  return events;
}

/** The events one program emitted, with Anchor's value types (BN, PublicKey). */
export function decodeEvents(programId: PublicKey, idl: Idl, logs: readonly string[]): DecodedEvent[] {
  const id = programId.toBase58();
  const events: DecodedEvent[] = [];
  for (const { program, payload } of programData(logs)) {
    if (program !== id) continue;
    const e = coderFor(idl).events.decode(payload);
    if (e) events.push({ name: e.name, data: e.data as Record<string, unknown> });
  }
  return events;
}
