import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonExact } from "../../../src/sats/json.js";
import { parseJson } from "../../../src/sats/index.js";
import { writeJson } from "../../../src/core/serialize.js";

const SEED = { seed: 0x5a75, numRuns: 300 };

describe("parseJson", () => {
  it("is JSON.parse when no integer needs more than 53 bits", () => {
    const text = '{"a":[1,-2,3.5,1e300,"x"],"b":{"c":null,"d":true},"e":9007199254740991,"f":-9007199254740991}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(parseJson(text)).toEqual({ a: [1, -2, 3.5, 1e300, "x"], b: { c: null, d: true }, e: 9007199254740991, f: -9007199254740991 });
  });

  it("keeps u64, i64, u128 and i128 literals exact as bigint", () => {
    const text =
      '[18446744073709551615,-9223372036854775808,340282366920938463463374607431768211455,-170141183460469231731687303715884105728,9007199254740993]';
    expect(JSON.parse(text)[4]).toBe(9007199254740992); // the loss this guards against
    expect(parseJson(text)).toEqual([
      18446744073709551615n,
      -9223372036854775808n,
      340282366920938463463374607431768211455n,
      -170141183460469231731687303715884105728n,
      9007199254740993n,
    ]);
  });

  it("turns exactly the unsafe integers into bigint (2^53 - 1 stays a number, 2^53 does not)", () => {
    expect(parseJson("[9007199254740991, 9007199254740992, -9007199254740992]")).toEqual([
      9007199254740991,
      9007199254740992n,
      -9007199254740992n,
    ]);
  });

  it("handles whitespace, object values, a top-level literal and nesting", () => {
    expect(parseJson(' { "n" :\n\t 12345678901234567890 , "m": [ [ -12345678901234567890 ] ] } ')).toEqual({
      n: 12345678901234567890n,
      m: [[-12345678901234567890n]],
    });
    expect(parseJson("12345678901234567890")).toBe(12345678901234567890n);
    expect(parseJson("  -12345678901234567890  ")).toBe(-12345678901234567890n);
  });

  it("leaves long floats as numbers", () => {
    expect(parseJson("[12345678901234567890.5, 12345678901234567890e2, 1234567890123456789E-3]")).toEqual([
      12345678901234567890.5, 12345678901234567890e2, 1234567890123456789e-3,
    ]);
  });

  it("is not fooled by digits inside strings", () => {
    const text = '["a,12345678901234567890", {"k:12345678901234567890": ":12345678901234567890"}, 12345678901234567890]';
    expect(parseJson(text)).toEqual(["a,12345678901234567890", { "k:12345678901234567890": ":12345678901234567890" }, 12345678901234567890n]);
    expect(parseJson('["[12345678901234567890]"]')).toEqual(["[12345678901234567890]"]);
  });

  it("falls back to the exact parser when the text holds the marker escape", () => {
    const text = '["\\u000112345678901234567890", 12345678901234567890, "\\u0001"]';
    expect(parseJson(text)).toEqual(["\u000112345678901234567890", 12345678901234567890n, "\u0001"]);
  });

  it("keeps a __proto__ key an own property", () => {
    const value = parseJson('{"__proto__": 12345678901234567890, "x": 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toBe(12345678901234567890n);
  });

  it("rejects what JSON.parse rejects, on both paths", () => {
    for (const bad of ["", "[1,]", "{", '{"a" 1}', "[01234567890123456789]", "[12345678901234567890", '"\\x"', "[1] x", "tru"]) {
      expect(() => parseJson(bad), bad).toThrow(SyntaxError);
      expect(() => parseJsonExact(bad), bad).toThrow(SyntaxError);
    }
  });

  it("agrees with JSON.parse, except that unsafe integer literals become bigint (property)", () => {
    // JSON.stringify writes an unsafe integer as its shortest digits (or in exponent form: a float).
    const expected = (v: unknown): unknown =>
      typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v) && !/e/.test(String(v)) ? BigInt(String(v))
      : Array.isArray(v) ? v.map(expected)
      : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]))
      : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const want = expected(JSON.parse(text));
        expect(parseJson(text)).toEqual(want);
        expect(parseJsonExact(text)).toEqual(want);
      }),
      SEED,
    );
  });

  it("reads back any bigint written by writeJson, in any position (property)", () => {
    const big = fc.bigInt({ min: -(1n << 130n), max: 1n << 130n });
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        big,
        fc.string(),
        fc.integer(),
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("node"), { maxKeys: 4 }),
      ),
    })).node;
    const norm = (v: unknown): unknown =>
      typeof v === "bigint" ? (Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? Number(v) : v)
      : Array.isArray(v) ? v.map(norm)
      : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]))
      : v;
    fc.assert(
      fc.property(tree, (value) => {
        const text = writeJson(value)!;
        expect(parseJson(text)).toEqual(norm(value));
        expect(parseJsonExact(text)).toEqual(norm(value));
      }),
      SEED,
    );
  });
});

describe("stringifyJson", () => {
  it("writes bigint as exact digits, never through a float", () => {
    expect(writeJson([18446744073709551615n, -170141183460469231731687303715884105728n, 0n])).toBe(
      "[18446744073709551615,-170141183460469231731687303715884105728,0]",
    );
    expect(writeJson({ a: 12345678901234567891n })).toBe('{"a":12345678901234567891}');
  });

  it("matches JSON.stringify for plain JSON values (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Only -0 differs (written "-0"; see below).
        const expected = JSON.stringify(value, (_, v: unknown) => (Object.is(v, -0) ? "\u0000-0" : v)).replaceAll('"\\u0000-0"', "-0");
        expect(writeJson(value)).toBe(expected);
      }),
      SEED,
    );
  });

  it("follows JSON.stringify for undefined, functions, toJSON and non-finite numbers", () => {
    const date = new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6));
    const value = { u: undefined, f: () => 1, d: date, arr: [undefined, () => 1, NaN, Infinity], n: null, s: "é\n\u2028" };
    expect(writeJson(value)).toBe(JSON.stringify(value));
    expect(writeJson(new Number(3))).toBe("3");
  });

  it("writes -0 as -0, so a float keeps its sign (serde_json reads it as -0.0)", () => {
    expect(writeJson([-0, 0])).toBe("[-0,0]");
    expect(Object.is(parseJson("-0"), -0)).toBe(true);
  });

  it("throws on cycles and gives undefined for values JSON cannot hold, as JSON.stringify does", () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => writeJson(cyclic)).toThrow(TypeError);
    expect(writeJson(undefined)).toBeUndefined();
    expect(writeJson(() => 1)).toBeUndefined();
    // The same object twice is not a cycle.
    const shared = { a: 1 };
    expect(writeJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });
});
