import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonReader } from "../../../src/sats/json-reader.js";
import { MAX_JSON_DEPTH, jsonDepthExceeds, parseJson } from "../../../src/sats/index.js";
import { writeJson } from "../../../src/core/serialize.js";

const SEED = { seed: 0x5a75, numRuns: 300 };

/** A whole text through the reader (what parseJson does with a text that holds a long integer). */
function read(text: string): unknown {
  const reader = new JsonReader(text);
  const value = reader.value();
  reader.end();
  return value;
}

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

  it("reads a text that holds \\u0001 escapes beside long integers", () => {
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
      expect(() => read(bad), bad).toThrow(SyntaxError);
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
        expect(read(text)).toEqual(want);
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
        expect(read(text)).toEqual(norm(value));
      }),
      SEED,
    );
  });
});

describe("nesting depth", () => {
  const nested = (levels: number, inner = "1") => "[".repeat(levels) + inner + "]".repeat(levels);
  const objects = (levels: number) => '{"a":'.repeat(levels) + "1" + "}".repeat(levels);

  it(`reads ${MAX_JSON_DEPTH} levels and refuses one more, on both paths, naming the limit`, () => {
    for (const inner of ["1", "12345678901234567890"]) {
      expect(() => parseJson(nested(MAX_JSON_DEPTH, inner))).not.toThrow();
      expect(() => parseJson(nested(MAX_JSON_DEPTH + 1, inner))).toThrow(new SyntaxError(`JSON nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`).message);
      expect(() => parseJson(objects(MAX_JSON_DEPTH + 1))).toThrow(SyntaxError);
    }
    // The reader says where, and stops there: a deep text costs no more than its first levels.
    expect(() => read(`[${nested(MAX_JSON_DEPTH)}]`)).toThrow(/more than 256 levels deep \(at position 256\)/);
  });

  it("jsonDepthExceeds counts arrays and objects, not brackets inside strings", () => {
    expect(jsonDepthExceeds(nested(3), 3)).toBe(false);
    expect(jsonDepthExceeds(nested(4), 3)).toBe(true);
    expect(jsonDepthExceeds(`[{"a":[1]},[2],{"b":{}}]`, 3)).toBe(false);
    expect(jsonDepthExceeds(`[{"a":[{}]}]`, 3)).toBe(true);
    expect(jsonDepthExceeds(`["[[[[", "\\"[[[[", "\\\\", [[1]]]`, 3)).toBe(false);
    expect(jsonDepthExceeds(`["\\\\", [[[1]]]]`, 3)).toBe(true); // an escaped backslash does not escape the quote
    expect(jsonDepthExceeds(`["[[[[[`, 3)).toBe(false); // an unclosed string: nothing nests after it
  });

  it("agrees with a plain count on any JSON (property)", () => {
    const depth = (v: unknown): number =>
      Array.isArray(v) ? 1 + Math.max(0, ...v.map(depth)) : typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, limit) => {
        expect(jsonDepthExceeds(JSON.stringify(value), limit)).toBe(depth(value) > limit);
      }),
      SEED,
    );
  });
});

describe("JsonReader", () => {
  it("starts at an offset, stops right after the value, and resumes", () => {
    const text = 'x {"a": [1, 12345678901234567890]} , "next"';
    const reader = new JsonReader(text, 1);
    expect(reader.value()).toEqual({ a: [1, 12345678901234567890n] });
    expect(text.slice(reader.pos)).toBe(' , "next"');
    reader.skipSpace();
    reader.expect(44);
    expect(reader.value()).toBe("next");
    expect(() => reader.end()).not.toThrow();
  });

  it("reads numbers into num, numKind and numberText", () => {
    const reader = new JsonReader("-123,12345678901234567,1.5e3");
    reader.number();
    expect([reader.num, reader.numKind, reader.numberText()]).toEqual([-123, 0, "-123"]);
    reader.expect(44);
    reader.number();
    expect([reader.numKind, reader.numberText()]).toEqual([1, "12345678901234567"]);
    reader.expect(44);
    reader.number();
    expect([reader.num, reader.numKind]).toEqual([1500, 2]);
  });
});

describe("writeJson", () => {
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

  it("finds a bigint or -0 wherever it is: behind toJSON (of an object or a function), 60 and 100 levels down", () => {
    expect(writeJson({ a: { toJSON: () => [-0, 1n] } })).toBe('{"a":[-0,1]}');
    expect(writeJson({ a: Object.assign(() => 1, { toJSON: () => -0 }), b: Object.assign(() => 1, { toJSON: () => 5n }) })).toBe('{"a":-0,"b":5}');
    for (const levels of [60, 100]) {
      let deep: unknown = [-0, 2n];
      for (let i = 0; i < levels; i++) deep = { d: deep };
      expect(writeJson(deep)).toBe(`${'{"d":'.repeat(levels)}[-0,2]${"}".repeat(levels)}`);
    }
  });

  it("reads what JSON.stringify reads: array indices (not an iterator), own keys (not inherited ones)", () => {
    const array = [1n, -0];
    (array as unknown as { [Symbol.iterator]: () => Iterator<unknown> })[Symbol.iterator] = function* () {};
    expect(writeJson(array)).toBe("[1,-0]");
    const inherited = Object.create({ n: 2n, get boom(): never { throw new Error("read") } }) as object;
    expect(writeJson(inherited)).toBe("{}");
  });

  it("writes what the replacer alone writes, for any value (property)", () => {
    // The careful path by itself, as writeJson was before its fast path: the oracle.
    const careful = (value: unknown): string | undefined => {
      const numbers: string[] = [];
      const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `\u0000${numbers.push(v.toString()) - 1}` : Object.is(v, -0) ? `\u0000${numbers.push("-0") - 1}` : v));
      return text?.replace(/"\\u0000(\d+)"/g, (_m, i: string) => numbers[Number(i)]!);
    };
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }), (value) => {
        fc.pre(!JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? 0 : v))?.includes("\\u0000")); // the oracle's marker
        expect(writeJson(value)).toBe(careful(value));
      }),
      SEED,
    );
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
