/**
 * The README as a new user meets it: the package is built and packed, the tarball installed into a
 * fresh project (no registry: its dependencies are linked from this checkout), every TypeScript
 * block of the README compiles there under `strict` against the installed types, and the first
 * call runs against a Prism mock of the shipped spec.
 */
import { execFile } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { build, type Options } from "tsup";
import ts from "typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import tsupConfig from "../../tsup.config.js";
import { generate } from "../../src/codegen/index.js";
import { bundleSpec, startMock } from "../helpers/mock-server.js";

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const env = { ...process.env, npm_config_loglevel: "silent", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Names the README's snippets use without defining them: what a reader's program would have. */
const AMBIENT = `import type { Row, SpacetimeClient } from "spacetimedb-http";
declare global {
  const client: SpacetimeClient;
  const other: string;
  const wasmBytes: Uint8Array;
  const key: string;
  const rotated: string;
  const rows: { data: Row[][] };
  const secrets: { get(name: string): string };
  function saveSecret(token: string): Promise<void>;
}
export {};
`;

let work = "";
let project = "";
beforeAll(async () => {
  await mkdir(join(root, "node_modules/.cache"), { recursive: true });
  work = await mkdtemp(join(root, "node_modules/.cache/readme-"));
  const stage = join(work, "package");
  await build({ ...(tsupConfig as Options), outDir: join(stage, "dist"), config: false, silent: true });
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  const dependencies = Object.keys((manifest.dependencies as Record<string, string> | undefined) ?? {});
  for (const k of ["dependencies", "devDependencies", "scripts"]) delete manifest[k];
  await writeFile(join(stage, "package.json"), JSON.stringify(manifest, null, 2));
  await bundleSpec({ output: join(stage, "dist/spacetimedb-v1.yaml"), api: "spacetimedb@v1" });
  const packed = await exec("npm", ["pack", "--ignore-scripts", "--json"], { cwd: stage, env });
  const tarball = join(stage, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

  project = join(work, "app");
  await mkdir(project);
  await writeFile(join(project, "package.json"), '{ "name": "app", "version": "1.0.0", "private": true, "type": "module" }\n');
  await exec("npm", ["install", "--offline", "--ignore-scripts", tarball], { cwd: project, env });
  for (const dep of dependencies) await symlink(realpathSync(join(root, "node_modules", dep)), join(project, "node_modules", dep), "dir");
  await symlink(realpathSync(join(root, "node_modules/@types")), join(project, "node_modules/@types"), "dir");
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

it("has the blocks a new user reads: a first call, errors, streams, publishing, bindings", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(12);
  expect(blocks[0]).toMatch(/createClient\(\{ baseUrl: "http:\/\/127\.0\.0\.1:3000" \}\)/);
});

it("every TypeScript block compiles under strict against the installed package", async () => {
  // The bindings examples import ./module.js: generated for quickstart-chat, as the README shows.
  await writeFile(join(project, "module.ts"), generate(readFileSync(join(root, "test/codegen/fixtures/quickstart-chat.v10.json"), "utf8")));
  await writeFile(join(project, "ambient.d.ts"), AMBIENT);
  const files = [join(project, "ambient.d.ts"), join(project, "module.ts")];
  for (const [i, code] of blocks.entries()) {
    files.push(join(project, `block${i}.ts`));
    await writeFile(files.at(-1)!, `${code}\nexport {};\n`);
  }
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    skipLibCheck: true,
  });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${d.file.fileName.slice(project.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  expect(errors).toEqual([]);
}, 120_000);

it("the first call runs against a mock of the shipped spec", async () => {
  const mock = await startMock(join(work, "package/dist/spacetimedb-v1.yaml"));
  try {
    const code = ts.transpileModule(blocks[0]!.replaceAll("http://127.0.0.1:3000", mock.url), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    await writeFile(join(project, "first-call.mjs"), code);
    const run = await exec(process.execPath, ["first-call.mjs"], { cwd: project, env, timeout: 60_000 });
    // The mock answers the spec's quickstart-chat example: one message from the example identity.
    expect(run.stdout).toMatch(/^c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d Hello!$/m);
    expect(run.stderr).toBe("");
  } finally {
    await mock.close();
  }
}, 120_000);
