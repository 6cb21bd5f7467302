/**
 * Decoding SATS-JSON values (untyped, as in `sql` rows and procedure results; the typed forms are
 * accepted too where it is cheap) into JS values, per type. Representations: see types.ts.
 *
 * Each type is compiled once into a decoder closure (cached per type object and typespace), so a row
 * costs one call per cell and no dispatch on the type. Integer cells must arrive exact: a 64/128-bit
 * value given as a JS number beyond 2^53 is rejected (parse the text with `parseJson`).
 */
import type { Compile } from "./shape.js";
import { RANGES, at, compiler, finish, isOptionType, kindOf, nameOf, optionOf, ownValue, parseHexInt, setOwn, specialOf, specialTag, typeName } from "./shape.js";
import type { AlgebraicType, ProductType, SumType, Typespace } from "../generated/schema.js";
import { SatsError, Timestamp } from "./types.js";

type Decoder = (value: unknown) => unknown;

const compilerFor = compiler(build);
const format = (path: string, reason: string) => `${path} ${reason}`;

/** Decodes one SATS-JSON value of type `type`. Errors are `SatsError`s with paths like `value.name[2]`. */
export function decodeValue(type: AlgebraicType, value: unknown, typespace?: Typespace): unknown {
  try {
    return compilerFor(typespace)(type)(value);
  } catch (e) {
    throw finish(e, "value", format);
  }
}

/**
 * Decodes the rows of a statement (`{ schema, rows }` of an `sql` result) into objects keyed by column
 * name; an unnamed column N is keyed `"N"`. Errors are `SatsError`s with paths like `rows[3].name`.
 */
export function decodeRows(schema: ProductType, rows: readonly unknown[], typespace?: Typespace): Record<string, unknown>[] {
  let row: Decoder;
  try {
    // Compiled once per schema object: a closure per column.
    row = compilerFor(typespace)({ Product: schema }, schema);
  } catch (e) {
    throw finish(e, "schema", format);
  }
  if (!Array.isArray(rows)) throw new SatsError("must be an array of rows", "rows");
  const out = new Array<Record<string, unknown>>(rows.length);
  let i = 0;
  try {
    for (; i < rows.length; i++) out[i] = row(rows[i]) as Record<string, unknown>;
  } catch (e) {
    throw finish(at(e, i), "rows", format);
  }
  return out;
}

function fail(reason: string): never {
  throw new SatsError(reason);
}

function build(t: AlgebraicType, compile: Compile): Decoder {
  const kind = kindOf(t);
  switch (kind) {
    case "Bool":
      return (v) => (typeof v === "boolean" ? v : fail("must be a boolean for Bool"));
    case "String":
      return (v) => (typeof v === "string" ? v : fail("must be a string for String"));
    case "I8":
    case "U8":
    case "I16":
    case "U16":
    case "I32":
    case "U32":
      return small(kind);
    case "I64":
    case "U64":
    case "I128":
    case "U128":
      return big(kind);
    case "I256":
    case "U256":
      return big256(kind);
    case "F32":
    case "F64":
      return (v) => (typeof v === "number" ? v : v === null ? NaN : typeof v === "bigint" ? Number(v) : fail(`must be a number for ${kind}`));
    case "Array": {
      const el = (t as { Array: AlgebraicType }).Array;
      if ("U8" in el) return bytes;
      return array(compile(el), typeName(t, compile.ts));
    }
    case "Product":
      return product((t as { Product: ProductType }).Product, compile);
    case "Sum":
      return sum((t as { Sum: SumType }).Sum, compile);
    default: // Ref: handled by the compiler
      return fail(`cannot decode ${kind}`);
  }
}

function small(kind: string): Decoder {
  const [min, max] = RANGES[kind]!.map(Number) as [number, number];
  return (v) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : fail(`must be an integer in [${min}, ${max}] for ${kind}`);
}

function big(kind: string): Decoder {
  const [min, max] = RANGES[kind]!;
  const low = min < 0n ? -Number.MAX_SAFE_INTEGER : 0;
  return (v) => {
    if (typeof v === "number") {
      if (v >= low && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) return BigInt(v);
      if (Number.isInteger(v) && !Number.isSafeInteger(v))
        fail(`is a number beyond 2^53 that has lost digits: parse the text with parseJson to keep ${kind} exact`);
    } else if (typeof v === "bigint" && v >= min && v <= max) return v;
    return fail(`must be an integer in range for ${kind}`);
  };
}

