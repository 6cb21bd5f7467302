/**
 * A tiny shared bench helper: variants run in alternating order after a warm-up, medians and ratios,
 * peak-RSS sampling, fresh child processes for memory figures, and `bench/results.json` (one
 * top-level key per benchmark, merged by read-modify-write).
 */
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

export type Sample = Record<string, number>;

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The median of each metric over a variant's samples. */
export function medians(samples: readonly Sample[]): Sample {
  const out: Sample = {};
  for (const key of Object.keys(samples[0] ?? {})) out[key] = median(samples.map((s) => s[key]!));
  return out;
}

/**
 * Runs every variant `warmup` times, then `rounds` times each, rotating which goes first in each
 * round so that no variant always runs after the same one. Returns the samples per variant.
 */
export async function alternate<K extends string>(
  variants: Record<K, () => Promise<Sample>>,
  { warmup = 1, rounds = 5 }: { warmup?: number; rounds?: number } = {},
): Promise<Record<K, Sample[]>> {
  const names = Object.keys(variants) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>;
  for (let i = 0; i < warmup; i++) for (const n of names) await variants[n]();
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(r + j) % names.length]!;
      out[name].push(await variants[name]());
    }
  }
  return out;
}

/**
 * Peak growth while `work` runs, over the process's state just before (call it after a warm-up, so
 * that the baseline is steady, not freshly collected): `rssGrowth` is RSS, sampled every 2 ms and
 * checked against the process's own high-water mark (`maxRSS`) so a peak between two samples is not
 * missed; `heldGrowth` is JS heap in use plus ArrayBuffers. `gcEveryMs` (needs `--expose-gc`)
 * collects garbage that often, and `heldGrowth` is then read only right after each collection: what
 * is really held rather than what the collector has not yet got round to (freed chunks linger until
 * external-memory pressure). Run such a process with `--no-concurrent-array-buffer-sweeping`, so
 * that a collection frees ArrayBuffers before it returns.
 */
export async function peakGrowth<T>(
  work: () => Promise<T>,
  { gcEveryMs }: { gcEveryMs?: number } = {},
): Promise<{ result: T; ms: number; rssGrowth: number; heldGrowth: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gcEveryMs && !gc) throw new Error("gcEveryMs needs node --expose-gc");
  const held = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  if (gcEveryMs) gc!();
  const baseRss = process.memoryUsage.rss();
  const baseHeld = held();
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let peakRss = baseRss;
  let peakHeld = baseHeld;
  const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage.rss()));
  const sampleHeld = () => (peakHeld = Math.max(peakHeld, held()));
  // With gcEveryMs, what is held is read right after each collection, never with garbage in it.
  const sampler = setInterval(() => (sampleRss(), gcEveryMs || sampleHeld()), 2);
  const collector = gcEveryMs ? setInterval(() => (gc!(), sampleHeld()), gcEveryMs) : undefined;
  const t0 = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - t0;
    sampleRss();
    const maxAfter = process.resourceUsage().maxRSS * 1024;
    if (maxAfter > maxBefore) peakRss = Math.max(peakRss, maxAfter);
    return { result, ms, rssGrowth: peakRss - baseRss, heldGrowth: peakHeld - baseHeld };
  } finally {
    clearInterval(sampler);
    clearInterval(collector);
  }
}

/**
 * Runs `moduleUrl` in a fresh Node process (same loader, plus `--expose-gc` and `nodeFlags`) with `args`, and
 * resolves with the first message it sends (`process.send`). Memory figures need a fresh process:
 * RSS seldom shrinks, so a second run in the same process would reuse the first one's pages.
 */
export function inChild<T>(moduleUrl: string | URL, args: string[], nodeFlags: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(moduleUrl), args, { execArgv: [...process.execArgv, "--expose-gc", ...nodeFlags], stdio: "inherit" });
    let answered = false;
    child.once("message", (m) => {
      answered = true;
      resolve(m as T);
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (!answered) reject(new Error(`bench child ${args.join(" ")} exited with ${code} before answering`));
    });
  });
}

/** Merges `{ [key]: value }` into bench/results.json, keeping the other benchmarks' keys. */
export function mergeResults(key: string, value: unknown): void {
  const file = new URL("./results.json", import.meta.url);
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    // absent or unreadable: start afresh
  }
  all[key] = value;
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

export const MiB = 1024 * 1024;
/** Bytes as decimal megabytes (the unit of the goals). */
export const mb = (bytes: number): number => round(bytes / 1e6, 1);

/** A sample set's median with its spread: min–max and the interquartile range. */
export function spread(xs: readonly number[], digits = 3): { median: number; min: number; max: number; q1: number; q3: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    return s[lo]! + (s[Math.ceil(i)]! - s[lo]!) * (i - lo);
  };
  return { median: round(median(s), digits), min: round(s[0]!, digits), max: round(s.at(-1)!, digits), q1: round(at(0.25), digits), q3: round(at(0.75), digits) };
}

/** The 1, 5 and 15 minute load averages, to 2 decimals, printed beside a benchmark's figures. */
export const loadAverage = (): number[] => loadavg().map((x) => round(x));

/** A spread as the benchmarks' tables print it: "median (min–max)". */
export const formatSpread = (s: { median: number; min: number; max: number }): string => `${s.median} (${s.min}–${s.max})`;

/**
 * `src/<entry>.ts` built by esbuild as tsup builds the package (ES2022, its dependencies external, no
 * names kept for stack traces) but into one ES module, where the package's dist/ splits its entries
 * into shared and lazily loaded chunks: the same code cut into other files, which changes how it
 * loads (bench/cold-start.ts builds a split copy of its own) but not what a call costs once it is
 * loaded. Written into node_modules/.cache (so that its imports resolve as installed); resolves to
 * its URL. Benchmarks time this rather than the sources through tsx, whose transform adds a helper
 * call to every function.
 */
export async function bundled(entry: "index" | "index.node"): Promise<string> {
  const { build } = await import("esbuild");
  const root = fileURLToPath(new URL("..", import.meta.url));
  const outfile = `${root}node_modules/.cache/spacetimedb-http-bench/${entry}.mjs`;
  await build({ entryPoints: [`${root}src/${entry}.ts`], bundle: true, format: "esm", platform: "node", target: "es2022", packages: "external", outfile, logLevel: "silent" });
  return new URL(`file://${outfile}`).href;
}
