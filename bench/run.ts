/**
 * `npm run bench`: every benchmark in bench/, one after another, each in its own process with the
 * same loader (tsx). A benchmark is a `*.ts` file there that no other one imports (those are helpers,
 * like harness.ts). `npm run bench -- streams` runs only those whose file name contains one of the
 * arguments. Each benchmark prints its table and merges its figures into bench/results.json.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "run.ts");
const sources = files.map((f) => readFileSync(`${dir}${f}`, "utf8"));
const imported = (f: string) => sources.some((text) => text.includes(`"./${f.replace(/\.ts$/, ".js")}"`));
const benches = files
  .filter((f) => !imported(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (benches.length === 0) throw new Error(`no benchmark matches ${only.join(", ")}`);

let failed = 0;
for (const file of benches) {
  console.log(`\n=== bench/${file}`);
  const run = spawnSync(process.execPath, [...process.execArgv, `${dir}${file}`], { stdio: "inherit" });
  if (run.status !== 0) {
    failed++;
    console.error(`bench/${file} failed (${run.signal ?? `exit ${run.status}`})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
