/**
 * SATS decode benchmark: a 100k-row, 8-column `sql` response text decoded to objects
 * (B = `parseJson` + `decodeRows`) against `JSON.parse` of the same text (A), in the same run.
 * Two variants: no long integers, and a u64 column with values above 2^53.
 *
 *   npx tsx bench/sats-decode.ts [rows] [rounds]
 *
 * Each timed run starts after a full GC; A and B alternate. Prints a table and merges `{ "sats-decode": … }` into bench/results.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { decodeRows, parseJson } from "../src/sats/index.js";
import type { ProductType } from "../src/sats/index.js";

const ROWS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 21);
const WARMUP = 4;

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

function time(fn: () => unknown): number {
  gc();
  const t0 = performance.now();
  const keep = fn();
  const t1 = performance.now();
  if (keep === undefined) throw new Error("nothing decoded");
  return t1 - t0;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function run(label: string, longIds: boolean) {
  const text = responseText(longIds);
  const a = () => JSON.parse(text) as unknown;
  const b = () => {
    const [stmt] = parseJson(text) as Statement[];
    return decodeRows(stmt!.schema, stmt!.rows);
  };
  // Check once that B is exact where A is not.
  const decoded = b();
  const first = decoded[ROWS - 1]!;
  const expectId = longIds ? (1n << 60n) + BigInt(ROWS - 1) * 7919n : BigInt(ROWS);
  if (first.id !== expectId) throw new Error(`${label}: id ${String(first.id)} != ${expectId}`);

  for (let i = 0; i < WARMUP; i++) (time(a), time(b));
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) (ta.push(time(a)), tb.push(time(b)));
    else (tb.push(time(b)), ta.push(time(a)));
  }
  // The ratio is the median of each round's B/A: A and B of a round run back to back, so a change in
  // the machine's load between rounds cancels out.
  const ratio = median(tb.map((t, i) => t / ta[i]!));
  return { label, bytes: text.length, jsonParseMs: round(median(ta)), decodeMs: round(median(tb)), ratio: round(ratio) };
}

const round = (x: number) => Math.round(x * 100) / 100;

const results = [run("no long ints", false), run("long u64 (> 2^53)", true)];
const goals = { "no long ints": 1.3, "long u64 (> 2^53)": 3 } as Record<string, number>;

console.log(`sats-decode: ${ROWS} rows × 8 columns, medians of ${ROUNDS} alternating rounds; ratio = median of per-round B/A (node ${process.version})`);
console.log("variant              text MB   JSON.parse ms   parseJson+decodeRows ms   ratio   goal");
for (const r of results) {
  console.log(
    `${r.label.padEnd(20)} ${(r.bytes / 1e6).toFixed(1).padStart(8)} ${r.jsonParseMs.toFixed(1).padStart(15)} ${r.decodeMs.toFixed(1).padStart(25)} ${r.ratio.toFixed(2).padStart(7)}   ≤ ${goals[r.label]}`,
  );
}

const file = new URL("./results.json", import.meta.url);
let all: Record<string, unknown> = {};
try {
  all = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
} catch {
  // absent or unreadable: start afresh
}
all["sats-decode"] = {
  date: new Date().toISOString(),
  node: process.version,
  rows: ROWS,
  columns: 8,
  rounds: ROUNDS,
  variants: Object.fromEntries(results.map((r) => [r.label, { ...r, goal: goals[r.label] }])),
};
writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
