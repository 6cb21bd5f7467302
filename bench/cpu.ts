/**
 * CPU time per call in the client's process (user + system, `process.cpuUsage`), through the real
 * transports: Node's fetch and undici against a server in its own process (bench/server.ts) that
 * answers at once. A fake fetch that ignores the signal would hide what a timeout costs fetch, so
 * none is used. Sequential getDatabase calls; each SDK variant beside the same request by hand:
 *   sdkFetch (universal build, 30 s timeout)   vs rawFetchTimeout (fetch + AbortSignal.timeout)
 *   sdkFetchNoTimeout (timeoutMs: 0)           vs rawFetch
 *   sdkNode (Node build: undici, 30 s timeout) vs rawUndici (undici request(), no timeout)
 *   sdkNodeNoTimeout                           vs rawUndici
 * 1 warm-up round, then 9 alternating rounds of 3,000 calls; medians with min–max.
 */
import { request as undiciRequest } from "undici";
import { createClient as createUniversalClient } from "../src/index.js";
import { createClient as createNodeClient } from "../src/index.node.js";
import { alternate, loadAverage, mergeResults, spread, type Sample } from "./harness.js";
import { DB, startServerProcess } from "./server.js";

const N = Number(process.env.BENCH_CALLS ?? 3_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const server = await startServerProcess();
const baseUrl = server.url;
const token = "bench-token";
const auth = { authorization: `Bearer ${token}` };
const url = `${baseUrl}/v1/database/${DB}`;
const sdk = {
  node: createNodeClient({ baseUrl, token }),
  nodeNoTimeout: createNodeClient({ baseUrl, token, timeoutMs: 0 }),
  fetch: createUniversalClient({ baseUrl, token }),
  fetchNoTimeout: createUniversalClient({ baseUrl, token, timeoutMs: 0 }),
};

const cpu = (call: () => Promise<unknown>) => async (): Promise<Sample> => {
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await call();
  const used = process.cpuUsage(before);
  return { cpuUs: (used.user + used.system) / N, wallUs: ((performance.now() - t0) * 1000) / N };
};
const variants = {
  rawFetch: cpu(async () => (await fetch(url, { headers: auth })).json()),
  rawFetchTimeout: cpu(async () => (await fetch(url, { headers: auth, signal: AbortSignal.timeout(30_000) })).json()),
  rawUndici: cpu(async () => (await undiciRequest(url, { headers: auth })).body.json()),
  sdkFetch: cpu(() => sdk.fetch.getDatabase(DB)),
  sdkFetchNoTimeout: cpu(() => sdk.fetchNoTimeout.getDatabase(DB)),
  sdkNode: cpu(() => sdk.node.getDatabase(DB)),
  sdkNodeNoTimeout: cpu(() => sdk.nodeNoTimeout.getDatabase(DB)),
};
for (const c of Object.values(sdk)) if (!(await c.getDatabase(DB)).ok) throw new Error("the bench server did not answer");

const samples = await alternate(variants, { warmup: 1, rounds: ROUNDS });
const against: Record<string, string> = { sdkFetch: "rawFetchTimeout", sdkFetchNoTimeout: "rawFetch", sdkNode: "rawUndici", sdkNodeNoTimeout: "rawUndici" };
const rows = Object.entries(samples).map(([variant, s]) => {
  const c = spread(s.map((x) => x.cpuUs!), 1);
  const base = against[variant];
  const added = base ? spread(s.map((x, i) => x.cpuUs! - samples[base as keyof typeof samples][i]!.cpuUs!), 1) : undefined;
  return { variant, cpuUs: c.median, cpuMin: c.min, cpuMax: c.max, wallUs: spread(s.map((x) => x.wallUs!), 1).median, ...(added ? { comparedWith: base, addedCpuUs: added.median, addedMin: added.min, addedMax: added.max } : {}) };
});
const load = loadAverage();
console.log(`CPU µs per sequential getDatabase in the client process (median, min–max over ${ROUNDS} rounds of ${N}); load average ${load.join(", ")}`);
console.table(rows);
mergeResults("cpu", { calls: N, rounds: ROUNDS, loadAverage: load, rows });
server.close();
process.exit(0);
