/** Internal: reading SATS types (kinds, names, the special types) and formatting errors. */
import type { AlgebraicType, ProductType, SumType, SumTypeVariant, Typespace } from "../generated/schema.js";
import { SatsError } from "./types.js";

/** The one key of each form of `AlgebraicType`: "Ref", "Sum", "Product", "Array", "String", "U64", … */
export type Kind = AlgebraicType extends infer T ? (T extends unknown ? keyof T : never) : never;

const KINDS = new Set<string>([
  "Ref", "Sum", "Product", "Array", "String", "Bool", "I8", "U8", "I16", "U16", "I32", "U32",
  "I64", "U64", "I128", "U128", "I256", "U256", "F32", "F64",
]);

/** The one key of a typed-SATS `AlgebraicType`; throws on anything else. */
export function kindOf(t: unknown): Kind {
  if (typeof t === "object" && t !== null && !Array.isArray(t)) {
    const keys = Object.keys(t);
    if (keys.length === 1 && KINDS.has(keys[0]!)) return keys[0] as Kind;
  }
  throw new SatsError(`is not a SATS AlgebraicType: ${JSON.stringify(t)?.slice(0, 80)}`);
}

/** An element or variant name: `{some: "x"}`, `{none: []}`; a bare string is tolerated. */
export function nameOf(name: unknown): string | undefined {
  if (typeof name === "string") return name;
  if (typeof name === "object" && name !== null && "some" in name && typeof name.some === "string") return name.some;
  return undefined;
}

/** Follows `Ref`s (cycles of bare refs throw). */
export function resolve(t: AlgebraicType, ts: Typespace | undefined): AlgebraicType {
  for (let hops = 0; "Ref" in t; hops++) {
    const next = ts?.types[t.Ref];
    if (next === undefined) throw new SatsError(`refers to type ${t.Ref}, which the typespace does not have`);
    if (hops > 64) throw new SatsError(`refers to type ${t.Ref}, a cycle of references`);
    t = next;
  }
  return t;
}

export type Special = "Identity" | "ConnectionId" | "Timestamp" | "TimeDuration" | "Uuid";

const SPECIAL = new Map<string, [Special, Kind]>([
  ["__identity__", ["Identity", "U256"]],
  ["__connection_id__", ["ConnectionId", "U128"]],
  ["__timestamp_micros_since_unix_epoch__", ["Timestamp", "I64"]],
  ["__time_duration_micros__", ["TimeDuration", "I64"]],
  ["__uuid__", ["Uuid", "U128"]],
]);

/** The special product types, recognised like the server does: one element with the tag name and the
 *  exact inner type, refs not followed (crates/sats/src/product_type.rs). */
export function specialOf(p: ProductType): Special | undefined {
  if (p.elements.length !== 1) return undefined;
  const el = p.elements[0]!;
  const name = nameOf(el.name);
  const hit = name === undefined ? undefined : SPECIAL.get(name);
  return hit !== undefined && kindOf(el.algebraic_type) === hit[1] ? hit[0] : undefined;
}

export function specialTag(s: Special): string {
  for (const [tag, [name]] of SPECIAL) if (name === s) return tag;
  return "";
}

const isUnit = (t: AlgebraicType) => "Product" in t && t.Product.elements.length === 0;
const variantIs = (v: SumTypeVariant | undefined, name: string) => v !== undefined && nameOf(v.name) === name;

/** `Option<T>`: exactly `some(T) | none(())`, in that order (crates/sats/src/sum_type.rs). Returns T. */
export function optionOf(s: SumType): AlgebraicType | undefined {
  const [some, none] = s.variants;
  return s.variants.length === 2 && variantIs(some, "some") && variantIs(none, "none") && isUnit(none!.algebraic_type)
    ? some!.algebraic_type
    : undefined;
}

/** Whether `t` (refs followed) is an Option: then an enclosing Option must wrap its `some`. */
export function isOptionType(t: AlgebraicType, ts: Typespace | undefined): boolean {
  const r = resolve(t, ts);
  return "Sum" in r && optionOf(r.Sum) !== undefined;
}

/** A short type name for messages: `U64`, `Option<String>`, `Array<U8>`, `Identity`, `{ x: I32, y: I32 }`,
 *  `Red | Rgb` (a sum, by variant names), `()` (unit). */
