/**
 * The spec drives the SDK: in a copy of the project, an operation added to the spec (and a query
 * parameter renamed) and `scripts/generate.ts` run give a typed, documented method that type-checks
 * and sends the right request through an injected fetch, with no other edit.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
let dir = "";

const NEW_PATH = `get:
  operationId: getReplicaCount
  summary: Count a database's replicas.
  description: A made-up operation, added by a test to a copy of the spec.
  tags: [database]
  security:
    - {}
    - bearer: []
  parameters:
    - name: name_or_identity
      in: path
      required: true
      schema:
        type: string
    - name: include_offline
      in: query
      description: Count replicas that are down too.
      schema:
        type: boolean
  responses:
    '200':
      description: The count.
      content:
        application/json:
          schema:
            type: object
            required: [count]
            properties:
              count:
                type: integer
    '404':
      description: No such database.
      content:
        text/plain; charset=utf-8:
          schema:
            type: string
`;

/** A program written against the new method only: it must compile and run. */
const CALLER = `import { createClient } from "./index.js";
const sent: string[] = [];
const client = createClient({
  fetch: async (input) => {
    sent.push(new URL((input as Request).url).pathname + new URL((input as Request).url).search);
    return new Response('{"count":3}', { headers: { "content-type": "application/json" } });
  },
});
const replicas = await client.getReplicaCount("quickstart-chat", { includeOffline: true });
const count: number | undefined = replicas.ok ? replicas.data.count : undefined;
const logs = await client.logs("quickstart-chat", { lineCount: 5 });
console.log(JSON.stringify({ count, sent, logs: logs.ok }));
`;

beforeAll(async () => {
  await mkdir(join(ROOT, "node_modules/.cache"), { recursive: true });
  dir = await mkdtemp(join(ROOT, "node_modules/.cache/new-operation-"));
  for (const part of ["openapi", "src", "scripts"]) await cp(join(ROOT, part), join(dir, part), { recursive: true });
  await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
  await writeFile(join(dir, "openapi/paths/database_{name_or_identity}_replicas.yaml"), NEW_PATH);
  const root = join(dir, "openapi/spacetimedb-v1.yaml");
  const spec = await readFile(root, "utf8");
  expect(spec).toContain("\npaths:\n");
  await writeFile(root, spec.replace("\npaths:\n", "\npaths:\n  /v1/database/{name_or_identity}/replicas:\n    $ref: paths/database_{name_or_identity}_replicas.yaml\n"));
  const logs = join(dir, "openapi/paths/database_{name_or_identity}_logs.yaml");
  await writeFile(logs, (await readFile(logs, "utf8")).replaceAll("name: num_lines", "name: line_count"));
  await run(bin("tsx"), [join(dir, "scripts/generate.ts"), "--spec", root, "--out", join(dir, "src/generated")], { env: { ...process.env, REDOCLY_TELEMETRY: "off" } });
  await writeFile(join(dir, "src/caller.ts"), CALLER);
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["src"] }));
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

it("generates the new operation's method with its doc comment and options", async () => {
  const types = await readFile(join(dir, "src/generated/method-types.ts"), "utf8");
  expect(types).toContain("Count a database's replicas.");
  expect(types).toMatch(/getReplicaCount\(nameOrIdentity: string, options\?: GetReplicaCountOptions\): Promise<Result</);
  expect(types).toMatch(/includeOffline\?: boolean \| undefined;/);
  expect(types).toMatch(/lineCount\?: number \| undefined;/);
});

it("type-checks the copy, the new method's caller included, with no other edit", async () => {
  await expect(run(bin("tsc"), ["-p", dir, "--noEmit"])).resolves.toBeDefined();
}, 120_000);

it("calls the new method and the renamed parameter through an injected fetch", async () => {
  const { stdout } = await run(bin("tsx"), [join(dir, "src/caller.ts")], { cwd: dir });
  const out = JSON.parse(stdout.trim().split("\n").at(-1)!) as { count: number; sent: string[]; logs: boolean };
  expect(out.count).toBe(3);
  expect(out.sent[0]).toBe("/v1/database/quickstart-chat/replicas?include_offline=true");
  expect(out.sent[1]).toBe("/v1/database/quickstart-chat/logs?line_count=5&follow=false");
}, 60_000);
