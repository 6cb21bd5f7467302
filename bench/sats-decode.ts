/**
 * SATS decode benchmark: a 100k-row, 8-column `sql` answer, from a `Response` to decoded rows.
 *  - `res.json()`: the baseline, the same bytes read and `JSON.parse`d (untyped, u64 past 2^53 rounded);
 *  - `sqlRows`: the client's call on a `fetch` that answers with that `Response` (read + one-pass decode);
 *  - `text + decodeSql`: `res.text()` and the one-pass decoder alone;
 *  - `text + parseJson + decodeRows`: the general (previous) path, for reference.
 * Two answers: no long integers, and a u64 column past 2^53 in every row.
 *
 *   npx tsx bench/sats-decode.ts [rows] [rounds]
 *
 * Each timed run starts after a full GC; variants rotate order round by round. Figures are the median
 * and min–max of the times and of the per-round ratios to `res.json()` (the rounds run back to back,
 * so a change of load between rounds cancels out in a ratio). Merges `{ "sats-decode": … }` into
 * bench/results.json.
 */
import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createClient } from "../src/index.js";
import { decodeRows, decodeSql, parseJson } from "../src/sats/index.js";
import type { ProductType } from "../src/sats/index.js";
import { median, mergeResults, round } from "./harness.js";

const ROWS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 15);
const WARMUP = 3;

// A full collection before every timed run, so that neither side pays for the other's garbage.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const col = (name: string, algebraic_type: unknown) => ({ name: { some: name }, algebraic_type });
const schema = {
  elements: [
    col("id", { U64: [] }),
    col("age", { U8: [] }),
    col("name", { String: [] }),
    col("score", { F64: [] }),
    col("nickname", { Sum: { variants: [{ name: { some: "some" }, algebraic_type: { String: [] } }, { name: { some: "none" }, algebraic_type: { Product: { elements: [] } } }] } }),
    col("owner", { Product: { elements: [{ name: { some: "__identity__" }, algebraic_type: { U256: [] } }] } }),
    col("balance", { I64: [] }),
    col("active", { Bool: [] }),
  ],
} as ProductType;

// A deterministic PRNG, so both variants and every run see the same data.
let seed = 0x2545f491;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const hex = (digits: number) => {
  let s = "";
  for (let i = 0; i < digits; i++) s += "0123456789abcdef"[Math.floor(rand() * 16)];
  return s;
};

function responseText(longIds: boolean): string {
  seed = 0x2545f491;
  const owners = Array.from({ length: 1000 }, () => `0x${hex(64).replace(/^0+/, "") || "0"}`);
  const rows: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const id = longIds ? (1n << 60n) + BigInt(i) * 7919n : BigInt(i + 1);
    const nickname = i % 3 === 0 ? `[1,[]]` : `[0,${JSON.stringify(`nick-${i.toString(36)}`)}]`;
    const balance = Math.floor((rand() - 0.5) * 2e9);
    const row = `[${id},${i % 120},${JSON.stringify(`user number ${i}`)},${(rand() * 1000).toFixed(3)},${nickname},["${owners[i % owners.length]}"],${balance},${i % 2 === 0}]`;
    rows.push(row);
  }
  return `[{"schema":${JSON.stringify(schema)},"rows":[${rows.join(",")}],"total_duration_micros":1234,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]`;
}

interface Statement {
  schema: ProductType;
  rows: unknown[];
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const t0 = performance.now();
  const keep = await fn();
  const t1 = performance.now();
  if (keep === undefined) throw new Error("nothing decoded");
  return t1 - t0;
}

const spread = (xs: number[], digits = 2) => ({ median: round(median(xs), digits), min: round(Math.min(...xs), digits), max: round(Math.max(...xs), digits) });
const show = (s: { median: number; min: number; max: number }, digits: number) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

const BASE = "res.json()";

async function run(label: string, longIds: boolean) {
  const text = responseText(longIds);
  const response = () => new Response(text, { headers: { "content-type": "application/json" } });
  const client = createClient({ baseUrl: "http://bench.invalid", fetch: async () => response() });
  const variants: Record<string, () => Promise<unknown>> = {
    [BASE]: () => response().json(),
    sqlRows: async () => {
      const r = await client.sqlRows("bench", "SELECT * FROM t");
      if (!r.ok) throw r.error;
      return r.data[0];
    },
    "text + decodeSql": async () => decodeSql(await response().text())[0],
    "text + parseJson + decodeRows": async () => {
      const [stmt] = parseJson(await response().text()) as Statement[];
      return decodeRows(stmt!.schema, stmt!.rows);
    },
  };
  // Check once that the decoders are exact where JSON.parse is not.
  const expectId = longIds ? (1n << 60n) + BigInt(ROWS - 1) * 7919n : BigInt(ROWS);
  for (const name of Object.keys(variants).slice(1)) {
    const rows = (await variants[name]!()) as Record<string, unknown>[];
    if (rows[ROWS - 1]!.id !== expectId) throw new Error(`${label} ${name}: id ${String(rows[ROWS - 1]!.id)} != ${expectId}`);
  }
  const names = Object.keys(variants);
  const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < WARMUP; i++) for (const n of names) await time(variants[n]!);
  for (let r = 0; r < ROUNDS; r++) for (let j = 0; j < names.length; j++) {
    const n = names[(r + j) % names.length]!;
    ms[n]!.push(await time(variants[n]!));
  }
  const out: Record<string, { ms: ReturnType<typeof spread>; ratio?: ReturnType<typeof spread> }> = {};
  for (const n of names) out[n] = { ms: spread(ms[n]!, 1), ...(n === BASE ? {} : { ratio: spread(ms[n]!.map((t, i) => t / ms[BASE]![i]!)) }) };
  return { label, bytes: text.length, variants: out };
}

const GOALS: Record<string, number> = { "no long ints": 1.2, "long u64 (> 2^53)": 1.5 };
const loadBefore = loadavg();
const results = [];
for (const [label, long] of [["no long ints", false], ["long u64 (> 2^53)", true]] as const) results.push(await run(label, long));
const loadAfter = loadavg();

console.log(`sats-decode: ${ROWS} rows × 8 columns, ${ROUNDS} rotating rounds; median (min–max); ratio = per-round time / res.json() (node ${process.version})`);
console.log(`load average before ${loadBefore.map((x) => x.toFixed(2)).join(" ")}, after ${loadAfter.map((x) => x.toFixed(2)).join(" ")}`);
for (const r of results) {
  console.log(`\n${r.label} (${(r.bytes / 1e6).toFixed(1)} MB)                 ms                    ratio             goal`);
  for (const [name, v] of Object.entries(r.variants)) {
    console.log(`  ${name.padEnd(30)} ${show(v.ms, 1).padEnd(24)} ${v.ratio ? show(v.ratio, 2).padEnd(18) : "".padEnd(18)} ${name === "sqlRows" ? `≤ ${GOALS[r.label]}` : ""}`);
  }
}

mergeResults("sats-decode", {
  date: new Date().toISOString(),
  node: process.version,
  loadavg: { before: loadBefore.map((x) => round(x)), after: loadAfter.map((x) => round(x)) },
  rows: ROWS,
  columns: 8,
  rounds: ROUNDS,
  baseline: BASE,
  goals: Object.fromEntries(Object.entries(GOALS).map(([k, g]) => [k, { sqlRowsRatio: g }])),
  answers: Object.fromEntries(
    results.map((r) => [r.label, { bytes: r.bytes, variants: r.variants, goalMet: r.variants.sqlRows!.ratio!.median <= GOALS[r.label]! }]),
  ),
});
