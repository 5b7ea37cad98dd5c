// Builds every on-chain program in programs/ to an SBPF .so with the upstream BPF
// route (Debian rustc-web + rust-web-src, -Zbuild-std, sbpf-linker on LLVM 22),
// writes programs/deploy/<name>.so and SHA256SUMS. `--check` rebuilds into a
// temporary directory and fails if any hash differs from the committed one.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const RUST_VERSION = "1.96.0";
const RUST_SRC = `/usr/src/rustc-${RUST_VERSION}`;
const LINKER_VERSION = "0.2.6";
const LLVM_PREFIX = "/usr/lib/llvm-22";
const toolsDir = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"),
  "ece",
  `sbpf-linker-${LINKER_VERSION}-llvm22`,
);
const linker = join(toolsDir, "bin", "sbpf-linker");
const check = process.argv.includes("--check");

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, args, { stdio: "inherit", env, cwd: root });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
}

function debianRustReady(): boolean {
  try {
    const v = execFileSync("/usr/bin/rustc", ["--version"], { encoding: "utf8" });
    return (
      v.includes(RUST_VERSION) &&
      existsSync(join(RUST_SRC, "library")) &&
      existsSync(join(LLVM_PREFIX, "bin", "llvm-config"))
    );
  } catch {
    return false;
  }
}

function ensureToolchain(): void {
  if (!debianRustReady()) {
    if (process.getuid?.() !== 0) {
      throw new Error(
        "Install the BPF toolchain first: sudo apt-get install rustc-web rust-web-src llvm-22-dev libpolly-22-dev zlib1g-dev libzstd-dev",
      );
    }
    console.log("» installing Debian rustc-web, rust-web-src and LLVM 22 (apt)");
    run("apt-get", ["update", "-q"]);
    run(
      "apt-get",
      [
        "install",
        "-y",
        "-q",
        "rustc-web",
        "rust-web-src",
        "llvm-22-dev",
        "libpolly-22-dev",
        "zlib1g-dev",
        "libzstd-dev",
      ],
      {
        ...process.env,
        DEBIAN_FRONTEND: "noninteractive",
      },
    );
    if (!debianRustReady()) throw new Error(`rustc ${RUST_VERSION} with its sources is still missing after apt-get`);
  }
  if (!existsSync(linker)) {
    console.log(`» building sbpf-linker ${LINKER_VERSION} against LLVM 22 (cargo install, a few minutes)`);
    run(
      "/usr/bin/cargo",
      [
        "install",
        "sbpf-linker",
        "--version",
        LINKER_VERSION,
        "--locked",
        "--no-default-features",
        "--features",
        "bpf-linker/llvm-22",
        "--root",
        toolsDir,
      ],
      {
        ...process.env,
        // Debian's rustc, not a rustup proxy (which would obey the crate's own
        // rust-toolchain.toml and ask for a nightly that is not installed).
        RUSTC: "/usr/bin/rustc",
        LLVM_SYS_221_PREFIX: LLVM_PREFIX,
        RUSTFLAGS: `-L native=${LLVM_PREFIX}/lib -C link-arg=-Wl,-rpath,${LLVM_PREFIX}/lib`,
      },
    );
  }
}

/** Program crates: those under programs/ that build a cdylib. */
function programCrates(): string[] {
  return readdirSync(join(root, "programs"))
    .filter((d) => {
      const manifest = join(root, "programs", d, "Cargo.toml");
      return existsSync(manifest) && /crate-type\s*=\s*\[[^\]]*"cdylib"/.test(readFileSync(manifest, "utf8"));
    })
    .sort();
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function build(crate: string, targetDir: string): string {
  const cargoHome = process.env.CARGO_HOME ?? join(homedir(), ".cargo");
  // Remap every absolute path that can reach the binary (panic locations) so the
  // output is the same on every machine.
  const remaps = [
    [join(cargoHome, "registry", "src"), "/crates"],
    [RUST_SRC, "/rustc"],
    ["/usr/lib/rustlib/src/rust", "/rustc"],
    [root, "/ece"],
  ].map(([from, to]) => `--remap-path-prefix=${from}=${to}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `/usr/bin:${process.env.PATH ?? ""}`,
    RUSTC: "/usr/bin/rustc",
    RUSTC_BOOTSTRAP: "1",
    CARGO_TARGET_DIR: targetDir,
    SBPF_LINKER: linker,
    CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER: join(root, "scripts", "sbpf-link"),
    CARGO_TARGET_BPFEL_UNKNOWN_NONE_RUSTFLAGS: [
      "-C panic=abort",
      "-C relocation-model=static",
      // The SVM has no alignment faults: let LLVM use 8-byte loads on unaligned data.
      "-C target-feature=+allows-misaligned-mem-access",
      "-C link-arg=--llvm-args=-bpf-stack-size=4096",
      ...remaps,
    ].join(" "),
  };
  run(
    "/usr/bin/cargo",
    ["build", "--locked", "--release", "--target", "bpfel-unknown-none", "-Zbuild-std=core,alloc", "-p", crate],
    env,
  );
  return join(targetDir, "bpfel-unknown-none", "release", `lib${crate}.so`);
}

function main(): void {
  ensureToolchain();
  const deploy = join(root, "programs", "deploy");
  const targetDir = join(root, "target", check ? "bpf-check" : "bpf");
  mkdirSync(deploy, { recursive: true });
  const sums = programCrates().map((crate) => {
    console.log(`» building ${crate}`);
    const so = build(crate, targetDir);
    if (!check) writeFileSync(join(deploy, `${crate}.so`), readFileSync(so));
    return `${sha256(so)}  ${crate}.so`;
  });
  const text = `${sums.join("\n")}\n`;
  const sumsFile = join(deploy, "SHA256SUMS");
  if (check) {
    const committed = existsSync(sumsFile) ? readFileSync(sumsFile, "utf8") : "";
    if (committed !== text) {
      console.error(
        `✗ rebuilt programs differ from programs/deploy/SHA256SUMS\n--- committed\n${committed}--- rebuilt\n${text}`,
      );
      process.exit(1);
    }
    console.log("✓ rebuilt programs match programs/deploy/SHA256SUMS");
  } else {
    writeFileSync(sumsFile, text);
    console.log(text);
  }
}

main();
