/**
 * The tarball `npm publish` would upload (built and packed once per run, setup.ts), as npm installs it:
 * what it ships, its dependencies, and its `bin`, run from a fresh project.
 */
import { execFile } from "node:child_process";
import { copyFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { LocalServer } from "../helpers/local-server.js";
import { freshProject, installed, runtimeDependencies } from "./install.js";
import { startSmokeServer } from "./server.js";

const exec = promisify(execFile);
interface Manifest {
  version: string;
  dependencies: Record<string, string>;
  exports: Record<string, string | Record<string, Record<string, string>>>;
  bin: Record<string, string>;
}

let project = "";
let pkg = "";
let manifest: Manifest;
beforeAll(async () => {
  project = await freshProject("package", { type: "module" });
  pkg = installed(project);
  manifest = JSON.parse(await readFile(join(pkg, "package.json"), "utf8")) as Manifest;
}, 180_000);

describe("the packed tarball", () => {
  it("ships dist's entries, chunks and spec, the README and what it links to, and nothing else", async () => {
    const { stdout } = await exec("tar", ["-tzf", inject("consumerTarball")]);
    const files = stdout.split("\n").filter(Boolean).map((f) => f.replace(/^package\//, "")).sort();
    const allowed = [/^package\.json$/, /^(README|CHANGELOG|SECURITY|CONTRIBUTING)\.md$/, /^LICENSE$/, /^dist\/[\w.-]+\.(c?js|d\.c?ts)$/, /^dist\/spacetimedb-v1(\.openapi-3\.0)?\.(yaml|json)$/];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    // Every file the exports map and bin name is in it.
    const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t).flatMap((c) => Object.values(c))));
    const wanted = [...new Set([...targets, ...Object.values(manifest.bin)].map((t) => t.replace(/^\.\//, "")))];
    expect(wanted.filter((t) => !files.includes(t))).toEqual([]);
    for (const doc of ["README.md", "LICENSE", "CHANGELOG.md", "SECURITY.md", "CONTRIBUTING.md"]) expect(files).toContain(doc);
  });

  it("resolves every spec export from a fresh project, 3.1 and its 3.0 rendition, by require and by import", async () => {
    const script = `
      import { createRequire } from "node:module";
      import { readFileSync } from "node:fs";
      const require = createRequire(import.meta.url);
      const out = {};
      for (const name of ["openapi.json", "openapi.yaml", "openapi-3.0.json", "openapi-3.0.yaml"]) {
        const file = require.resolve("spacetimedb-http/" + name);
        out[name] = /^openapi: ["']?(3\\.[01]\\.\\d+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? JSON.parse(readFileSync(file, "utf8")).openapi;
      }
      out.imported = (await import("spacetimedb-http/openapi-3.0.json", { with: { type: "json" } })).default.openapi;
      console.log(JSON.stringify(out));`;
    const { stdout } = await exec(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    const versions = JSON.parse(stdout) as Record<string, string>;
    expect(versions).toEqual({ "openapi.json": expect.stringMatching(/^3\.1\./), "openapi.yaml": expect.stringMatching(/^3\.1\./), "openapi-3.0.json": "3.0.3", "openapi-3.0.yaml": "3.0.3", imported: "3.0.3" });
  });

  it("has no empty JavaScript file (a chunk with no code)", async () => {
    const dist = join(pkg, "dist");
    const code = (await readdir(dist)).filter((f) => /\.c?js$/.test(f));
    expect(code.length).toBeGreaterThan(5);
    const empty: string[] = [];
    for (const file of code) if ((await readFile(join(dist, file), "utf8")).trim() === "") empty.push(`dist/${file}`);
    expect(empty).toEqual([]);
  });

  it("spacetimedb-http/codegen loads no Node built-in (README: a library entry with no Node built-ins)", async () => {
    const manifestCodegen = manifest.exports["./codegen"] as Record<string, Record<string, string>>;
    for (const target of [manifestCodegen.import!.default!, manifestCodegen.require!.default!]) {
      const seen = new Set<string>();
      const visit = async (file: string): Promise<string[]> => {
        if (seen.has(file)) return [];
        seen.add(file);
        const text = await readFile(join(pkg, file), "utf8");
        const builtins = [...text.matchAll(/(?:from|import\(|require\()\s*["'](node:[\w/]+)["']/g)].map((m) => `${file}: ${m[1]}`);
        const local = [...text.matchAll(/(?:from|import|import\(|require\()\s*["']\.\/([\w.-]+)["']/g)].map((m) => `dist/${m[1]}`);
        for (const next of local) builtins.push(...(await visit(next)));
        return builtins;
      };
      expect(await visit(target.replace(/^\.\//, ""))).toEqual([]);
    }
  });
});

describe("its dependencies", () => {
  it("installs offline with only openapi-fetch and undici (and openapi-fetch's own) as runtime dependencies", () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["openapi-fetch", "undici"]);
    expect(runtimeDependencies()).toEqual(["openapi-fetch", "openapi-typescript-helpers", "undici"]);
  });

  it("declares them as ranges, so a project that already has openapi-fetch 0.17 or undici 7 shares its copy", () => {
    const exact = Object.entries(manifest.dependencies).filter(([, range]) => /^\d/.test(range));
    // (That the ranges accept the locked versions, npm checked when it installed the tarball offline.)
    expect(exact.map(([name, range]) => `${name}: ${range} is an exact version`)).toEqual([]);
  });
});

describe("its bin, from a fresh project", () => {
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startSmokeServer();
  });
  afterAll(() => server?.close());
  const bin = () => join(project, "node_modules/.bin/spacetimedb-http");
  const run = (args: string[], env: Record<string, string> = {}) =>
    exec(bin(), args, { cwd: project, timeout: 60_000, env: { ...process.env, ...env } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" }),
    );

  it("generates bindings from a live server named by --server", async () => {
    const r = await run(["generate", "--database", "quickstart-chat", "--server", server!.url, "--out", "-"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/export function connect\(/);
    expect(r.code).toBe(0);
  });

  it("prints its version with --version", async () => {
    const r = await run(["--version"]);
    expect({ code: r.code, stdout: r.stdout.trim() }).toEqual({ code: 0, stdout: manifest.version });
  });

  it("honours SPACETIMEDB_URL as the server when --server is not given (as `npm start` does)", async () => {
    const r = await run(["generate", "--database", "quickstart-chat", "--out", "-"], { SPACETIMEDB_URL: server!.url });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/export function connect\(/);
  });
});

describe("its globals", () => {
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startSmokeServer();
    await copyFile(join(import.meta.dirname, "../helpers/global-state-probe.mjs"), join(project, "global-state-probe.mjs"));
  });
  afterAll(() => server?.close());

  // The main entry's `node` condition gives the Node build, which imports undici's files by path:
  // this shows that they are where it looks for them in the undici the package installs.
  for (const entry of ["spacetimedb-http", "spacetimedb-http/node", "spacetimedb-http/codegen"]) {
    for (const how of ["import", "require"]) {
      it(`${how} "${entry}" (and a first call) leaves the global fetch and dispatcher as they were`, async () => {
        const { stdout } = await exec(process.execPath, ["global-state-probe.mjs", entry, how, server!.url], { cwd: project, timeout: 60_000 });
        const withClient = entry === "spacetimedb-http";
        expect(JSON.parse(stdout)).toEqual({ called: withClient ? true : null, fetchUnchanged: true, undiciAgentInstalled: [] });
      });
    }
  }
});

describe("its declarations", () => {
  it("have no doc comment cut short at an abbreviation (`e.g;`)", async () => {
    const dist = join(pkg, "dist");
    const cut: string[] = [];
    for (const file of (await readdir(dist)).filter((f) => /\.d\.c?ts$/.test(f))) {
      for (const [i, line] of (await readFile(join(dist, file), "utf8")).split("\n").entries()) if (/\b(?:e\.g|i\.e)(?!\.)/.test(line)) cut.push(`dist/${file}:${i + 1}: ${line.trim()}`);
    }
    expect(cut).toEqual([]);
  });
});
