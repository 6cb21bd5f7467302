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
 * makes the scan give up, and `decodeSql` then runs the general path (`parseJson` + `decodeRows`),
 * which either decodes it or throws the same error as before. So both paths give identical results;
 * the fast one only decides sooner.
 *
 * Strings without escapes are slices of the response text; V8 may keep such a slice as a view on the
 * text, so decoded rows can keep the response text alive while they are held.
 */
import { decodeRows, hexToBytes, specials } from "./decode.js";
import { FRACTION, JsonReader, SHORT_INT } from "./json-reader.js";
import { parseJson } from "./json.js";
import { RANGES, isOptionType, kindOf, nameOf, optionOf, parseHexInt, setOwn, specialOf } from "./shape.js";
import type { AlgebraicType, ProductType, SumType } from "../generated/schema.js";
import { Timestamp } from "./types.js";

type Row = Record<string, unknown>;
/** Reads one value of a known type at the reader's position, in the compact form only. */
type Scan = (r: JsonReader) => unknown;

/** Thrown by a scanner when the text is not the compact form it reads: the general path takes over. */
const MISMATCH = new Error("not the compact SATS-JSON the scanner reads");

/** The rows of each statement, decoded like `decodeRows`; the general path where the scanner gives up. */
export function decodeSql(text: string): Row[][] {
  return scan(text) ?? (parseJson(text) as { schema: ProductType; rows: unknown[] }[]).map((s) => decodeRows(s.schema, s.rows));
}

/** The one-pass scan: undefined when the text is not in the form it reads (or is not JSON). */
function scan(text: string): Row[][] | undefined {
  const r = new JsonReader(text);
  try {
    r.skipSpace();
    r.enter(91);
    const out: Row[][] = [];
    if (r.peek() !== 93)
      for (;;) {
        out.push(statement(r));
        r.skipSpace();
        if (r.peek() !== 44) break;
        r.pos++;
      }
    r.leave(93);
    r.end();
    return out;
  } catch {
    return undefined;
  }
}

function statement(r: JsonReader): Row[] {
  r.skipSpace();
  r.enter(123);
  let row: Scan | undefined;
  let rows: Row[] | undefined;
  const seen = new Set<string>();
  for (;;) {
    r.skipSpace();
    const key = r.string();
    if (seen.has(key)) throw MISMATCH; // JSON.parse keeps the last one: leave that to the general path
    seen.add(key);
    r.skipSpace();
    r.expect(58);
    r.skipSpace();
    if (key === "schema") {
      const start = r.pos;
      const schema = r.value();
      row = rowScanner(schema, r.text.slice(start, r.pos));
    } else if (key === "rows") {
      if (row === undefined) throw MISMATCH; // rows before the schema: not the server's order
      rows = scanRows(r, row);
    } else r.value();
    r.skipSpace();
    if (r.peek() !== 44) break;
    r.pos++;
  }
  r.leave(125);
  if (rows === undefined) throw MISMATCH;
  return rows;
}

function scanRows(r: JsonReader, row: Scan): Row[] {
  r.expect(91);
  const out: Row[] = [];
  if (r.peek() === 93) {
    r.pos++;
    return out;
  }
  for (;;) {
    out.push(row(r) as Row);
    const c = r.peek();
    r.pos++;
    if (c === 93) return out;
    if (c !== 44) throw MISMATCH;
  }
}

