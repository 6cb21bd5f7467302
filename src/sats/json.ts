/**
 * Lossless JSON for SATS: the server writes u64/i64/u128/i128 as bare numbers with every digit, and
 * `JSON.parse` rounds those past 2^53. Node 20's reviver gets no source text, so we scan the text.
 *
 * `parseJson`:
 * - fast path: no integer literal of 16+ digits (2^53 has 16) → plain `JSON.parse`;
 * - otherwise each unsafe integer literal found after `[`, `,` or `:` is rewritten into a string
 *   `"\u0001<digits>"`, the text goes through `JSON.parse`, and those strings become bigint. A
 *   candidate that was really inside a string makes the rewritten text invalid (the inserted quote ends
 *   the string and a backslash follows it), and a text holding `\u0001` could collide with the marker:
 *   both cases fall back to `parseJsonExact`, a small exact parser.
 */

import { setOwn } from "./shape.js";

// Any integer literal of 16+ digits follows one of `[ , : -` or whitespace, or starts the text. The 16
// digits are spelled out: V8's regexp engine then skips ahead through the text (about twice as fast as
// `\d{16}` here).
const LONG_INT_HINT = new RegExp(`[-[,: \t\n\r]${"\\d".repeat(16)}`);
const LEADING_LONG_INT = /^\d{16}/;
const LONG_INT = /([[,:]|^)([ \t\n\r]*)(-?[1-9]\d{15,})(?![\d.eE])/g;
const MARK = 1; // U+0001: JSON text can only produce it in a string through the escape `\u0001`.
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/** `JSON.parse`, except that integer literals that are not safe integers become exact `bigint`s. */
export function parseJson(text: string): unknown {
  if (!LONG_INT_HINT.test(text) && !LEADING_LONG_INT.test(text)) return JSON.parse(text);
  if (text.includes("\\u0001")) return parseJsonExact(text);
  let out = "";
  let last = 0;
  let count = 0;
  LONG_INT.lastIndex = 0;
  for (let m = LONG_INT.exec(text); m !== null; m = LONG_INT.exec(text)) {
    const digits = m[3]!;
    const abs = digits.charCodeAt(0) === 45 ? digits.slice(1) : digits;
    if (abs.length === 16 && abs <= MAX_SAFE) continue;
    const start = m.index + m[1]!.length + m[2]!.length;
    out += `${text.slice(last, start)}"\\u0001${digits}"`;
    last = start + digits.length;
    count++;
  }
  if (count === 0) return JSON.parse(text);
  out += text.slice(last);
  let value: unknown;
  try {
    value = JSON.parse(out);
  } catch {
    return parseJsonExact(text); // a candidate sat inside a string, or the text is not JSON
  }
  if (typeof value === "string") return BigInt(value.slice(1));
  remaining = count;
  if (typeof value === "object" && value !== null) revive(value);
  return value;
}

let remaining = 0;

function revive(node: object): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length && remaining > 0; i++) {
      const v: unknown = node[i];
      if (typeof v === "string") {
        if (v.charCodeAt(0) === MARK) {
          node[i] = BigInt(v.slice(1));
          remaining--;
        }
      } else if (typeof v === "object" && v !== null) revive(v);
    }
    return;
  }
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (remaining === 0) return;
    const v = obj[key];
    if (typeof v === "string") {
      if (v.charCodeAt(0) === MARK) {
        setOwn(obj, key, BigInt(v.slice(1)));
        remaining--;
      }
    } else if (typeof v === "object" && v !== null) revive(v);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** An exact recursive-descent JSON parser with `parseJson`'s result; slower, used as its fallback. */
export function parseJsonExact(text: string): unknown {
  let i = 0;
  const fail = (): never => {
    const what = i < text.length ? `token ${JSON.stringify(text[i])}` : "end of JSON input";
    throw new SyntaxError(`Unexpected ${what} in JSON at position ${i}`);
  };
  const space = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  const expect = (code: number) => {
    space();
    if (text.charCodeAt(i) !== code) fail();
    i++;
  };
  const string = (): string => {
    const start = i;
    let escaped = false;
    for (i++; ; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i++;
      } else if (!(c >= 32)) fail(); // a raw control character, or the end of the text
    }
    i++;
    const raw = text.slice(start, i);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };
  const value = (): unknown => {
    space();
    const c = text.charCodeAt(i);
    if (c === 34) return string();
    if (c === 91) {
      i++;
      const arr: unknown[] = [];
      space();
      if (text.charCodeAt(i) === 93) {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        space();
        const d = text.charCodeAt(i++);
        if (d === 93) return arr;
        if (d !== 44) (i--, fail());
      }
    }
    if (c === 123) {
      i++;
      const obj: Record<string, unknown> = {};
      space();
      if (text.charCodeAt(i) === 125) {
        i++;
        return obj;
      }
      for (;;) {
        space();
        if (text.charCodeAt(i) !== 34) fail();
        const key = string();
        expect(58);
        setOwn(obj, key, value());
        space();
        const d = text.charCodeAt(i++);
        if (d === 125) return obj;
        if (d !== 44) (i--, fail());
      }
    }
    for (const [word, v] of WORDS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail();
    i = NUMBER.lastIndex;
    const n = Number(m[0]);
    return m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n) ? BigInt(m[0]) : n;
  };
  const result = value();
  space();
  if (i < text.length) fail();
  return result;
}

const WORDS: [string, unknown][] = [
  ["true", true],
  ["false", false],
  ["null", null],
];
