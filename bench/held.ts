/**
 * Memory held per call: 100,000 callReducer calls (an empty 200 that nobody reads: openapi-fetch
 * returns on `content-length: 0`) 32 at a time, the server in its own process (bench/server.ts).
 * Each sample is a fresh child process (the SDK built by bench/harness.ts `bundled`) that warms up
 * on 5,000 calls, then reports: the heap held after garbage collection once the calls are over
 * (goal ≤ 5 MB), the peak of what is held while they run (read right after a collection every
 * 100 ms) and the peak RSS growth. The Node build and the universal build, each with the default
 * 30 s timeout (whose shared deadline once kept every unread call for 30 s) and with `timeoutMs: 0`;
 * 3 rounds, medians with min–max.
 *
 *   npx tsx bench/held.ts [calls] [rounds]
 */
import { alternate, bundled, formatSpread, inChild, loadAverage, mb, medians, mergeResults, peakGrowth, round, spread, type Sample } from "./harness.js";
import { heapHeld } from "../test/helpers/gc.js";

const CALLS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONCURRENCY = 32;
const GOAL_MB = 5;

async function child(bundleUrl: string, timeoutMs: number, url: string, calls: number): Promise<Sample> {
  const { createClient } = (await import(bundleUrl)) as typeof import("../src/index.js");
  const { DB } = await import("./server.js");
  const client = createClient({ baseUrl: url, token: "held-bench-token", timeoutMs });
  const run = async (n: number) => {
    let next = 0;
    const worker = async () => {
      while (next++ < n) {
        const r = await client.callReducer(DB, "send_message", ["Hello!"]);
        if (!r.ok) throw r.error;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return n;
  };
  await run(5_000);
  const before = await heapHeld();
  const { ms, rssGrowth, heldGrowth } = await peakGrowth(() => run(calls), { gcEveryMs: 100 });
  const after = await heapHeld();
  return { heldAfterMB: mb(after - before), peakHeldMB: mb(heldGrowth), rssGrowthMB: mb(rssGrowth), usPerCall: round((ms * 1000) / calls, 1) };
}

async function main() {
  const { startServerProcess } = await import("./server.js");
  // Bundled here, once, so that no child runs esbuild or holds it in the memory it measures.
  const bundles = { index: await bundled("index"), "index.node": await bundled("index.node") };
  const server = await startServerProcess();
  const sample = (build: keyof typeof bundles, timeoutMs: number) => () =>
    inChild<Sample>(import.meta.url, ["--child", bundles[build], String(timeoutMs), server.url, String(CALLS)], ["--no-concurrent-array-buffer-sweeping"]);
  const load = { start: loadAverage(), end: [] as number[] };
  const samples = await alternate(
    { "Node build": sample("index.node", 30_000), "Node build, timeoutMs 0": sample("index.node", 0), "universal build": sample("index", 30_000), "universal build, timeoutMs 0": sample("index", 0) },
    { warmup: 0, rounds: ROUNDS },
  );
  load.end = loadAverage();
  server.close();
  const rows = Object.entries(samples).map(([variant, s]) => {
    const show = (key: string) => formatSpread(spread(s.map((x) => x[key]!)));
    return {
      variant,
      heldAfterGcMB: show("heldAfterMB"),
      peakHeldMB: show("peakHeldMB"),
      rssGrowthMB: show("rssGrowthMB"),
      usPerCall: show("usPerCall"),
      goalMet: medians(s).heldAfterMB! <= GOAL_MB,
    };
  });
  console.log(`${CALLS.toLocaleString("en")} callReducer calls with an unread empty body, ${CONCURRENCY} at a time; ${ROUNDS} rounds, each a fresh process; median (min–max); MB = 10^6 bytes; goal: held after GC ≤ ${GOAL_MB} MB`);
  console.log(`load average ${load.start.join(" ")} at start, ${load.end.join(" ")} at end`);
  console.table(rows);
  mergeResults("held", { calls: CALLS, concurrency: CONCURRENCY, rounds: ROUNDS, goalMB: GOAL_MB, loadAverage: load, rows, samples });
}

if (process.argv[2] === "--child") {
  const [, , , bundleUrl, timeoutMs, url, calls] = process.argv;
  process.send!(await child(bundleUrl!, Number(timeoutMs), url!, Number(calls)));
  process.exit(0);
} else {
  await main();
}
