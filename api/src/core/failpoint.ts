// Failpoints: named places in a multi-step job where a test can freeze the process
// (ECE_FAILPOINTS=name,name…) and kill it with SIGKILL, to prove a rerun neither
// repeats nor skips work. Off (one Set lookup) unless the variable is set.
const armed = new Set(
  (process.env.ECE_FAILPOINTS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

/** At an armed failpoint: prints `{"failpoint": name}` on stdout and never returns. */
export async function failpoint(name: string): Promise<void> {
  if (!armed.has(name)) return;
  process.stdout.write(`${JSON.stringify({ failpoint: name })}\n`);
  await new Promise(() => {});
}
