/**
 * One-pass decoding of an `sql` response text: `[{ "schema": ProductType, "rows": [...], … }]`.
 *
 * The statement's schema is read first, then the rows' text is scanned once, straight into named
 * objects: each column's scanner knows its type, so a u64…u256 / i64…i256 is read as the exact
 * integer right where the schema says it is (no whole-text search for long integers, no rewritten
 * second parse, no second pass over parsed arrays). A row's object is built by code generated for
 * the schema (`new Function`, one object literal, cached by the schema's text); where eval is not
 * allowed (a CSP without 'unsafe-eval') the first attempt throws and a plain loop is used from then on.
 *
 * The scanner takes only the compact form the server writes (no whitespace inside `rows`, untyped
 * values). Anything else — whitespace, typed forms, a value that does not fit, text that is not JSON —
 * makes `scanSql` give up, and `decodeSql` then runs the general path (`parseJson` + `decodeRows`),
 * which either decodes it or throws the same error as before. So both paths give identical results;
 * the fast one only decides sooner.
 *
 * Strings without escapes are slices of the response text; V8 may keep such a slice as a view on the
 * text, so decoded rows can keep the response text alive while they are held.
 */
import { decodeRows, hexToBytes, specials } from "./decode.js";
import { parseJson } from "./json.js";
import { RANGES, isOptionType, kindOf, nameOf, optionOf, parseHexInt, setOwn, specialOf } from "./shape.js";
import type { AlgebraicType, ProductType, SumType } from "./types.js";
import { Timestamp } from "./types.js";

type Row = Record<string, unknown>;
type Scan = () => unknown;

/** Thrown inside the scanner when the text is not the compact form it reads: the general path takes over. */
const MISMATCH = new Error("not the compact SATS-JSON the scanner reads");

// The scanner's state: the text, the position, and lazily found positions of the next backslash and
// of the next control character (so a string costs one indexOf for its end, not a loop per char).
let S = "";
let P = 0;
let BS = -1;
let CTL = -1;
const CONTROL = /[\x00-\x1f]/g;

/** The rows of each statement, decoded like `decodeRows`; the general path where the scanner gives up. */
export function decodeSql(text: string): Row[][] {
  return scanSql(text) ?? (parseJson(text) as { schema: ProductType; rows: unknown[] }[]).map((s) => decodeRows(s.schema, s.rows));
}

/** @internal The one-pass scan alone: undefined when the text is not in the form it reads (or fails). */
export function scanSql(text: string): Row[][] | undefined {
  S = text;
  P = 0;
  BS = -1;
  CTL = -1;
  try {
    ws();
    expect(91);
    const out: Row[][] = [];
    ws();
    if (S.charCodeAt(P) === 93) P++;
    else
      for (;;) {
        out.push(statement());
        ws();
        const c = S.charCodeAt(P++);
        if (c === 93) break;
        if (c !== 44) throw MISMATCH;
      }
    ws();
    return P === S.length ? out : undefined;
  } catch {
    return undefined;
  } finally {
    S = "";
  }
}

function statement(): Row[] {
  ws();
  expect(123);
  let row: Scan | undefined;
  let rows: Row[] | undefined;
  const seen = new Set<string>();
  for (;;) {
    ws();
    const key = str();
    if (seen.has(key)) throw MISMATCH; // JSON.parse keeps the last one: leave that to the general path
    seen.add(key);
    ws();
    expect(58);
    ws();
    if (key === "schema") {
      const start = P;
      const schema = generic();
      row = rowScanner(schema, S.slice(start, P));
    } else if (key === "rows") {
      if (row === undefined) throw MISMATCH; // rows before the schema: not the server's order
      rows = scanRows(row);
    } else generic();
    ws();
    const c = S.charCodeAt(P++);
    if (c === 125) break;
    if (c !== 44) throw MISMATCH;
  }
  if (rows === undefined) throw MISMATCH;
  return rows;
}

function scanRows(row: Scan): Row[] {
  expect(91);
  const out: Row[] = [];
  if (S.charCodeAt(P) === 93) {
    P++;
    return out;
  }
  for (;;) {
    out.push(row() as Row);
    const c = S.charCodeAt(P++);
    if (c === 93) return out;
    if (c !== 44) throw MISMATCH;
  }
}

// ---- tokens

function ws(): void {
  for (let c = S.charCodeAt(P); c === 32 || c === 10 || c === 13 || c === 9; c = S.charCodeAt(++P));
}

function expect(code: number): void {
  if (S.charCodeAt(P) !== code) throw MISMATCH;
  P++;
}

const open = () => expect(91);
const comma = () => expect(44);
const close = () => expect(93);

function word(w: string): void {
  if (!S.startsWith(w, P)) throw MISMATCH;
  P += w.length;
}

