/**
 * The README as a new user meets it: the packed tarball (built and packed once per run, setup.ts)
 * installed into a fresh project, every TypeScript block of the README compiles there under `strict`
 * against the installed types, and the first call runs against a Prism mock of the shipped spec.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { beforeAll, expect, it } from "vitest";
import { generate } from "../../src/codegen/index.js";
import { startMock } from "../helpers/mock-server.js";
import { freshProject, installed, root } from "./install.js";

const exec = promisify(execFile);
const readme = readFileSync(join(root, "README.md"), "utf8");
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

let project = "";
beforeAll(async () => {
  project = await freshProject("readme", { type: "module", link: ["@types/node"] });
}, 180_000);

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
  const mock = await startMock(join(installed(project), "dist/spacetimedb-v1.yaml"));
  try {
    const code = ts.transpileModule(blocks[0]!.replaceAll("http://127.0.0.1:3000", mock.url), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    await writeFile(join(project, "first-call.mjs"), code);
    const run = await exec(process.execPath, ["first-call.mjs"], { cwd: project, timeout: 60_000 });
    // The mock answers the spec's quickstart-chat example: one message from the example identity.
    expect(run.stdout).toMatch(/^c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d Hello!$/m);
    expect(run.stderr).toBe("");
  } finally {
    await mock.close();
  }
}, 120_000);
