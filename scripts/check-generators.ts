/**
 * Is the spec reusable by another generator? Generates a fetch client from the bundled spec with
 * @hey-api/openapi-ts into a temporary folder, type-checks it together with a few typed calls,
 * then runs those calls against the Prism mock: JSON, text body, binary body, text response, 204.
 * Exits 1 on any failure; the output says which step and which call.
 *   npm run check:generators            # delete the temporary folder afterwards
 *   npm run check:generators -- --keep  # keep it and print where it is
 *   npm run check:generators -- --spec path/to/bundle.yaml   # use that bundle instead
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createClient } from "@hey-api/openapi-ts";
import { bundleSpec, startMock } from "../test/helpers/mock-server.js";

const require = createRequire(import.meta.url);

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

// NodeNext before generating: hey-api then writes `.js` on its relative imports (without it they
// have no extension and fail under NodeNext). `types: []`: the folder has no node_modules.
const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    types: [],
    outDir: "out",
  },
  include: ["calls.ts", "client/**/*.ts"],
};

// The calls, type-checked against the generated types (a wrong type is a compile error here) and
// then run. Every request goes through a spy so the check sees the bytes that were sent.
const CALLS = String.raw`
import { client } from "./client/client.gen.js";
import { addDatabaseName, createIdentity, deleteDatabase, getDatabaseIdentity, publishDatabase, sql, verifyIdentity } from "./client/sdk.gen.js";
import type { Identity, SqlStatementResult } from "./client/types.gen.js";

export interface Check { name: string; ok: boolean; detail: string }
interface Sent { method: string; path: string; contentType: string | null; authorization: string | null; body: Uint8Array }

const HEX64 = /^[0-9a-f]{64}$/;
const DB = "quickstart-chat";
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export async function run(baseUrl: string): Promise<Check[]> {
  const sent: Sent[] = [];
  const spy = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const body = new Uint8Array(await request.clone().arrayBuffer());
    sent.push({ method: request.method, path: new URL(request.url).pathname, contentType: request.headers.get("content-type"), authorization: request.headers.get("authorization"), body });
    return fetch(request);
  };
  client.setConfig({ baseUrl, fetch: spy });
  const checks: Check[] = [];
  const check = async (name: string, body: () => Promise<string | undefined>) => {
    const before = sent.length;
    try {
      const problem = await body();
      const request = sent[before];
      const seen = request ? request.method + " " + request.path : "no request";
      checks.push({ name, ok: problem === undefined, detail: problem ?? seen });
    } catch (e) {
      checks.push({ name, ok: false, detail: "threw " + String(e) });
    }
  };
  const last = () => sent[sent.length - 1]!;
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  let token = "";
  let identity: Identity = "";
  await check("createIdentity: JSON response", async () => {
    const r = await createIdentity();
    if (r.response.status !== 200 || !r.data) return "status " + r.response.status;
    const id: string = r.data.identity;
    const t: string = r.data.token;
    if (!HEX64.test(id) || t.length === 0) return "unexpected body " + JSON.stringify(r.data);
    token = t;
    identity = id;
  });
  client.setConfig({ auth: () => token });

  await check("verifyIdentity: 204, bearer auth", async () => {
    const r = await verifyIdentity({ path: { identity } });
    if (r.response.status !== 204 || r.error !== undefined) return "status " + r.response.status;
    if (last().authorization !== "Bearer " + token) return "Authorization was " + last().authorization;
  });

  await check("publishDatabase: binary body (application/wasm)", async () => {
    const r = await publishDatabase({ path: { name_or_identity: DB }, body: new Blob([WASM]) });
    const req = last();
    if (req.body.length !== WASM.length || req.body.some((b, i) => b !== WASM[i])) return "sent " + req.body.length + " bytes: " + text(req.body).slice(0, 60);
    if (req.contentType !== "application/wasm") return "Content-Type " + req.contentType;
    if (r.response.status !== 200 || !r.data) return "status " + r.response.status;
    if (!("Success" in r.data)) return "unexpected body " + JSON.stringify(r.data);
  });

  await check("sql: text body, JSON response", async () => {
    const query = "SELECT * FROM message";
    const r = await sql({ path: { name_or_identity: DB }, body: query });
    const req = last();
    if (text(req.body) !== query) return "sent body " + JSON.stringify(text(req.body));
    if (!req.contentType?.startsWith("text/plain")) return "Content-Type " + req.contentType;
    if (r.response.status !== 200 || !r.data) return "status " + r.response.status;
    const [statement]: SqlStatementResult[] = r.data;
    if (r.data.length !== 1 || !statement || !Array.isArray(statement.rows) || !statement.schema) return "unexpected body " + JSON.stringify(r.data);
  });

  await check("addDatabaseName: text body", async () => {
    const r = await addDatabaseName({ path: { name_or_identity: DB }, body: "quickstart-chat-2" });
    if (text(last().body) !== "quickstart-chat-2") return "sent body " + JSON.stringify(text(last().body));
    if (r.response.status !== 200 || !r.data) return "status " + r.response.status;
  });

  await check("getDatabaseIdentity: text/plain response", async () => {
    const r = await getDatabaseIdentity({ path: { name_or_identity: DB } });
    if (r.response.status !== 200) return "status " + r.response.status;
    const id: Identity | undefined = r.data;
    if (typeof id !== "string" || !HEX64.test(id)) return "data is " + typeof id + ": " + String(id);
  });

  await check("deleteDatabase: empty 200", async () => {
    const r = await deleteDatabase({ path: { name_or_identity: DB } });
    if (r.response.status !== 200 || r.error !== undefined) return "status " + r.response.status;
  });
  return checks;
}
`;

function tsc(project: string): { ok: boolean; output: string } {
  const bin = join(require.resolve("typescript/package.json"), "..", "bin", "tsc");
  const result = spawnSync(process.execPath, [bin, "-p", project], { encoding: "utf8" });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

async function main(): Promise<boolean> {
  const keep = process.argv.includes("--keep");
  const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-heyapi-"));
  let mock: Awaited<ReturnType<typeof startMock>> | undefined;
  try {
    const given = process.argv.indexOf("--spec");
    const specPath = given > 0 && process.argv[given + 1] ? process.argv[given + 1]! : await bundleSpec({ output: join(dir, "spacetimedb-v1.yaml") });
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    await writeFile(join(dir, "calls.ts"), CALLS);

    const generator = "@hey-api/openapi-ts " + (require("@hey-api/openapi-ts/package.json") as { version: string }).version;
    await createClient({
      input: specPath,
      output: { path: join(dir, "client"), tsConfigPath: join(dir, "tsconfig.json") },
      plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
      logs: { level: "silent" },
    });
    console.log(`generated a fetch client with ${generator}`);

    const compiled = tsc(dir);
    if (!compiled.ok) {
      console.error(`FAIL: the generated client (or the typed calls) do not type-check:\n${compiled.output}`);
      return false;
    }
    console.log("type-checked the generated client and the calls (NodeNext, strict)");

    mock = await startMock(specPath);
    const calls = (await import(pathToFileURL(join(dir, "out", "calls.js")).href)) as { run(baseUrl: string): Promise<Check[]> };
    const checks = await calls.run(mock.url);
    for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
    const failed = checks.filter((c) => !c.ok).length;
    console.log(failed === 0 ? `${checks.length} calls through the ${generator} client behaved as the spec says` : `${failed} of ${checks.length} calls failed`);
    return failed === 0 && checks.length > 0;
  } finally {
    await mock?.close();
    if (keep) console.log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
