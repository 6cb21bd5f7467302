/**
 * Lossless JSON for SATS: the server writes u64/i64/u128/i128 as bare numbers with every digit, and
 * `JSON.parse` rounds those past 2^53. Node 20's reviver gets no source text, so a text that may hold
 * such a literal is read by the codec's own reader (json-reader.ts); any other goes to `JSON.parse`,
 * after a check of its nesting depth.
 */

import { parseJsonWithin } from "./depth.js";
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
  return parseJsonWithin(text);
}
