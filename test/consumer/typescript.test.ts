/**
 * TypeScript consumers of the installed package, compiled with `tsc` and then RUN against the canned
 * server, in Node 20 and Node 22:
 *   - CommonJS output under `moduleResolution: node10` (which ignores `exports`: `types`, and
 *     `typesVersions` for `/node`, `/codegen` and `/openapi.json`);
 *   - NodeNext, both an ES module (`.mts`) and a CommonJS one (`.cts`).
 * Each consumer is the same program with its module system's import lines; it reports its checks as
 * one `TS_CONSUMER {…}` line. A `@ts-expect-error` on a misspelt method keeps the types honest (not `any`).
 * Two type-only checks follow: what a strict project (`exactOptionalPropertyTypes`) writes, and the one
 * name per thing for timestamps.
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalServer } from "../helpers/local-server.js";
import { freshProject, root } from "./install.js";
import { MODULE_BYTES, type SmokeCheck } from "./probe/smoke.js";
import { INSTALL_RUNTIMES, isPresent, NODE20, NODE22, reportMissingRuntimes, runIn, runtimesRequired } from "./runtimes.js";
import { closedUrl, startSmokeServer } from "./server.js";

const exec = promisify(execFile);
const tsc = join(root, "node_modules/typescript/bin/tsc");
const PREFIX = "TS_CONSUMER ";
reportMissingRuntimes([NODE22], "TypeScript consumer runs");

/** The program every consumer runs after its import lines. */
const BODY = `
import { writeFileSync } from "node:fs";

interface Check { name: string; ok: boolean; detail?: string }
const [baseUrl = "", closed = "", workDir = "."] = process.argv.slice(2);

async function main(): Promise<void> {
  const checks: Check[] = [];
  const check = async (name: string, fn: () => Promise<true | string> | true | string): Promise<void> => {
    try {
      const detail = await fn();
      checks.push(detail === true ? { name, ok: true } : { name, ok: false, detail });
    } catch (e) {
      checks.push({ name, ok: false, detail: \`threw \${e instanceof Error ? e.stack : String(e)}\` });
    }
  };
  const describe = (r: Result<unknown>): string => (r.ok ? "ok" : \`\${r.error.kind} \${r.error.status ?? ""}: \${r.error.message}\`);

  await check("createClient, then real calls with typed results", async () => {
    const client = createClient({ baseUrl, retries: 0 });
    // @ts-expect-error a misspelt method must not type-check: the types are real, not \`any\`
    void client.pingg;
    const ping = await client.ping();
    if (!ping.ok) return describe(ping);
    const db = await client.getDatabase("quickstart-chat");
    if (!db.ok) return describe(db);
    const identity: string = db.data.database_identity.__identity__;
    const rows = await client.sqlRows("quickstart-chat", "SELECT * FROM message");
    if (!rows.ok) return describe(rows);
    return (identity.startsWith("0xc200") && typeof rows.data[0]?.[0]?.["b"] === "bigint") || \`identity \${identity}, rows \${String(rows.data)}\`;
  });
  await check("an HTTP error is an ok:false result holding a SpacetimeHttpError", async () => {
    const missing = await createClient({ baseUrl, retries: 0 }).getDatabase("missing-db");
    return (!missing.ok && missing.error instanceof SpacetimeHttpError && missing.error.status === 404) || describe(missing);
  });
  await check("a closed port is a network error, not a throw", async () => {
    const r = await createClient({ baseUrl: closed, retries: 0 }).ping();
    return (!r.ok && r.error.kind === "network") || describe(r);
  });
  await check("spacetimedb-http/node: fromFile publishes a module", async () => {
    const path = \`\${workDir}/module-\${process.pid}.wasm\`;
    writeFileSync(path, new Uint8Array(${JSON.stringify(MODULE_BYTES)}));
    const r = await createClient({ baseUrl, retries: 0 }).publishDatabase("quickstart-chat", fromFile(path));
    return r.ok || describe(r);
  });
  await check("spacetimedb-http/codegen: generate() from the fetched schema", async () => {
    const schema = await createClient({ baseUrl, retries: 0 }).schema("quickstart-chat", { version: 10 });
    if (!schema.ok) return describe(schema);
    const source: string = generate(schema.data);
    return /export function connect\\(/.test(source) || source.slice(0, 200);
  });
  await check("spacetimedb-http/openapi.json is the spec", () => spec.openapi.startsWith("3.1") || \`openapi \${spec.openapi}\`);
  console.log(${JSON.stringify(PREFIX)} + JSON.stringify(checks));
}
void main();
`;

/** A program of its own: a missing export fails an ES module at link time, before any check runs. */
const TIMESTAMP = `import { Timestamp } from "spacetimedb-http";

const t = Timestamp.fromDate(new Date(1_000));
const ok = t.microsSinceUnixEpoch === 1_000_000n;
console.log(${JSON.stringify(PREFIX)} + JSON.stringify([{ name: "Timestamp.fromDate", ok, detail: String(t.microsSinceUnixEpoch) }]));
`;

const IMPORTS = `import { createClient, SpacetimeHttpError, type Result } from "spacetimedb-http";
import { fromFile } from "spacetimedb-http/node";
import { generate } from "spacetimedb-http/codegen";
`;
const requireSpec = 'import spec = require("spacetimedb-http/openapi.json");\n';
const importSpec = 'import spec from "spacetimedb-http/openapi.json" with { type: "json" };\n';

