/**
 * The one JSON reader of the codec: a position in a text, the tokens at it, and `value()`, which reads
 * any JSON value exactly (an integer literal that is not a safe integer becomes a `bigint`). It starts
 * at any offset and stops right after what it read, so a caller can read a value, look at the text,
 * and resume: the one-pass `sql` scanner (rows.ts) reads the envelope with `value()` and the rows with
 * its typed scanners over the same tokens; `parseJson` (json.ts) reads whole texts with it.
 *
 * Errors are `SyntaxError`s worded like `JSON.parse`'s. Nesting deeper than `MAX_JSON_DEPTH` is one.
 */
import { MAX_JSON_DEPTH, tooDeep } from "./depth.js";
import { setOwn } from "./shape.js";

/** `JsonReader.numKind`: an integer of at most 15 digits (exact in `num`), a longer integer, or a
 *  number with a fraction or an exponent. */
export const SHORT_INT = 0;
export const LONG_INT = 1;
export const FRACTION = 2;

const CONTROL = /[\x00-\x1f]/g;

export class JsonReader {
  /**
   * A reader that stays alive, so that the class's object layout (its map) does: V8 holds the layout of
   * objects that are all dead only weakly, and a full collection between two reads would drop it and,
   * with it, the optimized code of every scanner (measured: twice the time of a read after a GC).
   */
  private static readonly keepLayout = new JsonReader("");
  text: string;
  pos: number;
  /** The number `number()` read last: its value as a double, its kind and where its text starts. */
  // Left undefined until the first number: V8 then keeps the field tagged, so a small integer read from
  // it stays unboxed (a field that starts as a number becomes a field of doubles, boxed at every read).
  num!: number;
  numKind = SHORT_INT;
  numStart = 0;
  /** How many arrays and objects enclose the position (`enter` and `leave` count them). */
  depth = 0;
  // The next backslash and the next raw control character at or after a string's start, found
  // lazily: a string then costs one indexOf for its end, not a loop per character.
  private backslash = -1;
  private control = -1;

  constructor(text: string, pos = 0) {
    this.text = text;
    this.pos = pos;
  }

  /** Throws the SyntaxError for the token at the position (or the end of the text). */
  fail(): never {
    const { text, pos } = this;
    throw new SyntaxError(pos < text.length ? `Unexpected token ${JSON.stringify(text[pos])} in JSON at position ${pos}` : "Unexpected end of JSON input");
  }

  peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  skipSpace(): void {
    const { text } = this;
    let p = this.pos;
    for (let c = text.charCodeAt(p); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++p));
    this.pos = p;
  }

  /** The character `code` at the position, stepped over. */
  expect(code: number): void {
    if (this.text.charCodeAt(this.pos) !== code) this.fail();
    this.pos++;
  }

  /** The literal `w` (`true`, `null`, …) at the position, stepped over. */
  word(w: string): void {
    if (!this.text.startsWith(w, this.pos)) this.fail();
    this.pos += w.length;
  }

  /** After a value: only whitespace is left. */
  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail();
  }

  string(): string {
    const { text } = this;
    const open = this.pos;
    if (text.charCodeAt(open) !== 34) this.fail();
    const start = open + 1;
    const close = text.indexOf('"', start);
    if (close < 0) {
      this.pos = text.length;
      this.fail();
    }
    if (this.backslash < start) {
      this.backslash = text.indexOf("\\", start);
      if (this.backslash < 0) this.backslash = text.length;
    }
    if (this.backslash < close) return this.escaped(open);
    if (this.control < start) {
      CONTROL.lastIndex = start;
      const m = CONTROL.exec(text);
      this.control = m === null ? text.length : m.index;
    }
    if (this.control < close) {
      this.pos = this.control;
      this.fail(); // a raw control character: not JSON
    }
    this.pos = close + 1;
    return text.slice(start, close);
  }

  /** A string with escapes: find its end, and let JSON.parse read (and check) it. */
  private escaped(open: number): string {
    const { text } = this;
    let i = open + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) i += 2;
      else if (c !== c) {
        this.pos = text.length; // NaN: the end of the text
        this.fail();
      } else i++;
    }
    this.pos = i + 1;
    return JSON.parse(text.slice(open, this.pos)) as string;
  }

  /** Reads the number at the position into `num`, `numKind` and `numStart`. */
  number(): void {
    const { text } = this;
    let i = this.pos;
    let c = text.charCodeAt(i);
    const negative = c === 45;
    if (negative) c = text.charCodeAt(++i);
    const firstDigit = i;
    let acc = 0;
    if (c === 48) c = text.charCodeAt(++i);
    else if (c >= 49 && c <= 57) {
      do {
        acc = acc * 10 + (c - 48);
        c = text.charCodeAt(++i);
      } while (c >= 48 && c <= 57);
    } else {
      this.pos = i;
      this.fail();
    }
    let kind = i - firstDigit > 15 ? LONG_INT : SHORT_INT;
    if (c === 46) {
      kind = FRACTION;
      i = this.digits(i + 1);
      c = text.charCodeAt(i);
    }
    if (c === 101 || c === 69) {
      kind = FRACTION;
      c = text.charCodeAt(++i);
      if (c === 43 || c === 45) i++;
      i = this.digits(i);
    }
    this.numStart = this.pos;
    this.pos = i;
    this.numKind = kind;
    this.num = kind === SHORT_INT ? (negative ? -acc : acc) : Number(text.slice(this.numStart, i));
  }

  /** One or more digits from `i`; returns the index after them. */
  private digits(i: number): number {
    const { text } = this;
    let c = text.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) {
      this.pos = i;
      this.fail();
    }
    do c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57);
    return i;
  }

  /** The text of the number `number()` read last. */
  numberText(): string {
    return this.text.slice(this.numStart, this.pos);
  }

  /** Any JSON value at the position (whitespace before it skipped), unsafe integers as bigint. */
  value(): unknown {
    this.skipSpace();
    const c = this.text.charCodeAt(this.pos);
    if (c === 34) return this.string();
    if (c === 91) return this.array();
    if (c === 123) return this.object();
    if (c === 116) return this.word("true"), true;
    if (c === 102) return this.word("false"), false;
    if (c === 110) return this.word("null"), null;
    this.number();
    return this.numKind === LONG_INT && !Number.isSafeInteger(this.num) ? BigInt(this.numberText()) : this.num;
  }

  /** Steps into the array or object that `code` (`[` or `{`) opens, and over the whitespace after it. */
  enter(code: number): void {
    this.expect(code);
    if (++this.depth > MAX_JSON_DEPTH) throw tooDeep(MAX_JSON_DEPTH, this.pos - 1);
    this.skipSpace();
  }

  /** Steps out of an array or object, over the `code` (`]` or `}`) that closes it. */
  leave(code: number): void {
    this.expect(code);
    this.depth--;
  }

  private array(): unknown[] {
    this.enter(91);
    const out: unknown[] = [];
    if (this.text.charCodeAt(this.pos) !== 93)
      for (;;) {
        out.push(this.value());
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) !== 44) break;
        this.pos++;
      }
    this.leave(93);
    return out;
  }

  private object(): Record<string, unknown> {
    this.enter(123);
    const out: Record<string, unknown> = {};
    if (this.text.charCodeAt(this.pos) !== 125)
      for (;;) {
        this.skipSpace();
        const key = this.string();
        this.skipSpace();
        this.expect(58);
        setOwn(out, key, this.value());
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) !== 44) break;
        this.pos++;
      }
    this.leave(125);
    return out;
  }
}
