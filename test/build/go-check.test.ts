/**
 * The Go check (checks/go, kin-openapi from Debian): every example of the OpenAPI 3.0 rendition and
 * every canned answer of the test servers pass; an example or a canned answer made wrong in a copy
 * fails, and the failure names its place. Skipped with one line without Go (and kin-openapi), a
 * failure under CI=true.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALL, missingGo } from "../../checks/go/run.js";
import { convert } from "../../scripts/oas30/convert.js";
import { bundleSpec } from "../helpers/mock-server.js";

type Json = Record<string, any>;
const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const missing = missingGo();
if (missing) console.log(`Go check tests skipped: ${missing}; install with \`${INSTALL}\``);

/** Runs `npm run check:go`'s script with these arguments; resolves to its exit code and output. */
async function check(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "checks/go/run.ts"), ...args], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

it.runIf(missing && process.env.CI === "true")("has Go and kin-openapi under CI=true", () => {
  throw new Error(`the Go check needs ${missing}: ${INSTALL}`);
});

describe.skipIf(missing)("the Go check (kin-openapi)", () => {
  let dir = "";
  let rendition: Json;
  const write = async (name: string, value: unknown) => {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(value));
    return file;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-go-test-"));
    const bundle = await bundleSpec({ output: join(dir, "bundle.json"), cwd: ROOT });
    rendition = convert(JSON.parse(await readFile(bundle, "utf8")) as Json).document;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("validates every example and every canned answer of the test servers", async () => {
    const { code, output } = await check("--save-exchanges", join(dir, "exchanges.json"));
    expect(output).not.toMatch(/^FAIL/m);
    const counts = /(\d+) examples and (\d+) canned answers checked .*; 0 failed$/m.exec(output);
    expect(counts, output).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThan(300);
    // Every test server the capture imports answered (the runtime smoke, streams, faults and bench servers).
    const { exchanges } = JSON.parse(await readFile(join(dir, "exchanges.json"), "utf8")) as { exchanges: { source: string }[] };
    expect(Number(counts![2])).toBe(exchanges.length);
    expect(new Set(exchanges.map((x) => x.source)).size).toBe(4);
    expect(code).toBe(0);
  }, 120_000);

  it("fails on examples made wrong in a copy (a required property dropped, a wrong type), naming each place", async () => {
    const broken = structuredClone(rendition);
    const identity = broken.paths["/v1/identity"].post.responses["200"].content["application/json"];
    delete identity.example.identity; // required
    const names = broken.paths["/v1/database/{name_or_identity}/names"].put.requestBody.content["application/json"];
    names.example = [42]; // strings expected
    const numLines = broken.paths["/v1/database/{name_or_identity}/logs"].get.parameters.find((p: Json) => p.name === "num_lines");
    numLines.example = "ten";
    const logs = broken.paths["/v1/database/{name_or_identity}/logs"].get.responses["200"].content["application/x-ndjson"];
    logs.example = logs.example.replace('"level":"Info"', '"level":7'); // one NDJSON record's level
    const { code, output } = await check("--spec", await write("broken.json", broken), "--no-exchanges");
    expect(code).toBe(1);
    const failures = output.split("\n").filter((line) => line.startsWith("FAIL"));
    expect(failures).toHaveLength(4);
    expect(failures.join("\n")).toContain('FAIL response examples #/paths/~1v1~1identity/post/responses/200/content/application~1json/example: response body doesn\'t match the schema: Error at "/identity": property "identity" is missing');
    expect(failures.join("\n")).toMatch(/FAIL request body examples #\/paths\/~1v1~1database~1\{name_or_identity\}~1names\/put\/requestBody\/content\/application~1json\/example: request body has an error: doesn't match the schema: Error at "\/0"/);
    expect(failures.join("\n")).toMatch(/FAIL parameter examples #\/paths\/~1v1~1database~1\{name_or_identity\}~1logs\/get\/parameters\/0\/example: parameter "num_lines" in query/);
    expect(failures.join("\n")).toMatch(/FAIL response examples #\/paths\/~1v1~1database~1\{name_or_identity\}~1logs\/get\/responses\/200\/content\/application~1x-ndjson\/example: .*NDJSON records .*"\/0\/level"/);
    expect(output).toMatch(/; 4 failed$/m);
  }, 60_000);

  it("fails on a canned answer made wrong (a required property dropped, a wrong type), naming the server and route", async () => {
    const { exchanges } = JSON.parse(await readFile(join(dir, "exchanges.json"), "utf8")) as { exchanges: Json[] };
    const body = (x: Json) => JSON.parse(Buffer.from(x.responseBody, "base64").toString()) as Json;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");
    const publish = exchanges.find((x) => x.method === "PUT" && x.path === "/v1/database/quickstart-chat")!;
    const published = body(publish);
    delete published.Success.database_identity;
    publish.responseBody = encode(published);
    const names = exchanges.find((x) => x.method === "GET" && x.path === "/v1/database/quickstart-chat/names")!;
    names.responseBody = encode({ names: "quickstart-chat" });
    const { code, output } = await check("--spec", await write("spec.json", rendition), "--exchanges", await write("exchanges-broken.json", { exchanges }));
    expect(code).toBe(1);
    const failures = output.split("\n").filter((line) => line.startsWith("FAIL"));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(new RegExp(`^FAIL canned answers ${publish.source}: PUT /v1/database/quickstart-chat → 200: response: .*database_identity`));
    expect(failures[1]).toMatch(new RegExp(`^FAIL canned answers ${names.source}: GET /v1/database/quickstart-chat/names → 200: response: .*"/names": .*array`));
    expect(output).toMatch(/; 2 failed$/m);
  }, 60_000);
});
