/**
 * The JSON nesting limit. `JSON.parse` of `[[[[…]]]]` far under the response cap takes gigabytes, and a
 * recursive reader runs out of stack; no SATS value or module definition nests anywhere near this deep.
 * This module imports nothing, so the request core can check a text before any parse too.
 */

/** The deepest nesting of arrays and objects accepted in JSON: one more level is a parse error. */
export const MAX_JSON_DEPTH = 256;

/** The parse error of a text that nests deeper than the limit (a SyntaxError, as JSON.parse's are). */
export class JsonTooDeep extends SyntaxError {}

/** The parse error for a text that nests deeper than `limit`. */
export function tooDeep(limit: number, position?: number): JsonTooDeep {
  return new JsonTooDeep(`JSON nests arrays and objects more than ${limit} levels deep${position === undefined ? "" : ` (at position ${position})`}`);
}

/** `JSON.parse`, refusing first (JsonTooDeep) a text that nests more than MAX_JSON_DEPTH levels: the SDK's one such parse. */
export function parseJsonWithin(text: string): unknown {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw tooDeep(MAX_JSON_DEPTH);
  return JSON.parse(text);
}

/**
 * Whether `text` nests arrays and objects more than `limit` levels deep: one pass over its char codes,
 * strings skipped. Only nesting is looked at (the text need not be valid JSON): a parse follows.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  const n = text.length;
  // Deeper than `limit` takes more than `limit` brackets: most texts (a log line, a small answer) are
  // shorter, and skip the pass (it cost a followed log line as much as a quarter of its handling).
  if (n <= limit) return false;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const folded = c | 32; // `[` and `{` fold to 123, `]` and `}` to 125, and no other character does
    if (folded === 123) {
      if (++depth > limit) return true;
    } else if (folded === 125) depth--;
    else if (c === 34) {
      // A string: jump to each next quote, and past it unless an odd run of backslashes escapes it.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let b = i - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((i - b) % 2 === 1) break;
      }
    }
  }
  return false;
}

/** Whether a value as `JSON.parse` builds it (a tree of arrays and objects) nests more than `limit` levels deep. */
export function valueDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v !== "object" || v === null) continue;
    if (depth > limit) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (typeof x === "object" && x !== null) stack.push([x, depth + 1]);
  }
  return false;
}
