/**
 * The universal entry's size as a browser app ships it: src/index.ts bundled with everything it
 * imports (openapi-fetch included), each chunk minified and gzipped, against two budgets:
 *   - what a first call loads: the chunks a real first call imports, found by running it (a generated
 *     GET answered 503, then 404, so the retry and failure code count too): ≤ 15 KiB;
 *   - the whole client without code splitting (every optional feature inlined): ≤ 30 KiB.
 * The reference bundler is Rollup (Vite's production bundler up to Vite 7, and most libraries'): like
 * webpack, it keeps code the entry already loads in the entry's chunk, so the first call is one or two
 * files. esbuild (and rolldown) split that code into several shared chunks, each gzipped apart; their
 * figure is printed beside it.
 *   npm run size            # report; fail over a budget
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { rollup, type Plugin } from "rollup";

export const FIRST_CALL_BUDGET = 15 * 1024;
export const WHOLE_BUDGET = 30 * 1024;

const require = createRequire(import.meta.url);
const gzipped = (code: string | Uint8Array) => gzipSync(code, { level: 9 }).byteLength;

/** Rollup reads the TypeScript sources through esbuild's transform, and openapi-fetch's ESM build. */
const typescript: Plugin = {
  name: "typescript",
  resolveId(source, importer) {
    if (!importer) return resolve(source);
    if (source === "openapi-fetch") return join(dirname(require.resolve("openapi-fetch/package.json")), "dist/index.mjs");
    if (!source.startsWith(".")) return null;
    const path = resolve(dirname(importer), source);
    return existsSync(path.replace(/\.js$/, ".ts")) ? path.replace(/\.js$/, ".ts") : path;
  },
  async transform(code, id) {
    return id.endsWith(".ts") ? (await transform(code, { loader: "ts", format: "esm", target: "es2022" })).code : null;
  },
};

/** Bundles src/index.ts with Rollup into `dir`, each chunk minified; `whole`: one file, no splitting. */
async function rollupBundle(dir: string, whole: boolean): Promise<string[]> {
  const bundle = await rollup({ input: "src/index.ts", plugins: [typescript], logLevel: "silent" });
  const { output } = await bundle.generate({ format: "es", dir, inlineDynamicImports: whole });
  const files: string[] = [];
  await mkdir(dir, { recursive: true });
  for (const chunk of output) {
    if (chunk.type !== "chunk") continue;
    const file = join(dir, chunk.fileName);
    await writeFile(file, (await transform(chunk.code, { minify: true, format: "esm", target: "es2022" })).code);
    files.push(file);
  }
  return files;
}

/** Runs a first call on the bundle in `dir` and returns the bundle's files it loaded. */
async function filesLoadedByFirstCall(dir: string): Promise<string[]> {
  const log = join(dir, "loaded.log");
  await writeFile(log, "");
  await writeFile(
    join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  if (url.startsWith(${JSON.stringify(pathToFileURL(dir).href)})) appendFileSync(${JSON.stringify(log)}, url + "\\n");
  return next(url, context);
}`,
  );
  await writeFile(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`);
  await writeFile(
    join(dir, "first-call.mjs"),
    `import { createClient } from "./index.js";
const answers = [503, 404];
const fetch = async () => new Response("busy", { status: answers.shift() ?? 404, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "0" } });
const result = await createClient({ baseUrl: "http://127.0.0.1:1", fetch }).getDatabase("quickstart-chat");
if (result.ok || result.error.status !== 404) throw new Error("the first call did not go 503 -> 404: " + JSON.stringify(result));`,
  );
  await promisify(execFile)(process.execPath, ["--import", pathToFileURL(join(dir, "register.mjs")).href, join(dir, "first-call.mjs")]);
  const urls = (await readFile(log, "utf8")).split("\n").filter((u) => u.endsWith(".js"));
  return [...new Set(urls.map((u) => fileURLToPath(u)))];
}

/** Sums the gzipped size of each file (each is a response of its own). */
async function gzippedSum(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += gzipped(await readFile(file));
  return total;
}

export async function measure() {
  const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-size-"));
  try {
    await rollupBundle(join(dir, "rollup"), false);
    const loaded = await filesLoadedByFirstCall(join(dir, "rollup"));
    const firstCall = await gzippedSum(loaded);
    const whole = await gzippedSum(await rollupBundle(join(dir, "whole"), true));
    await build({ entryPoints: ["src/index.ts"], bundle: true, minify: true, format: "esm", splitting: true, outdir: join(dir, "esbuild"), platform: "browser", target: "es2022", logLevel: "silent" });
    const esbuildLoaded = await filesLoadedByFirstCall(join(dir, "esbuild"));
    return { firstCall, chunks: loaded.length, whole, esbuild: { firstCall: await gzippedSum(esbuildLoaded), chunks: esbuildLoaded.length } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { firstCall, chunks, whole, esbuild } = await measure();
  const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;
  const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;
  console.log(`what a first call loads (Rollup, ${files(chunks)}, openapi-fetch included): ${kib(firstCall)} min+gzip; budget ${kib(FIRST_CALL_BUDGET)}`);
  console.log(`  the same with esbuild's code splitting (${files(esbuild.chunks)}, each gzipped apart): ${kib(esbuild.firstCall)}`);
  console.log(`the whole client without code splitting: ${kib(whole)} min+gzip; budget ${kib(WHOLE_BUDGET)}`);
  const over = [firstCall > FIRST_CALL_BUDGET && "the first call", whole > WHOLE_BUDGET && "the whole client"].filter(Boolean);
  if (over.length) {
    console.error(`over budget: ${over.join(" and ")}`);
    process.exit(1);
  }
}