const open = (r: JsonReader) => r.expect(91);
const comma = (r: JsonReader) => r.expect(44);
const close = (r: JsonReader) => r.expect(93);
const string = (r: JsonReader) => r.string();

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
      return (r) => {
        const c = r.peek();
        if (c === 116) return r.word("true"), true;
        if (c === 102) return r.word("false"), false;
        throw MISMATCH;
      };
    case "String":
      return string;
    case "I8":
    case "U8":
    case "I16":
    case "U16":
    case "I32":
    case "U32": {
      const [min, max] = RANGES[kind]!.map(Number) as [number, number];
      return (r) => {
        r.number();
        const n = r.num;
        if (Number.isInteger(n) && n >= min && n <= max) return n;
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
      return (r) => {
        let b: bigint | undefined;
        if (r.peek() === 34) b = parseHexInt(r.string());
        else {
          r.number();
          if (r.numKind === FRACTION) throw MISMATCH;
          b = r.numKind === SHORT_INT ? BigInt(r.num) : BigInt(r.numberText());
        }
        if (b !== undefined && b >= min && b <= max) return b;
        throw MISMATCH;
      };
    }
    case "F32":
    case "F64":
      return (r) => {
        if (r.peek() === 110) return r.word("null"), NaN;
        r.number();
        return r.num;
      };
    case "Array": {
      const el = (t as { Array: AlgebraicType }).Array;
      if ("U8" in el)
        return (r) => {
          const b = hexToBytes(r.string());
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

function wide(kind: string): (r: JsonReader) => bigint {
  const [min, max] = RANGES[kind]!;
  const unsigned = min === 0n;
  return (r) => {
    r.number();
    if (r.numKind === SHORT_INT) {
      if (unsigned && r.num < 0) throw MISMATCH;
      return BigInt(r.num); // 15 digits fit every width from 64 bits up
    }
    if (r.numKind === FRACTION) throw MISMATCH;
    const b = BigInt(r.numberText());
    if (b >= min && b <= max) return b;
    throw MISMATCH;
  };
}

function array(el: Scan): Scan {
  return (r) => {
    r.expect(91);
    const out: unknown[] = [];
    if (r.peek() === 93) {
      r.pos++;
      return out;
    }
    for (;;) {
      out.push(el(r));
      const c = r.peek();
      r.pos++;
      if (c === 93) return out;
      if (c !== 44) throw MISMATCH;
    }
  };
}

function product(p: ProductType): Scan {
  const special = specialOf(p);
  if (special !== undefined) {
    const inner = special === "Identity" ? string : wide(special === "Timestamp" || special === "TimeDuration" ? "I64" : "U128");
    const convert = specials[special] as (v: unknown) => unknown;
    if (special === "Timestamp")
      return (r) => {
        open(r);
        const v = new Timestamp(inner(r) as bigint);
        close(r);
        return v;
      };
    return (r) => {
      open(r);
      const v = convert(inner(r));
      close(r);
      return v;
    };
  }
  const keys = p.elements.map((e, i) => nameOf(e.name) ?? String(i));
  const scans = p.elements.map((e) => compile(e.algebraic_type));
  return literal(keys, scans) ?? loop(keys, scans);
}

function loop(keys: string[], scans: Scan[]): Scan {
  const n = keys.length;
  return (r) => {
    open(r);
    const o: Row = {};
    for (let i = 0; i < n; i++) {
      if (i > 0) comma(r);
      setOwn(o, keys[i]!, scans[i]!(r));
    }
    close(r);
    return o;
  };
}

/** False once `new Function` has thrown (a CSP without 'unsafe-eval'): rows are then built by `loop`. */
let codegen = true;

/** `(r) => { "[" ; const o = { "k0": s0(r), "k1": (",", s1(r)), … }; "]" ; return o }`: one object
 *  literal, so V8 gives every row one fixed shape. */
function literal(keys: string[], scans: Scan[]): Scan | undefined {
  if (!codegen || keys.length === 0 || keys.length > 64 || keys.includes("__proto__")) return undefined;
  const names = scans.map((_, i) => `s${i}`);
  const body = keys.map((k, i) => `${JSON.stringify(k)}: ${i === 0 ? "s0(r)" : `(c(r), s${i}(r))`}`).join(", ");
  try {
    const make = new Function("o", "c", "e", ...names, `"use strict"; return function row(r) { o(r); const x = { ${body} }; e(r); return x; };`);
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
    return (r) => {
      const c = r.peek();
      if (c === 110) return r.word("null"), undefined;
      const { text, pos } = r;
      if (c === 91 && text.charCodeAt(pos + 2) === 44) {
        const tag = text.charCodeAt(pos + 1);
        r.pos = pos + 3;
        if (tag === 48) {
          const v = some(r);
          close(r);
          return wrap ? { some: v } : v;
        }
        if (tag === 49) {
          r.word("[]]");
          return undefined;
        }
      }
      throw MISMATCH;
    };
  }
  const n = s.variants.length;
  const tags = s.variants.map((v, i) => nameOf(v.name) ?? String(i));
  const scans = s.variants.map((v) => compile(v.algebraic_type));
  return (r) => {
    open(r);
    r.number();
    const i = r.num;
    if (r.numKind !== SHORT_INT || !(i >= 0 && i < n)) throw MISMATCH;
    comma(r);
    const value = scans[i]!(r);
    close(r);
    return { tag: tags[i]!, value };
  };
}
