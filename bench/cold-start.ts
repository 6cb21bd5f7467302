/**
 * Cold start: a fresh Node process imports the SDK (bundled as it ships: ES modules split into shared
 * chunks, its dependencies installed beside it) and makes its first call, `getDatabase`, against a
 * fresh process making the same call with a hand-written `fetch`. The Node build (what `import
 * "spacetimedb-http"` gets in Node) and the universal build. Each process is timed twice: from its
 * start to the answer (`performance.now()` in it), and whole, from spawn to exit (as seen from here).
 * 2 warm-up rounds, then 20 rounds alternating which variant goes first; per-round ratios to fetch,
 * medians with min–max. Goal: the Node build's import + first call ≤ 1.2× the hand-written fetch.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { alternate, formatSpread, loadAverage, mergeResults, spread, type Sample } from "./harness.js";
import { DB, startServerProcess } from "./server.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const GOAL = 1.2;
const root = fileURLToPath(new URL("..", import.meta.url));
// Under node_modules, so that the bundle's imports of openapi-fetch and undici resolve as installed.
const dir = `${root}node_modules/.cache/spacetimedb-http-bench/cold`;
await build({
  entryPoints: { index: `${root}src/index.ts`, "index.node": `${root}src/index.node.ts` },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  packages: "external",
  outdir: dir,
  logLevel: "silent",
});

const server = await startServerProcess();
const token = "cold-start-token";
const check = `if (!r.ok) { console.error(r.error?.message); process.exit(1); }`;
const sdk = (file: string) =>
  `const { createClient } = await import(${JSON.stringify(pathToFileURL(`${dir}/${file}`).href)});
const r = await createClient({ baseUrl: ${JSON.stringify(server.url)}, token: ${JSON.stringify(token)} }).getDatabase(${JSON.stringify(DB)});
${check}
console.log(performance.now());`;
const scripts = {
  rawFetch: `const res = await fetch(${JSON.stringify(`${server.url}/v1/database/${DB}`)}, { headers: { authorization: "Bearer ${token}" } });
const r = { ok: res.ok, data: await res.json() };
${check}
console.log(performance.now());`,
  sdkNode: sdk("index.node.js"),
  sdkUniversal: sdk("index.js"),
};
for (const [name, code] of Object.entries(scripts)) await writeFile(`${dir}/${name}.mjs`, code);
// The chunks are ES modules, as dist/'s are ("type": "module"): said here too, since no package scope
// reaches past node_modules and Node would otherwise parse each one as CommonJS first.
await writeFile(`${dir}/package.json`, `{ "type": "module" }\n`);

/** Runs a script in a fresh node (asynchronously: the server is another process, this one waits). */
const run = (name: string) => () =>
  new Promise<Sample>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [`${dir}/${name}.mjs`], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ answerMs: Number(out.trim()), wholeMs: performance.now() - t0 });
      else reject(new Error(`${name} exited with ${code}`));
    });
  });

const loadAtStart = loadAverage();
const samples = await alternate({ rawFetch: run("rawFetch"), sdkNode: run("sdkNode"), sdkUniversal: run("sdkUniversal") }, { warmup: 2, rounds: ROUNDS });
const loadAtEnd = loadAverage();
server.close();

const rows = Object.entries(samples).map(([variant, s]) => {
  const ms = (key: string) => spread(s.map((x) => x[key]!), 1);
  const ratio = (key: string) => spread(s.map((x, i) => x[key]! / samples.rawFetch[i]![key]!), 3);
  const [a, w] = [ratio("answerMs"), ratio("wholeMs")];
  return {
    variant,
    answerMs: formatSpread(ms("answerMs")),
    answerRatio: formatSpread(a),
    wholeMs: formatSpread(ms("wholeMs")),
    wholeRatio: formatSpread(w),
    goalMet: variant === "rawFetch" ? "" : String(a.median <= GOAL && w.median <= GOAL),
  };
});
console.log(`cold start: import + first getDatabase in a fresh process, ${ROUNDS} alternating rounds after 2 warm-up; median (min–max); ratio to hand-written fetch per round; goal ≤ ${GOAL}`);
console.log(`load average ${loadAtStart.join(" ")} at start, ${loadAtEnd.join(" ")} at end`);
console.table(rows);
mergeResults("cold-start", { rounds: ROUNDS, goal: GOAL, loadAverage: { start: loadAtStart, end: loadAtEnd }, rows, samples });
process.exit(0);
