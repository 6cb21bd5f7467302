/**
 * The universal entry's size as a browser app ships it (minified, gzipped, openapi-fetch included),
 * against two budgets:
 *   - what a first call loads: an app whose code is one call (`createClient().getDatabase(…)`,
 *     answered 503, then 404, so the retry and failure code count too) is bundled for the browser
 *     with code splitting (the client's optional features stay in their own chunks) and run; the
 *     chunks it loads are the first call's code: ≤ 15 KiB, gzipped as one file (as webpack and
 *     Rollup deliver code an entry loads up front). esbuild delivers it as several files gzipped
 *     apart: that figure is printed beside it.
 *   - the whole client without code splitting (src/index.ts, every export and optional feature): ≤ 30 KiB.
 * Bundling for `platform: "browser"` with nothing external also proves the client needs no `node:` module.
 *   npm run size            # report; fail over a budget
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const FIRST_CALL_BUDGET = 15 * 1024;
const WHOLE_BUDGET = 30 * 1024;

const gzipped = (code: Uint8Array) => gzipSync(code, { level: 9 }).byteLength;
const bundle = (entry: string, outdir: string, splitting: boolean) =>
  build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", splitting, outdir, platform: "browser", target: "es2022", logLevel: "silent" });

/** An app whose code is one first call: nothing of its own but the call (the server is faked beside it, below). */
const FIRST_CALL_APP = `import { createClient } from ${JSON.stringify(resolve("src/index.ts"))};
globalThis.firstCall = await createClient({ baseUrl: "http://127.0.0.1:1" }).getDatabase("quickstart-chat");
`;

/** Loaded before the app, not bundled with it: a global fetch that answers 503, then 404, and a check of the result. */
const FAKE_SERVER = `const answers = [503, 404];
globalThis.fetch = async () => new Response("busy", { status: answers.shift() ?? 404, headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "0" } });
process.on("beforeExit", () => {
  const result = globalThis.firstCall;
  if (!result || result.ok || result.error.status !== 404) throw new Error("the first call did not go 503 -> 404: " + JSON.stringify(result));
});
`;

/** Runs `app` (a bundled module) and returns the files of its directory it loaded. */
async function filesLoadedBy(app: string): Promise<string[]> {
  const dir = resolve(app, "..");
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
  await writeFile(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n${FAKE_SERVER}`);
  await promisify(execFile)(process.execPath, ["--import", pathToFileURL(join(dir, "register.mjs")).href, app]);
  const urls = (await readFile(log, "utf8")).split("\n").filter((u) => u.endsWith(".js"));
  return [...new Set(urls.map((u) => fileURLToPath(u)))];
}

async function measure() {
  const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-size-"));
  try {
    await writeFile(join(dir, "app.ts"), FIRST_CALL_APP);
    await bundle(join(dir, "app.ts"), join(dir, "split"), true);
    const loaded = await Promise.all((await filesLoadedBy(join(dir, "split", "app.js"))).map((file) => readFile(file)));
    await bundle("src/index.ts", join(dir, "whole"), false);
    return {
      firstCall: gzipped(Buffer.concat(loaded)),
      firstCallApart: loaded.reduce((sum, code) => sum + gzipped(code), 0),
      files: loaded.length,
      whole: gzipped(await readFile(join(dir, "whole", "index.js"))),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { firstCall, firstCallApart, files, whole } = await measure();
  const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;
  console.log(`what a first call loads (openapi-fetch included): ${kib(firstCall)} min+gzip; budget ${kib(FIRST_CALL_BUDGET)}`);
  console.log(`  as esbuild delivers it, ${files} files each gzipped apart: ${kib(firstCallApart)}`);
  console.log(`the whole client without code splitting: ${kib(whole)} min+gzip; budget ${kib(WHOLE_BUDGET)}`);
  const over = [firstCall > FIRST_CALL_BUDGET && "the first call", whole > WHOLE_BUDGET && "the whole client"].filter(Boolean);
  if (over.length) {
    console.error(`over budget: ${over.join(" and ")}`);
    process.exit(1);
  }
}
