/**
 * Lossless JSON for SATS: the server writes u64/i64/u128/i128 as bare numbers with every digit, and
 * `JSON.parse` rounds those past 2^53. Node 20's reviver gets no source text, so a text that may hold
 * such a literal is read by the codec's own reader (json-reader.ts); any other goes to `JSON.parse`,
 * after a check of its nesting depth.
 */

import { MAX_JSON_DEPTH, jsonDepthExceeds, tooDeep } from "./depth.js";
import { JsonReader } from "./json-reader.js";

// Any integer literal of 16+ digits (2^53 has 16) follows one of `[ , : -` or whitespace, or starts the
// text. The 16 digits are spelled out: V8's regexp engine then skips ahead through the text (about twice
// as fast as `\d{16}` here).
const LONG_INT_HINT = new RegExp(`[-[,: \t\n\r]${"\\d".repeat(16)}`);
const LEADING_LONG_INT = /^\d{16}/;

/**
 * `JSON.parse`, except that integer literals that are not safe integers become exact `bigint`s, and
 * that nesting deeper than `MAX_JSON_DEPTH` is a `SyntaxError` (before any value is built).
 */
export function parseJson(text: string): unknown {
  if (LONG_INT_HINT.test(text) || LEADING_LONG_INT.test(text)) {
    const reader = new JsonReader(text);
    const value = reader.value();
    reader.end();
    return value;
  }
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw tooDeep(MAX_JSON_DEPTH);
  return JSON.parse(text);
}

/** Like `JSON.stringify(value)` (no replacer, no indent), but a bigint is written as its exact digits and
 *  -0 as `-0`. Throws a TypeError for a cycle or when the value itself cannot be written (undefined, a
 *  function, a symbol). */
export function stringifyJson(value: unknown): string {
  const out = write(value, "", []);
  if (out === undefined) throw new TypeError(`${typeof value} cannot be written as JSON`);
  return out;
}

function write(v: unknown, key: string, stack: object[]): string | undefined {
  if (typeof v === "object" && v !== null) {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") v = toJSON.call(v, key);
    else if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  }
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      // -0 keeps its sign (serde_json reads `-0` as the float -0.0); NaN and ±Infinity become null.
      return Number.isFinite(v) ? (Object.is(v, -0) ? "-0" : String(v)) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object":
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (v === null) return "null";
  if (stack.includes(v)) throw new TypeError("Converting circular structure to JSON");
  stack.push(v);
  let out: string;
  if (Array.isArray(v)) {
    out = "[";
    for (let i = 0; i < v.length; i++) out += `${i === 0 ? "" : ","}${write(v[i], String(i), stack) ?? "null"}`;
    out += "]";
  } else {
    out = "{";
    for (const k of Object.keys(v)) {
      const item = write((v as Record<string, unknown>)[k], k, stack);
      if (item !== undefined) out += `${out.length === 1 ? "" : ","}${JSON.stringify(k)}:${item}`;
    }
    out += "}";
  }
  stack.pop();
  return out;
}
