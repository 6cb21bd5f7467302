/**
 * Packaging: the `exports` map, and that the build behind it loads in Node as ESM and as CJS. What the
 * packed tarball ships is checked by the consumer tier (test/consumer/package.test.ts); publint and
 * @arethetypeswrong/cli (`npm run lint:package`) check the rest.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build, type Options } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tsupConfig from "../../tsup.config.js";
import { DATABASE } from "../helpers/fake-fetch.js";
import { sendJson, startServer } from "../helpers/local-server.js";

const exec = promisify(execFile);

const require = createRequire(import.meta.url);

type Exports = Record<string, string | { import: Record<string, string>; require: Record<string, string> }>;
interface PackageJson {
  exports: Exports;
  files: string[];
  main: string;
  module: string;
  types: string;
  sideEffects: boolean;
  scripts: Record<string, string>;
}
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;

/** Every file the `exports` map points at, as package-relative paths. */
function exportTargets(): string[] {
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === "string" ? [t] : [...Object.values(t.import), ...Object.values(t.require)]));
  return [...new Set(targets.map((t) => t.replace(/^\.\//, "")))];
}

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("package.json", () => {
  it("exports the two code entries (import and require, each with types), the spec and package.json", () => {
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./codegen", "./node", "./openapi-3.0.json", "./openapi-3.0.yaml", "./openapi.json", "./openapi.yaml", "./package.json"]);
    expect(pkg.exports["./openapi.yaml"]).toBe("./dist/spacetimedb-v1.yaml");
    expect(pkg.exports["./openapi.json"]).toBe("./dist/spacetimedb-v1.json");
    expect(pkg.exports["./openapi-3.0.yaml"]).toBe("./dist/spacetimedb-v1.openapi-3.0.yaml");
    expect(pkg.exports["./openapi-3.0.json"]).toBe("./dist/spacetimedb-v1.openapi-3.0.json");
    for (const entry of [".", "./node", "./codegen"]) {
      const target = pkg.exports[entry];
      expect(typeof target).toBe("object");
      if (typeof target !== "object") continue;
      // "types" first in each condition, as TypeScript requires; the main entry's runtimes that also
      // match `node` (Deno, Bun) and the others get the global-fetch build before `node`; default last.
      const conditions = entry === "." ? ["types", "deno", "bun", "workerd", "browser", "node", "default"] : ["types", "default"];
      expect(Object.keys(target.import)).toEqual(conditions);
      expect(Object.keys(target.require)).toEqual(conditions);
    }
    // The bundle script writes the spec files the exports map points at.
    expect(pkg.scripts.bundle).toContain("-o dist/spacetimedb-v1.yaml");
    expect(pkg.scripts.bundle).toContain("-o dist/spacetimedb-v1.json");
    // The build writes the OpenAPI 3.0 rendition after the bundle it is converted from.
    expect(pkg.scripts.build).toMatch(/npm run bundle && npm run bundle:3\.0$/);
    expect(pkg.scripts["bundle:3.0"]).toBe("tsx scripts/openapi-3.0.ts");
    expect(pkg.scripts.prepack).toBe("npm run build");
    expect(pkg.sideEffects).toBe(false);
  });
});

describe("export conditions of the main entry", () => {
  const main = () => pkg.exports["."] as { import: Record<string, string>; require: Record<string, string> };
  it.each(["deno", "bun", "workerd", "browser", "default"])("%s resolves to the global-fetch build", (condition) => {
    expect(main().import[condition]).toBe("./dist/index.js");
    expect(main().require[condition]).toBe("./dist/index.cjs");
  });
  it("node resolves to the undici build", () => {
    expect(main().import.node).toBe("./dist/index.node.js");
    expect(main().require.node).toBe("./dist/index.node.cjs");
  });
});

describe("the build (tsup.config.ts)", () => {
  let out = "";
  beforeAll(async () => {
    // Inside the project so the output resolves openapi-fetch from node_modules.
    await mkdir("node_modules/.cache", { recursive: true });
    out = await mkdtemp(join("node_modules", ".cache", "spacetimedb-http-build-"));
    tempDirs.push(out);
    const options = tsupConfig as Options;
    // JavaScript only: the declaration build takes several seconds more, and `npm run lint:package`
    // (attw) checks the .d.ts/.d.cts files of a real build.
    await build({ ...options, outDir: out, config: false, silent: true, dts: false });
  }, 60_000);

  it("writes every JavaScript file the exports map, main and module name", async () => {
    const written = await readdir(out);
    const code = [...exportTargets(), pkg.main, pkg.module].filter((t) => /\.c?js$/.test(t)).map((t) => t.replace(/^(\.\/)?dist\//, ""));
    expect(code.length).toBeGreaterThanOrEqual(4);
    for (const file of code) expect(written).toContain(file);
  });

  it("loads as ESM and as CJS with the same exports", async () => {
    const esm = (await import(pathToFileURL(join(process.cwd(), out, "index.js")).href)) as Record<string, unknown>;
    const cjs = require(join(process.cwd(), out, "index.cjs")) as Record<string, unknown>;
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort());
    for (const mod of [esm, cjs]) {
      expect(typeof mod.createClient).toBe("function");
      expect(typeof mod.unwrap).toBe("function");
      expect(typeof mod.SpacetimeHttpError).toBe("function");
    }
    const client = (esm.createClient as (o: object) => Record<string, unknown>)({ baseUrl: "http://127.0.0.1:1" });
    expect(typeof client.sqlRows).toBe("function");

    // The Node build of the main entry: the same exports, its createClient on the undici transport.
    const mainNodeEsm = (await import(pathToFileURL(join(process.cwd(), out, "index.node.js")).href)) as Record<string, unknown>;
    const mainNodeCjs = require(join(process.cwd(), out, "index.node.cjs")) as Record<string, unknown>;
    expect(Object.keys(mainNodeEsm).sort()).toEqual(Object.keys(esm).sort());
    expect(Object.keys(mainNodeCjs).sort()).toEqual(Object.keys(esm).sort());
    expect(mainNodeEsm.createClient).not.toBe(esm.createClient);

    const nodeEsm = (await import(pathToFileURL(join(process.cwd(), out, "node.js")).href)) as Record<string, unknown>;
    const nodeCjs = require(join(process.cwd(), out, "node.cjs")) as Record<string, unknown>;
    expect(typeof nodeEsm.fromFile).toBe("function");
    expect(Object.keys(nodeEsm).sort()).toEqual(Object.keys(nodeCjs).sort());
  });

  it("the Node build, as ESM and as CJS, loads undici's Agent file by path on its first call, not undici's main entry", { timeout: 60_000 }, async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, DATABASE));
    try {
      // Each in a fresh process, the ESM one as an ES module: no `require` in scope, as in a user's ESM app.
      const call = (load: string) => `const { createClient } = ${load};
        const r = await createClient({ baseUrl: ${JSON.stringify(server.url)}, retries: 0 }).getDatabase("x");
        const files = Object.keys(cache).filter((f) => f.includes("/node_modules/undici/"));
        console.log(JSON.stringify({ ok: r.ok, loaded: ["lib/dispatcher/agent.js", "lib/global.js"].map((f) => files.some((file) => file.endsWith("/node_modules/undici/" + f))) }));`;
      const scripts = {
        import: ["--input-type=module", "-e", `import { createRequire } from "node:module"; const { cache } = createRequire(process.cwd() + "/");\n${call(`await import(${JSON.stringify(pathToFileURL(join(process.cwd(), out, "index.node.js")).href)})`)}`],
        require: ["-e", `const { cache } = require; (async () => { ${call(`require(${JSON.stringify(join(process.cwd(), out, "index.node.cjs"))})`)} })();`],
      };
      for (const [how, args] of Object.entries(scripts)) {
        const { stdout } = await exec(process.execPath, args, { cwd: process.cwd(), timeout: 30_000 });
        expect({ how, ...JSON.parse(stdout) }).toEqual({ how, ok: true, loaded: [true, false] });
      }
    } finally {
      server.close();
    }
  });

  it("keeps Node built-ins out of the main entry and openapi-fetch external", async () => {
    for (const file of ["index.js", "index.cjs"]) {
      const code = await readFile(join(out, file), "utf8");
      expect(code).not.toMatch(/(?:from|import|require)\s*\(?\s*["'](?:node:|fs|path|stream|http|https|os|url|crypto|buffer|child_process)/);
      expect(code).not.toMatch(/function createClient\(clientOptions\)/);
    }
    // openapi-fetch stays a dependency, imported rather than bundled in (in ESM, from the chunk the
    // universal and the Node build share).
    const esmFiles = (await readdir(out)).filter((f) => f.endsWith(".js") && f !== "node.js");
    const esmCode = await Promise.all(esmFiles.map((f) => readFile(join(out, f), "utf8")));
    expect(esmCode.some((code) => /(?:from|import\()\s*["']openapi-fetch["']/.test(code))).toBe(true);
    expect(esmCode.some((code) => /function createClient\(clientOptions\)/.test(code))).toBe(false);
    expect(await readFile(join(out, "index.cjs"), "utf8")).toMatch(/require\(\s*["']openapi-fetch["']/);
    expect(await readFile(join(out, "node.js"), "utf8")).toMatch(/from\s*["']node:fs["']/);
    // undici only in the Node build: not in the universal entry nor in any chunk it may load.
    // (The CLI, the `bin`, runs in Node and reads files: it is not part of any entry a browser loads.)
    const universal = (await readdir(out)).filter((f) => /\.c?js$/.test(f) && !f.startsWith("index.node.") && !/^(node|cli)\.c?js$/.test(f));
    for (const file of universal) expect(await readFile(join(out, file), "utf8")).not.toMatch(/["']undici[/"']|["']node:/);
    // The Node build loads undici's two files on its first request (src/transport/undici-parts.ts), by
    // path with a `require` made there, never at import: no static import, no require at the top level.
    for (const file of ["index.node.js", "index.node.cjs"]) {
      const code = await readFile(join(out, file), "utf8");
      expect(code).toMatch(/^\s+.*\w\(\s*["']undici\/lib\/dispatcher\/agent\.js["']\s*\)/m);
      expect(code).not.toMatch(/__require/); // esbuild's shim for a bare `require`, which throws in ES modules
      expect(code).not.toMatch(/from\s*["']undici|import\s*["']undici|^\S.*require\w*\(\s*["']undici/m);
    }
  });
});