interface Consumer {
  name: string;
  type: "module" | "commonjs";
  compilerOptions: Record<string, unknown>;
  /** Source file → its text, the file tsc writes (in out/), and which program it is. */
  files: Record<string, { source: string; output: string; program: "calls" | "timestamp" }>;
}

const COMMON = { strict: true, target: "es2022", lib: ["es2023", "dom"], types: ["node"], skipLibCheck: true, resolveJsonModule: true, outDir: "out", rootDir: "." };
const CONSUMERS: Consumer[] = [
  {
    name: "CommonJS, moduleResolution node10",
    type: "commonjs",
    compilerOptions: { ...COMMON, module: "commonjs", moduleResolution: "node10", esModuleInterop: true },
    files: {
      "consumer.ts": { source: IMPORTS + requireSpec + BODY, output: "out/consumer.js", program: "calls" },
      "timestamp.ts": { source: TIMESTAMP, output: "out/timestamp.js", program: "timestamp" },
    },
  },
  {
    name: "NodeNext (an .mts ES module and a .cts CommonJS module)",
    type: "module",
    compilerOptions: { ...COMMON, module: "nodenext", moduleResolution: "nodenext" },
    files: {
      "consumer.mts": { source: IMPORTS + importSpec + BODY, output: "out/consumer.mjs", program: "calls" },
      "consumer.cts": { source: IMPORTS + requireSpec + BODY, output: "out/consumer.cjs", program: "calls" },
      "timestamp.mts": { source: TIMESTAMP, output: "out/timestamp.mjs", program: "timestamp" },
      "timestamp.cts": { source: TIMESTAMP, output: "out/timestamp.cjs", program: "timestamp" },
    },
  },
];

let server: LocalServer | undefined;
let closed = "";
beforeAll(async () => {
  server = await startSmokeServer();
  closed = await closedUrl();
});
afterAll(() => server?.close());

const failures = (checks: SmokeCheck[]) => checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? "failed"}`);

for (const consumer of CONSUMERS) {
  describe(`a TypeScript consumer, ${consumer.name}`, () => {
    let project = "";
    beforeAll(async () => {
      project = await freshProject(`ts-${consumer.type}`, { type: consumer.type, link: ["@types/node"] });
      for (const [file, { source }] of Object.entries(consumer.files)) await writeFile(join(project, file), source);
      await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: consumer.compilerOptions, files: Object.keys(consumer.files) }, null, 2));
    }, 180_000);

    it("compiles with tsc under strict against the installed types", async () => {
      const compiled = await exec(process.execPath, [tsc, "-p", "."], { cwd: project, timeout: 120_000 }).then(
        () => "",
        (e: { stdout?: string; message: string }) => e.stdout || e.message,
      );
      expect(compiled, "tsc reported errors").toBe("");
    });

    for (const runtime of [NODE20, NODE22]) {
      const present = isPresent(runtime.binary);
      for (const [file, { output, program }] of Object.entries(consumer.files)) {
        const title =
          program === "calls"
            ? `${file}, compiled, runs in ${runtime.name} and makes real calls through every entry`
            : `${file}, compiled, runs in ${runtime.name}: the Timestamp class its .d.ts declares is there at run time`;
        it.runIf(present || runtimesRequired)(title, async () => {
          expect(present, `${runtime.name} is required when CI=true but ${runtime.binary} is missing: ${INSTALL_RUNTIMES}`).toBe(true);
          const text = await runIn(runtime, output, [server!.url, closed, project], project);
          const line = text.split("\n").filter((l) => l.startsWith(PREFIX)).at(-1);
          expect(line, `no ${PREFIX.trim()} line from ${output}:\n${text}`).toBeDefined();
          const checks = JSON.parse(line!.slice(PREFIX.length)) as SmokeCheck[];
          expect(checks.length).toBe(program === "calls" ? 6 : 1);
          expect(failures(checks)).toEqual([]);
        });
      }
    }
  });
}

/** Type-checks one file in a project with the installed package; resolves to tsc's messages. */
function typeErrors(project: string, file: string, options: ts.CompilerOptions): string[] {
  const program = ts.createProgram([join(project, file)], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    ...options,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${d.file.fileName.slice(project.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("what a strict TypeScript project writes", () => {
  let project = "";
  beforeAll(async () => {
    project = await freshProject("ts-strict", { type: "module", link: ["@types/node"] });
  }, 180_000);

  it("optional options accept undefined under exactOptionalPropertyTypes (createClient({ token: process.env.X }))", async () => {
    await writeFile(
      join(project, "env-token.ts"),
      `import { createClient } from "spacetimedb-http";
const client = createClient({ baseUrl: process.env.SPACETIMEDB_URL, token: process.env.SPACETIMEDB_TOKEN });
await client.getDatabase("quickstart-chat", { token: process.env.OTHER_TOKEN, timeoutMs: undefined });
export {};
`,
    );
    expect(typeErrors(project, "env-token.ts", { exactOptionalPropertyTypes: true })).toEqual([]);
  });

  it("one name per thing: getTimestamp() gives a TimestampJson, and Timestamp is the SATS class", async () => {
    await writeFile(
      join(project, "timestamps.ts"),
      `import { createClient, Timestamp, type TimestampJson } from "spacetimedb-http";
const result = await createClient().getTimestamp("quickstart-chat");
if (result.ok) {
  const json: TimestampJson = result.data;
  const micros: bigint = Timestamp.fromDate(new Date()).microsSinceUnixEpoch;
  console.log(json, micros);
}
export {};
`,
    );
    expect(typeErrors(project, "timestamps.ts", {})).toEqual([]);
  });
});
