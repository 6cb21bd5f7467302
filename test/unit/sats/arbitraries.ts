/** fast-check generators of SATS types and of values of a type (in the decoded representation). */
import fc from "fast-check";
import type { AlgebraicType } from "../../../src/sats/index.js";
import { Timestamp } from "../../../src/sats/index.js";
import { INTS, SMALL, T, array, bytes, connectionId, identity, option, prod, result, scheduleAt, sum, timeDuration, timestamp, unit, uuid } from "./fixtures.js";

const NAMES = ["a", "b", "c", "d"];
const hexBytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString("hex"));

const LEAVES: AlgebraicType[] = [...Object.values(T), bytes, unit, identity, connectionId, uuid, timestamp, timeDuration, scheduleAt];

export const typeArb: fc.Arbitrary<AlgebraicType> = fc.letrec<{ type: AlgebraicType }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    tie("type").map(array),
    tie("type").map(option),
    fc.tuple(tie("type"), tie("type")).map(([ok, err]) => result(ok, err)),
    fc
      .array(fc.tuple(fc.option(fc.constantFrom(...NAMES), { nil: undefined }), tie("type")), { maxLength: 3 })
      .map((els) => prod(...els.map(([n, t], i): [string | undefined, AlgebraicType] => [n === undefined ? undefined : `${n}${i}`, t]))),
    fc
      .array(fc.tuple(fc.option(fc.constantFrom(...NAMES.map((n) => n.toUpperCase())), { nil: undefined }), tie("type")), { minLength: 1, maxLength: 3 })
      .map((vs) => sum(...vs.map(([n, t], i): [string | undefined, AlgebraicType] => [n === undefined ? undefined : `${n}${i}`, t]))),
  ),
})).type;

/** Values of `type` in the decoded representation. */
export function valueArb(t: AlgebraicType): fc.Arbitrary<unknown> {
  if (t === identity) return hexBytes(32);
  if (t === connectionId) return hexBytes(16);
  if (t === uuid) return hexBytes(16).map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  if (t === timestamp) return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => new Timestamp(b));
  if (t === timeDuration) return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  if ("Bool" in t) return fc.boolean();
  if ("String" in t) return fc.string({ unit: "binary", maxLength: 8 });
  if ("F32" in t) return fc.float({ noDefaultInfinity: true });
  if ("F64" in t) return fc.double({ noDefaultInfinity: true });
  for (const [name, min, max] of INTS) if (name.toUpperCase() in t) return SMALL.has(name) ? fc.integer({ min: Number(min), max: Number(max) }) : fc.bigInt({ min, max });
  if ("Array" in t) return "U8" in t.Array ? fc.uint8Array({ maxLength: 6 }) : fc.array(valueArb(t.Array), { maxLength: 3 });
  if ("Product" in t) {
    const fields = t.Product.elements.map((e, i) => ["some" in e.name ? e.name.some : String(i), valueArb(e.algebraic_type)] as const);
    return fc.record(Object.fromEntries(fields));
  }
  if ("Sum" in t) {
    const isOption = (s: typeof t.Sum) => s.variants.map((v) => ("some" in v.name ? v.name.some : "")).join() === "some,none";
    if (isOption(t.Sum)) {
      const inner = t.Sum.variants[0]!.algebraic_type;
      const nested = "Sum" in inner && isOption(inner.Sum);
      return fc.option(nested ? valueArb(inner).map((x) => ({ some: x })) : valueArb(inner), { nil: undefined });
    }
    return fc.oneof(
      ...t.Sum.variants.map((v, i) => valueArb(v.algebraic_type).map((value) => ({ tag: "some" in v.name ? v.name.some : String(i), value }))),
    );
  }
  throw new Error(`no generator for ${JSON.stringify(t)}`);
}
