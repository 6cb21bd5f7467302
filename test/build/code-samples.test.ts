/**
 * The docs' code samples (x-codeSamples, added by redocly/code-samples.js when the spec is bundled):
 * every operation has an SDK call and a curl command, and every SDK call type-checks against the
 * client, so a sample cannot drift from the SDK.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleSpec } from "../helpers/mock-server.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
type Sample = { lang: string; label: string; source: string };
type Operation = { operationId: string; "x-codeSamples"?: Sample[] };

let dir = "";
let operations: Operation[] = [];
beforeAll(async () => {
  await mkdir(join(ROOT, "node_modules/.cache"), { recursive: true });
  dir = await mkdtemp(join(ROOT, "node_modules/.cache/code-samples-"));
  await bundleSpec({ output: join(dir, "bundle.yaml"), cwd: ROOT });
  const spec = parse(await readFile(join(dir, "bundle.yaml"), "utf8")) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.values(spec.paths).flatMap((item) => Object.values(item).filter((op): op is Operation => typeof (op as Operation)?.operationId === "string"));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

it("gives every operation an SDK call and a curl command", () => {
  expect(operations.length).toBeGreaterThan(45);
  for (const op of operations) {
    expect(op["x-codeSamples"]?.map((s) => s.label), op.operationId).toEqual(["spacetimedb-http", "curl"]);
    expect(op["x-codeSamples"]?.[1]?.source, op.operationId).toMatch(/^curl -X (GET|PUT|POST|DELETE|PATCH|HEAD) "http:\/\/127\.0\.0\.1:3000\/v1\//);
  }
});

it("type-checks every SDK call against the client", async () => {
  const bodies = operations.map((op, i) => `async function sample${i}() { // ${op.operationId}\n${op["x-codeSamples"]![0]!.source}\n}`);
  const file = [
    `import type { SpacetimeClient } from ${JSON.stringify(join(ROOT, "src/index.js"))};`,
    "declare const client: SpacetimeClient;",
    "declare const wasmBytes: Uint8Array;",
    ...bodies,
    `export const all = [${operations.map((_, i) => `sample${i}`).join(", ")}];`,
  ].join("\n");
  await writeFile(join(dir, "samples.ts"), file);
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["samples.ts"] }));
  const checked = await run(join(ROOT, "node_modules/.bin/tsc"), ["-p", dir, "--noEmit"]).then(
    () => "",
    (e: { stdout?: string }) => e.stdout ?? String(e),
  );
  expect(checked).toBe("");
}, 60_000);