function str(): string {
  if (S.charCodeAt(P) !== 34) throw MISMATCH;
  const s = P + 1;
  const e = S.indexOf('"', s);
  if (e < 0) throw MISMATCH;
  if (BS < s) {
    BS = S.indexOf("\\", s);
    if (BS < 0) BS = Infinity;
  }
  if (BS < e) return escaped(s);
  if (CTL < s) {
    CONTROL.lastIndex = s;
    const m = CONTROL.exec(S);
    CTL = m === null ? Infinity : m.index;
  }
  if (CTL < e) throw MISMATCH; // a raw control character: not JSON
  P = e + 1;
  return S.slice(s, e);
}

/** A string with escapes: find its end, and let JSON.parse read (and check) it. */
function escaped(s: number): string {
  let i = s;
  for (;;) {
    const c = S.charCodeAt(i);
    if (c === 34) break;
    if (c === 92) i += 2;
    else if (c !== c) throw MISMATCH; // the end of the text
    else i++;
  }
  P = i + 1;
  return JSON.parse(S.slice(s - 1, P)) as string;
}

/** The number at P: NK 0 = an integer of at most 15 digits, exact in NUM; 1 = a longer integer;
 *  2 = a fraction or exponent. NUM is its value as a double; NS its start. */
let NUM = 0;
let NK = 0;
let NS = 0;

function num(): void {
  let i = P;
  let c = S.charCodeAt(i);
  const neg = c === 45;
  if (neg) c = S.charCodeAt(++i);
  const d0 = i;
  let acc = 0;
  if (c === 48) c = S.charCodeAt(++i);
  else if (c >= 49 && c <= 57) {
    do {
      acc = acc * 10 + (c - 48);
      c = S.charCodeAt(++i);
    } while (c >= 48 && c <= 57);
  } else throw MISMATCH;
  let kind = i - d0 > 15 ? 1 : 0;
  if (c === 46) {
    kind = 2;
    c = S.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) throw MISMATCH;
    do c = S.charCodeAt(++i);
    while (c >= 48 && c <= 57);
  }
  if (c === 101 || c === 69) {
    kind = 2;
    c = S.charCodeAt(++i);
    if (c === 43 || c === 45) c = S.charCodeAt(++i);
    if (!(c >= 48 && c <= 57)) throw MISMATCH;
    do c = S.charCodeAt(++i);
    while (c >= 48 && c <= 57);
  }
  NS = P;
  P = i;
  NK = kind;
  NUM = kind === 0 ? (neg ? -acc : acc) : Number(S.slice(NS, i));
}

/** Any JSON value, as `parseJson` reads it (for the envelope: the schema, stats, …). */
function generic(): unknown {
  ws();
  const c = S.charCodeAt(P);
  if (c === 34) return str();
  if (c === 91) {
    P++;
    const a: unknown[] = [];
    ws();
    if (S.charCodeAt(P) === 93) {
      P++;
      return a;
    }
    for (;;) {
      a.push(generic());
      ws();
      const d = S.charCodeAt(P++);
      if (d === 93) return a;
      if (d !== 44) throw MISMATCH;
    }
  }
  if (c === 123) {
    P++;
    const o: Record<string, unknown> = {};
    ws();
    if (S.charCodeAt(P) === 125) {
      P++;
      return o;
    }
    for (;;) {
      ws();
      const k = str();
      ws();
      expect(58);
      setOwn(o, k, generic());
      ws();
      const d = S.charCodeAt(P++);
      if (d === 125) return o;
      if (d !== 44) throw MISMATCH;
    }
  }
  if (c === 116) return word("true"), true;
  if (c === 102) return word("false"), false;
  if (c === 110) return word("null"), null;
  num();
  if (NK === 1 && !Number.isSafeInteger(NUM)) return BigInt(S.slice(NS, P));
  return NUM;
}

// ---- scanners per type

/** Scanners compiled per schema, by the schema's text: each response brings a new schema object. */
const rowScanners = new Map<string, Scan>();

function rowScanner(schema: unknown, key: string): Scan {
  let row = rowScanners.get(key);
  if (row !== undefined) return row;
  row = compile({ Product: schema as ProductType });
  if (rowScanners.size >= 256) rowScanners.clear();
  rowScanners.set(key, row);
  return row;
}

function compile(t: AlgebraicType): Scan {
  const kind = kindOf(t);
  switch (kind) {
    case "Bool":
      return () => {
        const c = S.charCodeAt(P);
        if (c === 116) return word("true"), true;
        if (c === 102) return word("false"), false;
        throw MISMATCH;
      };
    case "String":
      return str;
    case "I8":
    case "U8":
    case "I16":
    case "U16":
    case "I32":
    case "U32": {
      const [min, max] = RANGES[kind]!.map(Number) as [number, number];
      return () => {
        num();
        if (Number.isInteger(NUM) && NUM >= min && NUM <= max) return NUM;
        throw MISMATCH;
      };
    }
    case "I64":
    case "U64":
    case "I128":
    case "U128":
      return wide(kind);
    case "I256":
    case "U256": {
      const [min, max] = RANGES[kind]!;
      return () => {
        let b: bigint | undefined;
        if (S.charCodeAt(P) === 34) b = parseHexInt(str());
        else {
          num();
          if (NK === 2) throw MISMATCH;
          b = NK === 0 ? BigInt(NUM) : BigInt(S.slice(NS, P));
        }
        if (b !== undefined && b >= min && b <= max) return b;
        throw MISMATCH;
      };
    }
    case "F32":
    case "F64":
      return () => {
        if (S.charCodeAt(P) === 110) return word("null"), NaN;
        num();
        return NUM;
      };
    case "Array": {
      const el = (t as { Array: AlgebraicType }).Array;
      if ("U8" in el)
        return () => {
          const b = hexToBytes(str());
          if (b === undefined) throw MISMATCH;
          return b;
        };
      return array(compile(el));
    }
    case "Product":
      return product((t as { Product: ProductType }).Product);
    case "Sum":
      return sum((t as { Sum: SumType }).Sum);
    default: // Ref: an sql schema has no typespace
      throw MISMATCH;
  }
}

