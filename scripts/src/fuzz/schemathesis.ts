// schemathesis (PyPI) in a venv of its own under .tools/, at one pinned version, for
// the API fuzz suite. `tsx scripts/src/fuzz/schemathesis.ts` installs it (CI does,
// before npm test); the suite calls ensureSchemathesis() and skips only if pip cannot.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const SCHEMATHESIS_VERSION = "4.32.5";
const ROOT = resolve(import.meta.dirname, "../../..");
export const VENV = join(ROOT, ".tools", `schemathesis-${SCHEMATHESIS_VERSION}`);
const run = promisify(execFile);

export type Installed = { st: string } | { error: string };

async function installedVersion(st: string): Promise<string | null> {
  if (!existsSync(st)) return null;
  try {
    const { stdout } = await run(st, ["--version"], { timeout: 60_000 });
    return /version (\S+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The `st` executable of the pinned version, installing it first if it is missing. */
export async function ensureSchemathesis(python = process.env.PYTHON ?? "python3"): Promise<Installed> {
  const st = join(VENV, "bin", "st");
  if ((await installedVersion(st)) === SCHEMATHESIS_VERSION) return { st };
  try {
    if (!existsSync(join(VENV, "bin", "pip"))) await run(python, ["-m", "venv", "--clear", VENV], { timeout: 120_000 });
    await run(
      join(VENV, "bin", "pip"),
      ["install", "--quiet", "--disable-pip-version-check", `schemathesis==${SCHEMATHESIS_VERSION}`],
      { timeout: 300_000 },
    );
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return {
      error: `pip could not install schemathesis ${SCHEMATHESIS_VERSION}: ${(err.stderr || err.message).trim()}`,
    };
  }
  const version = await installedVersion(st);
  return version === SCHEMATHESIS_VERSION
    ? { st }
    : { error: `schemathesis installed but \`st --version\` says ${version ?? "nothing"}` };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const result = await ensureSchemathesis();
  if ("error" in result) {
    console.error(result.error);
    process.exit(1);
  }
  console.log(`schemathesis ${SCHEMATHESIS_VERSION}: ${result.st}`);
}
