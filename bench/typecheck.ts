/**
 * Type-check cost for a consumer: `tsc --noEmit` of a file that calls every SDK method (against the
 * SDK's emitted declarations, as an installed package is seen) beside a file making the same calls
 * with hand-written fetch and hand-written types. Alternating runs, medians of wall time and of
 * tsc's own "Check time".
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import signatures from "../src/generated/signatures.json" with { type: "json" };
import { alternate, medians, mergeResults, round } from "./harness.js";

const tsc = join(createRequire(import.meta.url).resolve("typescript/package.json"), "..", "bin", "tsc");
const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-typecheck-"));
const compilerOptions = { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2023", "DOM"], types: [], skipLibCheck: true, noEmit: true };

// The SDK's declarations, as a consumer of the package sees them.
const declarations = { extends: resolve("tsconfig.json"), compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, types: [], outDir: join(dir, "types"), rootDir: resolve("src") }, files: [resolve("src/index.ts")], include: [] };
await writeFile(join(dir, "tsconfig.declarations.json"), JSON.stringify(declarations));
const emitted = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.declarations.json")], { encoding: "utf8" });
if (emitted.status !== 0) throw new Error(`the SDK's declarations did not build:\n${emitted.stdout.slice(0, 2000)}`);

const DB = '"quickstart-chat"';
const ID = '"c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d"';
const sdkCalls = [
  "ping()", "health()", "mcp({ jsonrpc: \"2.0\", id: 1, method: \"ping\" })", "createIdentity()", "getPublicKey()", "getWebsocketToken()",
  `verifyIdentity(${ID})`, `getDatabases(${ID})`, "publishNewDatabase(new Uint8Array(8))", `publishDatabase(${DB}, new Uint8Array(8), { numReplicas: 1 })`,
  `getDatabase(${DB})`, `deleteDatabase(${DB})`, `getDatabaseNames(${DB})`, `addDatabaseName(${DB}, "x")`, `setDatabaseNames(${DB}, ["x"])`,
  `getDatabaseIdentity(${DB})`, `callReducer(${DB}, "send", ["hi"])`, `sql(${DB}, "SELECT 1")`, `schema(${DB})`, `logs(${DB})`,
  `prePublish(${DB}, new Uint8Array(8))`, `resetDatabase(${DB})`, `getTimestamp(${DB})`, `lockDatabase(${DB})`, `unlockDatabase(${DB})`,
  `getDatabaseEnvironment(${DB})`, `setDatabaseEnvironment(${DB}, { API_URL: "x" })`, `updateDatabaseEnvironment(${DB}, { API_URL: "x" }, { remove: ["OLD"] })`,
  `databaseMcp(${DB}, { jsonrpc: "2.0", id: 1, method: "ping" })`, `getEnergyBalance(${ID})`, `setEnergyBalance(${ID}, 1n)`, `addEnergy(${ID}, 1n)`,
  `route(${DB}, "/hello")`, `sqlRows(${DB}, "SELECT 1")`, `callReducerWith(${DB}, "send", { text: "hi" })`, `subscribeUrl(${DB})`, `followLogs(${DB})`,
];
await writeFile(
  join(dir, "sdk.ts"),
  `import { createClient } from "${resolve(dir, "types", "index.js")}";\n` +
    `const client = createClient({ token: "t" });\n` +
    sdkCalls.map((c, i) => `const r${i} = await client.${c};\nif (r${i}.ok) console.log(r${i}.data); else console.log(r${i}.error.kind, r${i}.error.status);\n`).join("") +
    "export {};\n",
);
// The same number of calls by hand: a URL, a method, a header, a cast to a hand-written type. sdk.ts
// makes more calls than the spec has operations (route, sqlRows, callReducerWith...), so some repeat.
const handCalls = Array.from({ length: sdkCalls.length }, (_, i) => signatures[i % signatures.length]!);
await writeFile(
  join(dir, "hand.ts"),
  `interface Answer { ok: boolean; status: number; data: unknown }\n` +
    `async function call(method: string, path: string, body?: string): Promise<Answer> {\n` +
    `  const res = await fetch("http://127.0.0.1:3000" + path, { method, body, headers: { authorization: "Bearer t" } });\n` +
    `  const text = await res.text();\n  return { ok: res.ok, status: res.status, data: text ? (JSON.parse(text) as unknown) : undefined };\n}\n` +
    handCalls.map((op, i) => `const r${i} = await call("${op.method}", "${op.path.replace(/\{[^}]+\}/g, "x")}");\nif (r${i}.ok) console.log(r${i}.data); else console.log(r${i}.status);\n`).join("") +
    "export {};\n",
);
for (const name of ["sdk", "hand"]) {
  await writeFile(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files: [`${name}.ts`] }));
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
}

const run = (name: string) => async () => {
  const t0 = performance.now();
  const out = spawnSync(process.execPath, [tsc, "-p", join(dir, `tsconfig.${name}.json`), "--extendedDiagnostics"], { encoding: "utf8" });
  const ms = performance.now() - t0;
  if (out.status !== 0) throw new Error(`${name} does not type-check:\n${out.stdout.slice(0, 3000)}`);
  return { ms, checkMs: Number(/Check time:\s+([\d.]+)s/.exec(out.stdout)?.[1] ?? NaN) * 1000 };
};
const samples = await alternate({ hand: run("hand"), sdk: run("sdk") }, { warmup: 1, rounds: 5 });
const hand = medians(samples.hand);
const sdk = medians(samples.sdk);
console.table([
  { consumer: "hand-written fetch calls", wallMs: round(hand.ms!, 0), checkMs: round(hand.checkMs!, 0) },
  { consumer: `SDK, ${sdkCalls.length} methods`, wallMs: round(sdk.ms!, 0), checkMs: round(sdk.checkMs!, 0), wallRatio: round(sdk.ms! / hand.ms!, 2) },
]);
mergeResults("typecheck", { calls: sdkCalls.length, handWallMs: round(hand.ms!, 0), sdkWallMs: round(sdk.ms!, 0), wallRatio: round(sdk.ms! / hand.ms!, 3), handCheckMs: round(hand.checkMs!, 0), sdkCheckMs: round(sdk.checkMs!, 0) });