function wide(kind: string): () => bigint {
  const [min, max] = RANGES[kind]!;
  const unsigned = min === 0n;
  return () => {
    num();
    if (NK === 0) {
      if (unsigned && NUM < 0) throw MISMATCH;
      return BigInt(NUM); // 15 digits fit every width from 64 bits up
    }
    if (NK === 2) throw MISMATCH;
    const b = BigInt(S.slice(NS, P));
    if (b >= min && b <= max) return b;
    throw MISMATCH;
  };
}

function array(el: Scan): Scan {
  return () => {
    expect(91);
    const out: unknown[] = [];
    if (S.charCodeAt(P) === 93) {
      P++;
      return out;
    }
    for (;;) {
      out.push(el());
      const c = S.charCodeAt(P++);
      if (c === 93) return out;
      if (c !== 44) throw MISMATCH;
    }
  };
}

function product(p: ProductType): Scan {
  const special = specialOf(p);
  if (special !== undefined) {
    const inner = special === "Identity" ? str : wide(special === "Timestamp" || special === "TimeDuration" ? "I64" : "U128");
    const convert = specials[special] as (v: unknown) => unknown;
    if (special === "Timestamp")
      return () => {
        open();
        const v = new Timestamp(inner() as bigint);
        close();
        return v;
      };
    return () => {
      open();
      const v = convert(inner());
      close();
      return v;
    };
  }
  const keys = p.elements.map((e, i) => nameOf(e.name) ?? String(i));
  const scans = p.elements.map((e) => compile(e.algebraic_type));
  return literal(keys, scans) ?? loop(keys, scans);
}

function loop(keys: string[], scans: Scan[]): Scan {
  const n = keys.length;
  return () => {
    open();
    const o: Row = {};
    for (let i = 0; i < n; i++) {
      if (i > 0) comma();
      setOwn(o, keys[i]!, scans[i]!());
    }
    close();
    return o;
  };
}

/** undefined: untried; false once `new Function` has thrown (a CSP without 'unsafe-eval'). */
let codegen: boolean | undefined;

/** @internal Tests switch code generation off to exercise the plain path; `undefined` resets detection. */
export function setRowCodegen(enabled: boolean | undefined): void {
  codegen = enabled;
  rowScanners.clear();
}

/** `() => { "[" ; const r = { "k0": s0(), "k1": (",", s1()), … }; "]" ; return r }`: one object literal,
 *  so V8 gives every row one fixed shape. */
function literal(keys: string[], scans: Scan[]): Scan | undefined {
  if (codegen === false || keys.length === 0 || keys.length > 64 || keys.includes("__proto__")) return undefined;
  const names = scans.map((_, i) => `s${i}`);
  const body = keys.map((k, i) => `${JSON.stringify(k)}: ${i === 0 ? "s0()" : `(c(), s${i}())`}`).join(", ");
  try {
    const make = new Function("o", "c", "e", ...names, `"use strict"; return function row() { o(); const r = { ${body} }; e(); return r; };`);
    codegen = true;
    return make(open, comma, close, ...scans) as Scan;
  } catch {
    codegen = false;
    return undefined;
  }
}

function sum(s: SumType): Scan {
  const someType = optionOf(s);
  if (someType !== undefined) {
    const some = compile(someType);
    const wrap = isOptionType(someType, undefined);
    return () => {
      const c = S.charCodeAt(P);
      if (c === 110) return word("null"), undefined;
      if (c === 91 && S.charCodeAt(P + 2) === 44) {
        const tag = S.charCodeAt(P + 1);
        P += 3;
        if (tag === 48) {
          const v = some();
          close();
          return wrap ? { some: v } : v;
        }
        if (tag === 49) {
          word("[]]");
          return undefined;
        }
      }
      throw MISMATCH;
    };
  }
  const n = s.variants.length;
  const tags = s.variants.map((v, i) => nameOf(v.name) ?? String(i));
  const scans = s.variants.map((v) => compile(v.algebraic_type));
  return () => {
    open();
    num();
    const i = NUM;
    if (NK !== 0 || !(i >= 0 && i < n)) throw MISMATCH;
    comma();
    const value = scans[i]!();
    close();
    return { tag: tags[i]!, value };
  };
}

/** @internal Whether rows are built by generated code: undefined until first tried. */
export const rowCodegen = (): boolean | undefined => codegen;
