/**
 * Encoding JS values (the representations of types.ts) into SATS-JSON that the server's deserializer
 * accepts for reducer and procedure arguments (crates/sats/src/de/serde.rs, de/impls.rs).
 *
 * The output has the untyped shape the server itself writes in `sql` rows: products are positional
 * arrays, sums are `[tag, payload]` (Option: `[0, v]` / `[1, []]`), Identity is `["0x<hex>"]`, u256/i256
 * are `"0x…"` strings, bytes are hex. 64/128-bit integers stay `bigint`: write the result with
 * the SDK's JSON writer (`writeJson` in src/core/serialize.ts), which prints their exact digits (the server rejects integers given as strings).
 */
import type { Compile } from "./shape.js";
import { RANGES, at, compiler, finish, isOptionType, kindOf, nameOf, optionOf, ownValue, parseHexInt, specialOf, typeName } from "./shape.js";
import type { AlgebraicType, ProductType, SumType, Typespace } from "../generated/schema.js";
import { SatsError, Timestamp } from "./types.js";

type Encoder = (value: unknown) => unknown;

const compilerFor = compiler(build);

/** Encodes one JS value as SATS-JSON of type `type` (to be written with `writeJson`). */
export function encodeSatsValue(type: AlgebraicType, value: unknown, typespace?: Typespace): unknown {
  try {
    return compilerFor(typespace)(type)(value);
  } catch (e) {
    throw finish(e, "value", (path, reason) => `${path} ${reason}`);
  }
}

/**
 * Orders named arguments by the reducer's (or procedure's) parameters and encodes each, giving the
 * positional JSON array the `call` route takes. An omitted argument of an Option type is none; any
 * other omission, an unknown name or a value that does not fit throws a `SatsError` such as
 * `missing argument "text" (String)`, `unknown argument "txt"` or
 * `argument "n" must be a bigint or integer for U64`.
 */
export function encodeArgs(params: ProductType, named: Record<string, unknown>, typespace?: Typespace): unknown[] {
  const compile = compilerFor(typespace);
  if (typeof named !== "object" || named === null || Array.isArray(named))
    throw new SatsError("the arguments must be an object keyed by parameter name", "arguments");
  const names = params.elements.map((e, i) => nameOf(e.name) ?? String(i));
  const known = new Set(names);
  for (const key of Object.keys(named)) {
    if (!known.has(key)) throw new SatsError(`unknown argument ${JSON.stringify(key)}`);
  }
  return params.elements.map((e, i) => {
    const name = names[i]!;
    const value = ownValue(named, name);
    if (value === undefined && !isOptionType(e.algebraic_type, typespace))
      throw new SatsError(`missing argument ${JSON.stringify(name)} (${typeName(e.algebraic_type, typespace)})`);
    try {
      return compile(e.algebraic_type)(value);
    } catch (err) {
      throw finish(err, name, (path, reason) => `argument ${JSON.stringify(path)} ${reason}`);
    }
  });
}

function fail(reason: string): never {
  throw new SatsError(reason);
}

/** A bigint, or a number that is a safe integer, as a bigint in range; else a SatsError. */
function toBigInt(v: unknown, kind: string): bigint {
  const [min, max] = RANGES[kind]!;
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isInteger(v)) {
    if (!Number.isSafeInteger(v)) fail(`must be a bigint (this number is beyond 2^53 and may have lost digits) for ${kind}`);
    b = BigInt(v);
  } else return fail(`must be a bigint or integer for ${kind}`);
  if (b < min || b > max) fail(`is out of range for ${kind} [${min}, ${max}]`);
  return b;
}