function big256(kind: string): Decoder {
  const [min, max] = RANGES[kind]!;
  return (v) => {
    const b = typeof v === "string" ? parseHexInt(v) : typeof v === "bigint" ? v : Number.isSafeInteger(v) ? BigInt(v as number) : undefined;
    return b !== undefined && b >= min && b <= max ? b : fail(`must be a "0x…" hex string in range for ${kind}`);
  };
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

export function hexToBytes(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = HEX_VALUE[s.charCodeAt(2 * i)] ?? -1;
    const lo = HEX_VALUE[s.charCodeAt(2 * i + 1)] ?? -1;
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const bytes: Decoder = (v) => {
  if (typeof v === "string") return hexToBytes(v) ?? fail("must be a hex string for Array<U8>");
  if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return Uint8Array.from(v as number[]);
  return fail("must be a hex string or an array of bytes for Array<U8>");
};

function array(el: Decoder, name: string): Decoder {
  return (v) => {
    if (!Array.isArray(v)) fail(`must be an array for ${name}`);
    const out = new Array<unknown>(v.length);
    let i = 0;
    try {
      for (; i < v.length; i++) out[i] = el(v[i]);
    } catch (e) {
      throw at(e, i);
    }
    return out;
  };
}

const HEX64 = /^0x[0-9a-f]{1,64}$/;

/** @internal the special products' conversions, shared with the one-pass row scanner (rows.ts). */
export const specials = {
  Identity(v: unknown): string {
    // The server writes a u256 as "0x" + lowercase hex without leading zeros (ethnum). The usual
    // identity has all 64 digits: keep that path cheap (shape only; the digits are not re-checked).
    if (typeof v === "string" && v.length === 66 && v.charCodeAt(0) === 48 && v.charCodeAt(1) === 120) return v.slice(2);
    if (typeof v === "string" && HEX64.test(v.toLowerCase())) return v.slice(2).toLowerCase().padStart(64, "0");
    return fail(`must be a "0x…" u256 hex string for Identity`);
  },
  ConnectionId: (v: unknown): string => u128(v, "ConnectionId").toString(16).padStart(32, "0"),
  Uuid(v: unknown): string {
    const h = u128(v, "Uuid").toString(16).padStart(32, "0");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  },
  Timestamp: (v: unknown): Timestamp => new Timestamp(i64(v, "Timestamp")),
  TimeDuration: (v: unknown): bigint => i64(v, "TimeDuration"),
};

const u128Dec = big("U128");
const i64Dec = big("I64");

function u128(v: unknown, name: string): bigint {
  try {
    return u128Dec(v) as bigint;
  } catch {
    return fail(`must be a u128 integer for ${name}`);
  }
}

function i64(v: unknown, name: string): bigint {
  try {
    return i64Dec(v) as bigint;
  } catch {
    return fail(`must be an i64 integer (micros) for ${name}`);
  }
}

function product(p: ProductType, compile: Compile): Decoder {
  const special = specialOf(p);
  if (special !== undefined) {
    const convert = specials[special];
    const tag = specialTag(special);
    return (v) => {
      if (Array.isArray(v) && v.length === 1) return convert(v[0]);
      if (typeof v === "object" && v !== null && tag in v) return convert((v as Record<string, unknown>)[tag]);
      return fail(`must be [value] for ${special}`);
    };
  }
  const n = p.elements.length;
  const keys = p.elements.map((e, i) => nameOf(e.name) ?? String(i));
  const decs = p.elements.map((e) => compile(e.algebraic_type));
  const name = typeName({ Product: p }, compile.ts);
  const literal = objectLiteral(keys);
  const named = (v: object) => {
    // The typed form, keyed by name.
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      try {
        const x = ownValue(v, k);
        setOwn(o, k, x === undefined ? fail("is missing") : decs[i]!(x));
      } catch (e) {
        throw at(e, k);
      }
    }
    return o;
  };
  return (v) => {
    if (!Array.isArray(v)) return typeof v === "object" && v !== null ? named(v) : fail(`must be an array for ${name}`);
    if (v.length !== n) fail(`must be an array of ${n} element${n === 1 ? "" : "s"} for ${name}`);
    if (literal !== undefined) {
      try {
        return literal(decs, v);
      } catch {
        // Decode again below, to learn which element failed.
      }
    }
    const o: Record<string, unknown> = {};
    let i = 0;
    try {
      for (; i < n; i++) setOwn(o, keys[i]!, decs[i]!(v[i]));
    } catch (e) {
      throw at(e, keys[i]!);
    }
    return o;
  };
}

type Literal = (decs: Decoder[], v: unknown[]) => Record<string, unknown>;
let codegen = true;
/** By key list, so that each new `sql` response with the same columns reuses the optimized code. */
const literals = new Map<string, Literal>();

/**
 * `(d, v) => ({ "k0": d[0](v[0]), … })`, built with `new Function`: V8 gives an object literal one
 * fixed shape, where a loop of `o[key] = …` stores costs ~4× as much per row. Undefined where eval is
 * not allowed (a CSP without 'unsafe-eval'): the loop then does the same work.
 */
function objectLiteral(keys: string[]): Literal | undefined {
  if (!codegen || keys.length === 0 || keys.length > 64 || keys.includes("__proto__")) return undefined;
  const id = JSON.stringify(keys);
  const known = literals.get(id);
  if (known !== undefined) return known;
  const body = keys.map((k, i) => `${JSON.stringify(k)}: d[${i}](v[${i}])`).join(", ");
  let literal: Literal;
  try {
    literal = new Function("d", "v", `"use strict"; return { ${body} };`) as Literal;
  } catch {
    codegen = false;
    return undefined;
  }
  // One object of nulls first: the shape's fields then hold any value as a plain reference, so a float
  // cell is not copied into a fresh heap number on every row.
  literal(keys.map(() => () => null), []);
  if (literals.size >= 256) literals.clear();
  literals.set(id, literal);
  return literal;
}

function sum(s: SumType, compile: Compile): Decoder {
  const someType = optionOf(s);
  if (someType !== undefined) {
    const some = compile(someType);
    const wrap = isOptionType(someType, compile.ts);
    const name = typeName({ Sum: s }, compile.ts);
    const decodeSome = (v: unknown) => {
      try {
        return wrap ? { some: some(v) } : some(v);
      } catch (e) {
        throw at(e, "some");
      }
    };
    return (v) => {
      if (Array.isArray(v) && v.length === 2) {
        if (v[0] === 0) return decodeSome(v[1]);
        if (v[0] === 1 && isUnit(v[1])) return undefined;
      } else if (v === null) return undefined;
      else if (typeof v === "object") {
        if ("some" in v) return decodeSome(v.some);
        if ("none" in v && isUnit(v.none)) return undefined;
      }
      return fail(`must be [0, value] or [1, []] for ${name}`);
    };
  }
  const n = s.variants.length;
  const tags = s.variants.map((v, i) => nameOf(v.name) ?? String(i));
  const decs = s.variants.map((v) => compile(v.algebraic_type));
  const name = typeName({ Sum: s }, compile.ts);
  const variant = (i: number, payload: unknown) => {
    try {
      return { tag: tags[i]!, value: decs[i]!(payload) };
    } catch (e) {
      throw at(e, tags[i]!);
    }
  };
  return (v) => {
    if (Array.isArray(v)) {
      const tag: unknown = v[0];
      if (v.length === 2 && typeof tag === "number" && Number.isInteger(tag) && tag >= 0 && tag < n) return variant(tag, v[1]);
    } else if (typeof v === "object" && v !== null) {
      // The typed form `{ "Variant": payload }` (or `{ "<tag>": payload }`).
      const keys = Object.keys(v);
      const k = keys[0];
      const i = k === undefined || keys.length !== 1 ? -1 : tags.indexOf(k) >= 0 ? tags.indexOf(k) : /^\d+$/.test(k) ? Number(k) : -1;
      if (i >= 0 && i < n) return variant(i, (v as Record<string, unknown>)[k!]);
    }
    return fail(`must be [tag, payload] with a tag below ${n} for ${name}`);
  };
}

function isUnit(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0;
}
