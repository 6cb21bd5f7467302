/**
 * The generator against hostile schemas (test/codegen/hostile-schemas.ts): peak RSS growth and time of
 * `generate` in a fresh process, for a self-similar schema of 30 levels (unnamed types that each refer
 * twice to the next; inlined, the output would be 2^30 times a level), 80k types and 80k reducers of
 * one name, and a 16 MB schema of nested arrays (refused at the nesting limit). bench/hostile.ts runs
 * it after its own cases; alone: `npx tsx bench/hostile-codegen.ts`. Figures merge into
 * bench/results.json under "hostile-codegen".
 */
import { fileURLToPath } from "node:url";
import { generate } from "../src/codegen/index.js";
import { sameNames, selfSimilar } from "../test/codegen/hostile-schemas.js";
import { inChild, mb, medians, mergeResults, peakGrowth, round, type Sample } from "./harness.js";

const ROUNDS = 3;
const SCHEMAS: Record<string, () => string> = {
  "self-similar, 30 levels": () => JSON.stringify(selfSimilar(30)),
  "80k types + 80k reducers named a": () => JSON.stringify(sameNames(80_000)),
  "16 MB of nested arrays": () => `${"[".repeat(8 * 1024 * 1024)}${"]".repeat(8 * 1024 * 1024)}`,
};

async function child(name: string): Promise<Sample> {
  const schema = SCHEMAS[name]!();
  generate(JSON.stringify(selfSimilar(3))); // warm up: load and compile the generator first
  const { result, ms, rssGrowth } = await peakGrowth(async () => {
    try {
      return generate(schema).length;
    } catch {
      return -1; // refused
    }
  });
  return { schemaKB: round(schema.length / 1024, 1), outputKB: result < 0 ? -1 : round(result / 1024, 1), ms: round(ms), rssGrowthMB: mb(rssGrowth) };
}

/** Runs each schema in fresh processes, prints the medians, merges them into bench/results.json. */
export async function hostileCodegen(): Promise<void> {
  const samples: Record<string, Sample[]> = {};
  for (let r = 0; r < ROUNDS; r++) for (const name of Object.keys(SCHEMAS)) (samples[name] ??= []).push(await inChild<Sample>(import.meta.url, ["--child", name]));
  console.log(`\nhostile-codegen: generate() in fresh processes, medians of ${ROUNDS} (node ${process.version}); MB = 10^6 bytes; output -1 = refused`);
  console.log(`${"schema".padEnd(34)}${"schema KB".padStart(11)}${"output KB".padStart(11)}${"ms".padStart(9)}${"peak RSS growth MB".padStart(21)}`);
  const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, medians(v)]));
  for (const [name, m] of Object.entries(med)) {
    console.log(`${name.padEnd(34)}${String(m.schemaKB).padStart(11)}${String(m.outputKB).padStart(11)}${String(Math.round(m.ms!)).padStart(9)}${String(m.rssGrowthMB).padStart(21)}`);
  }
  mergeResults("hostile-codegen", { date: new Date().toISOString(), node: process.version, medians: med, samples });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--child") {
    process.send!(await child(process.argv[3]!));
    process.disconnect?.();
  } else await hostileCodegen();
}
