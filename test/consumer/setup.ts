/**
 * vitest globalSetup of the consumer tier: build the package exactly as `npm run build` does and pack
 * it ONCE per run; the tests install that tarball into fresh projects (`install.ts`).
 *
 * The build runs in a copy of this checkout (without node_modules, dist, .git, .runtimes; its
 * node_modules is a link to this one), so it never touches this checkout's dist/ and needs nothing
 * but what `npm ci` installed. `npm pack --ignore-scripts` then packs what `files` lists, with the
 * real package.json: the tarball is the one `npm publish` would upload.
 *   inject("consumerTarball") → the .tgz
 *   inject("consumerWork")    → a temporary folder the tests make their projects in (removed after the run)
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    consumerTarball: string;
    consumerWork: string;
  }
}

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
/** Top-level entries of the checkout that are not build inputs (and may be large, or links). */
const NOT_COPIED = new Set([".git", "node_modules", "dist", ".runtimes", "coverage", ".vitest-results.json", "vitest.json"]);
export const NPM_ENV = {
  ...process.env,
  SCARF_ANALYTICS: "false",
  REDOCLY_TELEMETRY: "off",
  DO_NOT_TRACK: "1",
  NO_COLOR: "1",
  npm_config_loglevel: "error",
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const work = await mkdtemp(join(tmpdir(), "spacetimedb-http-consumer-"));
  try {
    const checkout = join(work, "checkout");
    await cp(root, checkout, { recursive: true, filter: isBuildInput });
    await symlink(join(root, "node_modules"), join(checkout, "node_modules"), "dir");
    await run("npm", ["run", "build"], checkout, "npm run build");
    const packs = join(work, "packed");
    await mkdir(packs);
    const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packs], checkout, "npm pack");
    const [report] = JSON.parse(packed) as { filename: string }[];
    project.provide("consumerTarball", join(packs, report!.filename));
    project.provide("consumerWork", work);
    return () => rm(work, { recursive: true, force: true });
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

/** Everything but the top-level entries that are not build inputs, and packed tarballs. */
function isBuildInput(source: string): boolean {
  if (dirname(source) !== root) return true;
  const name = basename(source);
  return !NOT_COPIED.has(name) && !name.endsWith(".tgz");
}

async function run(file: string, args: string[], cwd: string, what: string): Promise<string> {
  try {
    const { stdout } = await exec(file, args, { cwd, env: NPM_ENV, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`consumer tier: ${what} failed in a copy of the checkout:\n${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}
