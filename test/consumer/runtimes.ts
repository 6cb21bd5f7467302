/**
 * The JavaScript runtimes a consumer runs the package in: Node 20 (this process's node) and, from
 * `.runtimes/` (gitignored, installed by `bash scripts/install-runtimes.sh` from the npm registry, never
 * as devDependencies), Node 22, Bun, Deno and workerd. Without one, its tests are skipped with one line
 * saying how to install it; with CI=true a missing runtime is a failure.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { root } from "./install.js";

const exec = promisify(execFile);
export const INSTALL_RUNTIMES = "install them with `bash scripts/install-runtimes.sh`";
export const runtimesRequired = process.env.CI === "true";
const runtimeBin = (name: string) => join(root, ".runtimes/node_modules/.bin", name);

export interface Runtime {
  name: string;
  binary: string;
  /** The command line that runs `script` (a file in `cwd`) with `args`. */
  command(script: string, args: string[], cwd: string): string[];
  env?: Record<string, string>;
}

const node = (name: string, binary: string): Runtime => ({ name, binary, command: (script, args) => [script, ...args] });

export const NODE20 = node("node 20", process.execPath);
export const NODE22 = node("node 22", runtimeBin("node"));
export const BUN: Runtime = { name: "bun", binary: runtimeBin("bun"), command: (script, args) => ["run", script, ...args] };
/**
 * Deno reads the project's package.json and resolves the package from its node_modules; the network
 * only to 127.0.0.1, files only in the project. A CommonJS file also gets `--allow-env`: Deno's
 * `require` resolves the package's `node` condition (not `deno`), so it loads the Node build, whose
 * undici reads environment variables (JEST_WORKER_ID, UNDICI_NO_WASM_SIMD) when it connects.
 */
export const DENO: Runtime = {
  name: "deno",
  binary: runtimeBin("deno"),
  command: (script, args, cwd) => ["run", "--no-lock", "--allow-net=127.0.0.1", `--allow-read=${cwd}`, `--allow-write=${cwd}`, ...(script.endsWith(".cjs") ? ["--allow-env"] : []), script, ...args],
  env: { DENO_DIR: join(root, ".runtimes/deno-dir"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" },
};
export const WORKERD_BINARY = runtimeBin("workerd");

export const isPresent = (binary: string) => existsSync(binary);

/** Warns once (outside CI) that some runtimes are missing and their tests are skipped. */
export function reportMissingRuntimes(binaries: { name: string; binary: string }[], what: string): void {
  const missing = binaries.filter((r) => !isPresent(r.binary)).map((r) => r.name);
  if (missing.length && !runtimesRequired) console.warn(`Runtimes not installed (${missing.join(", ")}): skipping their ${what} (${INSTALL_RUNTIMES}).`);
}

/** Runs a file with a time limit and no colour, telemetry or update checks; resolves to stdout + stderr (never rejects). */
export async function runIn(runtime: Runtime, script: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await exec(runtime.binary, runtime.command(script, args, cwd), {
      cwd,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", DO_NOT_TRACK: "1", ...runtime.env },
    });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return `${e.stdout ?? ""}\n${e.stderr ?? ""}\n${e.message}`;
  }
}
