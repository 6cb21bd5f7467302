/**
 * The server's source files the route reader needs, from a SpacetimeDB checkout (files on disk)
 * or a bare git directory (read at `ref`, default HEAD). No Rust toolchain, only git for bare dirs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Where the HTTP API, the editions' mounts, and the shared header types live. */
export const SOURCE_DIRS = ["crates/client-api/src", "crates/client-api-messages/src", "crates/standalone/src"];

export interface ServerSource {
  /** Path → text, for every `.rs` file under SOURCE_DIRS. */
  files: Map<string, string>;
  /** The workspace version in the root Cargo.toml, if readable. */
  cargoVersion?: string;
  /** How the files were read, for the report (`<dir> at <ref> (<commit>)` or `<dir> (files on disk)`). */
  description: string;
}

export function readServerSource(dir: string, ref?: string): ServerSource {
  if (!existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  return isBareGitDir(dir) ? readGit(dir, ref ?? "HEAD") : readTree(dir);
}

function isBareGitDir(dir: string): boolean {
  return !existsSync(join(dir, "crates")) && existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects"));
}

function readTree(dir: string): ServerSource {
  const files = new Map<string, string>();
  const visit = (abs: string) => {
    for (const entry of readdirSync(abs)) {
      const path = join(abs, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (entry.endsWith(".rs")) files.set(relative(dir, path).split(sep).join("/"), readFileSync(path, "utf8"));
    }
  };
  for (const sub of SOURCE_DIRS) if (existsSync(join(dir, sub))) visit(join(dir, sub));
  const cargo = join(dir, "Cargo.toml");
  const cargoVersion = existsSync(cargo) ? workspaceVersion(readFileSync(cargo, "utf8")) : undefined;
  return { files, ...(cargoVersion ? { cargoVersion } : {}), description: `${dir} (files on disk)` };
}

function readGit(gitDir: string, ref: string): ServerSource {
  const git = (args: string[], input?: string) => {
    const r = spawnSync("git", ["--git-dir", gitDir, ...args], { input, maxBuffer: 512 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString().trim()}`);
    return r.stdout;
  };
  const commit = git(["rev-parse", "--verify", `${ref}^{commit}`]).toString().trim();
  const listing = git(["ls-tree", "-r", "-z", commit, "--", ...SOURCE_DIRS, "Cargo.toml"]).toString().split("\0").filter(Boolean);
  const blobs = listing
    .map((line) => /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m && (m[2]!.endsWith(".rs") || m[2] === "Cargo.toml"))
    .map((m) => ({ oid: m[1]!, path: m[2]! }));
  const out = git(["cat-file", "--batch"], blobs.map((b) => b.oid).join("\n") + "\n");
  const files = new Map<string, string>();
  let cargoVersion: string | undefined;
  let at = 0;
  for (const blob of blobs) {
    const headerEnd = out.indexOf(0x0a, at);
    const size = Number(out.subarray(at, headerEnd).toString().split(" ")[2]);
    const text = out.subarray(headerEnd + 1, headerEnd + 1 + size).toString("utf8");
    at = headerEnd + 1 + size + 1;
    if (blob.path === "Cargo.toml") cargoVersion = workspaceVersion(text);
    else files.set(blob.path, text);
  }
  return { files, ...(cargoVersion ? { cargoVersion } : {}), description: `${gitDir} at ${ref} (${commit.slice(0, 9)})` };
}

/** `version = "…"` under `[workspace.package]`. */
export function workspaceVersion(cargoToml: string): string | undefined {
  const section = /^\[workspace\.package\]\s*$([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(cargoToml);
  return section ? /^version\s*=\s*"([^"]+)"/m.exec(section[1]!)?.[1] : undefined;
}
