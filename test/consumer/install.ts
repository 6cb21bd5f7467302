/**
 * A fresh project with the packed tarball installed, as a new user gets it: `npm install <tarball>`
 * with the real package.json, offline. The package's runtime dependencies (and theirs) are declared
 * as `file:` links to this checkout's node_modules, so npm resolves them without a registry and
 * still checks that they satisfy the package's dependency ranges.
 */
import { execFile } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { NPM_ENV } from "./setup.js";

const exec = promisify(execFile);
export const root = resolve(import.meta.dirname, "../..");

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** The package's runtime dependencies and theirs (required peers included), found in this checkout's node_modules. */
export function runtimeDependencies(): string[] {
  const found = new Set<string>();
  const visit = (m: Manifest) => {
    const peers = Object.keys(m.peerDependencies ?? {}).filter((p) => !m.peerDependenciesMeta?.[p]?.optional);
    for (const name of [...Object.keys(m.dependencies ?? {}), ...peers]) {
      if (found.has(name)) continue;
      found.add(name);
      visit(manifest(join(root, "node_modules", name)));
    }
  };
  visit(manifest(root));
  return [...found].sort();
}

export interface ProjectOptions {
  /** package.json `type` of the project. */
  type: "module" | "commonjs";
  /** Packages of this checkout's node_modules linked in as well (e.g. `@types/node` for a TypeScript consumer). */
  link?: string[];
}

/** Makes `<consumerWork>/<name>-XXXX` with the tarball installed; resolves to its path. */
export async function freshProject(name: string, options: ProjectOptions): Promise<string> {
  const parent = join(inject("consumerWork"), "projects");
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `${name}-`));
  const dependencies = Object.fromEntries(runtimeDependencies().map((dep) => [dep, `file:${realpathSync(join(root, "node_modules", dep))}`]));
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name, version: "1.0.0", private: true, type: options.type, dependencies }, null, 2)}\n`);
  try {
    await exec("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", inject("consumerTarball")], { cwd: dir, env: NPM_ENV, timeout: 120_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm install of the packed tarball failed in ${dir}:\n${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
  for (const dep of options.link ?? []) {
    await mkdir(join(dir, "node_modules", dep, ".."), { recursive: true });
    await symlink(realpathSync(join(root, "node_modules", dep)), join(dir, "node_modules", dep), "dir");
  }
  return dir;
}

/** The installed package's folder in a project. */
export const installed = (project: string) => join(project, "node_modules/spacetimedb-http");