const hex256 = (b: bigint) => (b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`);

function build(t: AlgebraicType, compile: Compile): Encoder {
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
      return (v) => Number(toBigInt(v, kind));
    case "I64":
    case "U64":
    case "I128":
    case "U128":
      // A safe number is written as is; a bigint stays a bigint for the JSON writer.
      return (v) => (typeof v === "number" ? (toBigInt(v, kind), v === 0 ? 0 : v) : toBigInt(v, kind));
    case "I256":
    case "U256":
      // ethnum reads only "0x…" / "-0x…" strings.
      return (v) => hex256(toBigInt(typeof v === "string" ? (parseHexInt(v) ?? v) : v, kind));
    case "F32":
    case "F64":
      // NaN and ±infinity become null, as in JSON.stringify: the server cannot take them (a documented loss).
      return (v) => (typeof v === "number" ? (Number.isFinite(v) ? v : null) : fail(`must be a number for ${kind}`));
    case "Array": {
      const el = (t as { Array: AlgebraicType }).Array;
      if ("U8" in el) return bytes;
      const enc = compile(el);
      const name = typeName(t, compile.ts);
      return (v) => {
        if (!Array.isArray(v)) fail(`must be an array for ${name}`);
        return v.map((x, i) => {
          try {
            return enc(x);
          } catch (e) {
            throw at(e, i);
          }
        });
      };
    }
    case "Product":
      return product((t as { Product: ProductType }).Product, compile);
    case "Sum":
      return sum((t as { Sum: SumType }).Sum, compile);
    default: // Ref: handled by the compiler
      return fail(`cannot encode ${kind}`);
  }
}

const HEX = "0123456789abcdef";

const bytes: Encoder = (v) => {
  const arr = v instanceof Uint8Array ? v : Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? v : undefined;
  if (arr === undefined) fail("must be a Uint8Array (or an array of bytes) for Array<U8>");
  let s = "";
  for (const b of arr as ArrayLike<number> & Iterable<number>) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
};

const HEX_DIGITS = /^(?:0x)?([0-9a-fA-F]+)$/;

/** Hex text (optional `0x`, at most `digits` digits), or a bigint / safe integer, as a bigint. */
function hexOrInt(v: unknown, digits: number, name: string, hint: string): bigint {
  if (typeof v === "string") {
    const m = HEX_DIGITS.exec(v);
    if (m !== null && m[1]!.length <= digits) return BigInt(`0x${m[1]}`);
  } else if (typeof v === "bigint" || typeof v === "number") {
    try {
      return toBigInt(v, digits === 64 ? "U256" : "U128");
    } catch {
      // fall through to the message below
    }
  }
  return fail(`must be ${hint} for ${name}`);
}

const UUID = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/;

const specials = {
  Identity: (v: unknown) => [`0x${hexOrInt(v, 64, "Identity", "a hex string of up to 64 digits or a bigint").toString(16)}`],
  ConnectionId: (v: unknown) => [hexOrInt(v, 32, "ConnectionId", "a hex string of up to 32 digits or a bigint")],
  Uuid(v: unknown) {
    const m = typeof v === "string" ? UUID.exec(v) : null;
    return [m !== null ? BigInt(`0x${m.slice(1).join("")}`) : hexOrInt(v, 32, "Uuid", "a UUID string, 32 hex digits or a bigint")];
  },
  Timestamp(v: unknown) {
    if (v instanceof Timestamp) return [v.microsSinceUnixEpoch];
    if (v instanceof Date) {
      const ms = v.getTime();
      if (Number.isNaN(ms)) fail("is an invalid Date");
      return [BigInt(ms) * 1000n];
    }
    if (typeof v === "object" && v !== null && typeof (v as Timestamp).microsSinceUnixEpoch === "bigint")
      return [toBigInt((v as Timestamp).microsSinceUnixEpoch, "I64")];
    if (typeof v === "bigint") return [toBigInt(v, "I64")];
    return fail("must be a Timestamp, a Date or a bigint of microseconds since the Unix epoch for Timestamp");
  },
  TimeDuration(v: unknown) {
    if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) return [toBigInt(v, "I64")];
    return fail("must be a bigint or integer of microseconds for TimeDuration");
  },
};

function product(p: ProductType, compile: Compile): Encoder {
  const special = specialOf(p);
  if (special !== undefined) return specials[special];
  const keys = p.elements.map((e, i) => nameOf(e.name) ?? String(i));
  const fields = new Set(keys);
  const encs = p.elements.map((e) => compile(e.algebraic_type));
  const optional = p.elements.map((e) => isOptionType(e.algebraic_type, compile.ts));
  const name = typeName({ Product: p }, compile.ts);
  return (v) => {
    if (keys.length === 0 && v === undefined) return []; // unit
    if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Uint8Array)
      return fail(`must be an object with ${keys.length === 0 ? "no fields" : `fields ${keys.join(", ")}`} for ${name}`);
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) if (!fields.has(k)) throw at(new SatsError(`is not a field of ${name}`), k);
    return keys.map((k, i) => {
      try {
        const x = ownValue(obj, k);
        if (x === undefined && !optional[i]) fail("is missing");
        return encs[i]!(x);
      } catch (e) {
        throw at(e, k);
      }
    });
  };
}

function sum(s: SumType, compile: Compile): Encoder {
  const someType = optionOf(s);
  if (someType !== undefined) {
    const some = compile(someType);
    const nested = isOptionType(someType, compile.ts);
    return (v) => {
      if (v === undefined || v === null) return [1, []];
      if (nested && !(typeof v === "object" && "some" in v))
        fail(`must be undefined or { some: … } for ${typeName({ Sum: s }, compile.ts)} (an Option of an Option)`);
      try {
        return [0, some(nested ? (v as { some: unknown }).some : v)];
      } catch (e) {
        throw at(e, "some");
      }
    };
  }
  const tags = s.variants.map((v, i) => nameOf(v.name) ?? String(i));
  const encs = s.variants.map((v) => compile(v.algebraic_type));
  const units = s.variants.map((v) => "Product" in v.algebraic_type && v.algebraic_type.Product.elements.length === 0);
  const name = typeName({ Sum: s }, compile.ts);
  return (v) => {
    // `{ tag, value }`; a unit variant may also be given as its bare name.
    const tag: unknown = typeof v === "string" ? v : typeof v === "object" && v !== null ? (v as { tag?: unknown }).tag : undefined;
    const i = typeof tag === "number" ? tag : tags.indexOf(tag as string);
    if (!(i >= 0 && i < tags.length) || (typeof v === "string" && !units[i]))
      return fail(`must be { tag, value } with tag one of ${tags.map((t) => JSON.stringify(t)).join(", ")} for ${name}`);
    const payload = typeof v === "string" ? undefined : (v as { value?: unknown }).value;
    try {
      return [i, units[i] && payload === undefined ? [] : encs[i]!(payload)];
    } catch (e) {
      throw at(e, tags[i]!);
    }
  };
}