export function typeName(t: AlgebraicType, ts?: Typespace, depth = 0): string {
  if (depth > 3) return "…";
  const k = kindOf(t);
  switch (k) {
    case "Ref": {
      const r = ts?.types[(t as { Ref: number }).Ref];
      return r === undefined ? `Ref(${(t as { Ref: number }).Ref})` : typeName(r, ts, depth + 1);
    }
    case "Array":
      return `Array<${typeName((t as { Array: AlgebraicType }).Array, ts, depth + 1)}>`;
    case "Product": {
      const p = (t as { Product: ProductType }).Product;
      const special = specialOf(p);
      if (special !== undefined) return special;
      const els = p.elements.map((e, i) => `${nameOf(e.name) ?? i}: ${typeName(e.algebraic_type, ts, depth + 1)}`);
      return els.length === 0 ? "()" : `{ ${els.join(", ")} }`;
    }
    case "Sum": {
      const s = (t as { Sum: SumType }).Sum;
      const some = optionOf(s);
      if (some !== undefined) return `Option<${typeName(some, ts, depth + 1)}>`;
      const names = s.variants.map((v, i) => nameOf(v.name) ?? String(i));
      if (names.join() === "Interval,Time") return "ScheduleAt";
      if (names.join() === "ok,err") {
        const [ok, err] = s.variants.map((v) => typeName(v.algebraic_type, ts, depth + 1));
        return `Result<${ok}, ${err}>`;
      }
      return names.join(" | ");
    }
    default:
      return k;
  }
}

/** `obj[key] = value` as an own property, even for the key `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** `obj[key]` if it is an own property (so `__proto__` never reads the prototype). */
export const ownValue = (obj: object, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Adds a path segment to an error unwinding out of a nested value (wrapping a non-SATS error). */
export function at(e: unknown, segment: string | number): SatsError {
  const err = e instanceof SatsError ? e : new SatsError(e instanceof Error ? e.message : String(e));
  err.segments.push(segment);
  return err;
}

/** Formats the path of an error that reached the top: `root` then the segments, outermost first. */
export function finish(e: unknown, root: string, format: (path: string, reason: string) => string): SatsError {
  const err = at(e, root);
  let path = "";
  for (let i = err.segments.length - 1; i >= 0; i--) {
    const s = err.segments[i]!;
    path += typeof s === "number" ? `[${s}]` : path === "" ? s : IDENT.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  }
  err.segments = [];
  err.path = path;
  err.message = format(path, err.reason);
  return err;
}

const HEX_INT = /^-?0x[0-9a-fA-F]+$/;

/** `"0x…"` / `"-0x…"` (how ethnum writes u256/i256) → bigint, or undefined. */
export function parseHexInt(s: string): bigint | undefined {
  if (!HEX_INT.test(s)) return undefined;
  return s.charCodeAt(0) === 45 ? -BigInt(s.slice(1)) : BigInt(s);
}

/** Inclusive ranges of the integer kinds. */
export const RANGES: Record<string, [bigint, bigint]> = {};
for (const bits of [8n, 16n, 32n, 64n, 128n, 256n]) {
  RANGES[`I${bits}`] = [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  RANGES[`U${bits}`] = [0n, (1n << bits) - 1n];
}

type Fn = (value: unknown) => unknown;

/** A cache of one compiled function per type object, per typespace; `Ref`s compile lazily, so that
 *  recursive types work. `build` makes the function of any other type. */
export function compiler(build: (t: AlgebraicType, compile: Compile) => Fn): (ts: Typespace | undefined) => Compile {
  const byTypespace = new WeakMap<object, Compile>();
  const NONE = {};
  return (ts) => {
    const cached = byTypespace.get(ts ?? NONE);
    if (cached !== undefined) return cached;
    const memo = new WeakMap<object, Fn>();
    const refs = new Map<number, Fn>();
    const compile: Compile = Object.assign(
      (t: AlgebraicType, key: object = t): Fn => {
        let fn = memo.get(key);
        if (fn !== undefined) return fn;
        if (kindOf(t) === "Ref") {
          const ref = (t as { Ref: number }).Ref;
          const target = resolve(t, ts); // throws now on a dangling ref
          let inner: Fn | undefined;
          fn = refs.get(ref) ?? ((v: unknown) => (inner ??= compile(target))(v));
          refs.set(ref, fn);
        } else fn = build(t, compile);
        memo.set(key, fn);
        return fn;
      },
      { ts },
    );
    byTypespace.set(ts ?? NONE, compile);
    return compile;
  };
}

export interface Compile {
  /** The function for `t`, cached under `key` (default: `t` itself). */
  (t: AlgebraicType, key?: object): Fn;
  ts: Typespace | undefined;
}
