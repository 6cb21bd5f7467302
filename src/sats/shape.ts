/** Internal: reading SATS types (kinds, names, the special types) and formatting errors. */
import type { AlgebraicType, PrimitiveTypeName, ProductType, SumType, SumTypeVariant, Typespace } from "./types.js";
import { SatsError } from "./types.js";

export type Kind = "Ref" | "Sum" | "Product" | "Array" | PrimitiveTypeName;

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
    if (next === undefined || hops > 64) throw new SatsError(`refers to type ${t.Ref}, which the typespace does not have`);
    t = next;
  }
  return t;
}

export type Special = "Identity" | "ConnectionId" | "Timestamp" | "TimeDuration" | "Uuid";

const SPECIAL: Record<string, [Special, Kind]> = {
  __identity__: ["Identity", "U256"],
  __connection_id__: ["ConnectionId", "U128"],
  __timestamp_micros_since_unix_epoch__: ["Timestamp", "I64"],
  __time_duration_micros__: ["TimeDuration", "I64"],
  __uuid__: ["Uuid", "U128"],
};

/** The special product types, recognised like the server does: one element with the tag name and the
 *  exact inner type, refs not followed (crates/sats/src/product_type.rs). */
export function specialOf(p: ProductType): Special | undefined {
  if (p.elements.length !== 1) return undefined;
  const el = p.elements[0]!;
  const name = nameOf(el.name);
  const hit = name === undefined ? undefined : SPECIAL[name];
  return hit !== undefined && kindOf(el.algebraic_type) === hit[1] ? hit[0] : undefined;
}

export function specialTag(s: Special): string {
  for (const [tag, [name]] of Object.entries(SPECIAL)) if (name === s) return tag;
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

/** A short type name for messages: `U64`, `Option<String>`, `Array<U8>`, `Identity`, `(x: I32, y: I32)`. */
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
      return `(${els.join(", ")})`;
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
      return `(${names.join(" | ")})`;
    }
    default:
      return k;
  }
}

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
