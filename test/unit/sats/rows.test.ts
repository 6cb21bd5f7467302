/**
 * The one-pass `sql` decoder (rows.ts) against the general path (`parseJson` + `decodeRows`): the
 * same rows for any schema and values, the server's compact text read in one pass (JSON.parse never
 * sees it), the general path (with its errors) for everything else, and the same rows where code
 * generation from strings is refused (a CSP without 'unsafe-eval'), in a node:vm context.
 */
import { resolve } from "node:path";
import { inspect } from "node:util";
import { createContext, runInContext } from "node:vm";
import { buildSync } from "esbuild";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import type { AlgebraicType, ProductType } from "../../../src/sats/index.js";
import * as codec from "../../../src/sats/index.js";
import { SatsError, Timestamp, decodeRows, decodeSql, encodeSatsValue, parseJson } from "../../../src/sats/index.js";
import { writeJson } from "../../../src/core/serialize.js";
import { typeArb, valueArb } from "./arbitraries.js";
import { T, bytes, connectionId, identity, option, product, result, sum, timeDuration, timestamp, unit, uuid } from "./fixtures.js";

type Rows = Record<string, unknown>[][];

/** Today's path: lossless parse, then decode each statement. */
const general = (text: string): Rows => (parseJson(text) as { schema: ProductType; rows: unknown[] }[]).map((s) => decodeRows(s.schema, s.rows));

/** An `sql` answer as the server writes it: compact, schema first. */
function answer(...statements: [ProductType, unknown[]][]): string {
  const one = ([schema, rows]: [ProductType, unknown[]]) =>
    `{"schema":${JSON.stringify(schema)},"rows":[${rows.map((r) => writeJson(encodeSatsValue({ Product: schema }, r))).join(",")}],"total_duration_micros":12,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}`;
  return `[${statements.map(one).join(",")}]`;
}

/** Whether decoding `text` gave the whole text to JSON.parse (the general path does; the scan does not). */
function parsedWhole(decode: () => unknown, text: string): boolean {
  const spy = vi.spyOn(JSON, "parse");
  try {
    decode();
    return spy.mock.calls.some(([t]) => t === text);
  } finally {
    spy.mockRestore();
  }
}

/** Both decoders agree, and the text was read in one pass. */
function same(text: string): Rows {
  const expected = general(text);
  const rows = decodeSql(text);
  expect(rows).toStrictEqual(expected);
  expect(parsedWhole(() => decodeSql(text), text)).toBe(false);
  return rows;
}

/** The codec, bundled and run in a context that refuses code generation from strings (`new Function`). */
function codecWithoutEval(): typeof codec {
  const entry = resolve(import.meta.dirname, "../../../src/sats/index.ts");
  const [bundle] = buildSync({ entryPoints: [entry], bundle: true, format: "iife", globalName: "sats", keepNames: true, write: false }).outputFiles;
  const context = createContext({}, { codeGeneration: { strings: false, wasm: false } });
  expect(() => runInContext("new Function('return 1')", context)).toThrow(/Code generation from strings disallowed/);
  runInContext(bundle!.text, context);
  return (context as { sats: typeof codec }).sats;
}
const shown = (value: unknown) => inspect(value, { depth: Infinity });

const schemaArb = fc
  .array(fc.tuple(fc.option(fc.constantFrom("id", "name", "x", "y", "z", "__proto__", "a b", "é"), { nil: undefined }), typeArb), { minLength: 1, maxLength: 5 })
  .map((cols) => product(...cols.map(([n, t], i): [string | undefined, AlgebraicType] => [n === undefined ? undefined : n === "__proto__" && i === 0 ? n : `${n}${i}`, t])));

const rowsArb = (schema: ProductType) => fc.array(valueArb({ Product: schema }), { maxLength: 4 });

describe("decodeSql: the same rows as parseJson + decodeRows", () => {
  const wide = product(["u64", T.u64], ["i64", T.i64], ["u128", T.u128], ["i128", T.i128], ["u256", T.u256], ["i256", T.i256]);

  it("wide integers exactly, past 2^53 and negative", () => {
    const rows = [
      { u64: 2n ** 64n - 1n, i64: -(2n ** 63n), u128: 2n ** 128n - 1n, i128: -(2n ** 127n), u256: 2n ** 256n - 1n, i256: -(2n ** 255n) },
      { u64: 2n ** 53n + 1n, i64: -(2n ** 53n) - 1n, u128: 9007199254740993n, i128: -170141183460469231731687303715884105727n, u256: 0n, i256: -1n },
      { u64: 0n, i64: 0n, u128: 1n, i128: -1n, u256: 1n, i256: 0n },
      { u64: 999999999999999n, i64: -999999999999999n, u128: 1000000000000000n, i128: 9007199254740991n, u256: 42n, i256: 42n },
    ];
    expect(same(answer([wide, rows]))).toStrictEqual([rows]);
  });

  it("floats: 1e300, -0, tiny, NaN written as null", () => {
    const t = product(["f", T.f64], ["g", T.f32]);
    const rows = [{ f: 1e300, g: 0.5 }, { f: -0, g: -0 }, { f: 5e-324, g: Math.fround(1e-30) }, { f: NaN, g: NaN }, { f: 123456789012345680000, g: 3 }];
    const [[a, b, c, d, e]] = same(answer([t, rows])) as [[Record<string, number>, Record<string, number>, Record<string, number>, Record<string, number>, Record<string, number>]];
    expect(a!.f).toBe(1e300);
    expect(Object.is(b!.f, -0)).toBe(true);
    expect(c!.f).toBe(5e-324);
    expect(d!.f).toBeNaN();
    expect(e!.f).toBe(123456789012345680000);
  });

  it("strings with escapes, unicode, quotes and backslashes", () => {
    const t = product(["s", T.string], ["o", option(T.string)]);
    const rows = ["", "plain", 'q"uote', "back\\slash", "tab\tnew\nline\u0000", "héllo 🥶 \u2028", "\ud800 lone", "0x1234567890123456"].map((s) => ({ s, o: s }));
    same(answer([t, rows]));
  });

  it("nested options, sums, arrays and products", () => {
    const t = product(
      ["oo", option(option(T.u64))],
      ["r", result(T.i128, T.string)],
      ["arr", { Array: option(T.i64) }],
      ["p", { Product: product(["x", T.i8], [undefined, { Array: { Array: T.u64 } }]) }],
      ["e", sum(["A", unit], ["B", unit])],
      ["b", bytes],
      ["specials", { Product: product(["id", identity], ["c", connectionId], ["u", uuid], ["t", timestamp], ["d", timeDuration]) }],
    );
    const rows = [
      {
        oo: { some: 2n ** 60n },
        r: { tag: "ok", value: -(2n ** 100n) },
        arr: [1n, undefined, -(2n ** 62n)],
        p: { x: -128, "1": [[2n ** 64n - 1n], []] },
        e: { tag: "B", value: {} },
        b: new Uint8Array([0, 255, 16]),
        specials: { id: "0".repeat(63) + "1", c: "ff".repeat(16), u: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", t: new Timestamp(-5n), d: 2n ** 63n - 1n },
      },
      {
        oo: { some: undefined },
        r: { tag: "err", value: "no" },
        arr: [],
        p: { x: 127, "1": [] },
        e: { tag: "A", value: {} },
        b: new Uint8Array(),
        specials: { id: "ab".repeat(32), c: "0".repeat(32), u: "00000000-0000-0000-0000-000000000000", t: new Timestamp(1700000000123456n), d: 0n },
      },
      { oo: undefined, r: { tag: "ok", value: 0n }, arr: [undefined], p: { x: 0, "1": [[]] }, e: { tag: "A", value: {} }, b: new Uint8Array([1]), specials: { id: "f".repeat(64), c: "0".repeat(31) + "1", u: "ffffffff-ffff-ffff-ffff-ffffffffffff", t: new Timestamp(0n), d: -1n } },
    ];
    expect(same(answer([t, rows]))).toStrictEqual([rows]);
  });

  it("several statements, empty rows, unnamed and __proto__ columns", () => {
    const a = product([undefined, T.u32], ["__proto__", T.string], ["constructor", T.bool]);
    const b = product(["n", T.u64]);
    const [first] = same(answer([a, [{ "0": 7, ["__proto__"]: "p", constructor: true }]], [b, []], [product(), [{}, {}]]));
    expect(Object.getPrototypeOf(first![0])).toBe(Object.prototype);
    expect(Object.keys(first![0]!)).toEqual(["0", "__proto__", "constructor"]);
  });

  it("any schema and rows, with generated row code (property)", () => {
    fc.assert(
      fc.property(
        schemaArb.chain((s) => rowsArb(s).map((rows) => [s, rows] as const)),
        ([schema, rows]) => {
          same(answer([schema, rows]));
        },
      ),
      { seed: 0x5a76, numRuns: 250 },
    );
  });

  it("any schema and rows where new Function is refused (a CSP without 'unsafe-eval'), both paths (property)", () => {
    const strict = codecWithoutEval();
    fc.assert(
      fc.property(
        schemaArb.chain((s) => rowsArb(s).map((rows) => [s, rows] as const)),
        ([schema, rows]) => {
          const text = answer([schema, rows]);
          const expected = shown(general(text));
          expect(shown(strict.decodeSql(text))).toBe(expected);
          const statements = strict.parseJson(text) as { schema: ProductType; rows: unknown[] }[];
          expect(shown(statements.map((s) => strict.decodeRows(s.schema, s.rows)))).toBe(expected);
        },
      ),
      { seed: 0x5a77, numRuns: 150 },
    );
  });
});

describe("decodeSql: other texts take the general path", () => {
  const t = product(["a", T.u64], ["b", option(T.string)]);
  const compact = answer([t, [{ a: 2n ** 60n, b: "x" }, { a: 1n, b: undefined }]]);

  it("pretty-printed, typed forms, schema after rows, repeated keys, a null option: same results", () => {
    const pretty = compact.replaceAll(",", ",\n  ").replaceAll("[", "[ ");
    const typed = `[{"schema":${JSON.stringify(t)},"rows":[{"a":1152921504606846976,"b":{"some":"x"}}]}]`;
    const late = `[{"rows":[[1,[1,[]]]],"schema":${JSON.stringify(t)}}]`;
    const twice = `[{"schema":${JSON.stringify(t)},"rows":[[1,[1,[]]]],"rows":[[2,[0,"y"]]]}]`;
    for (const text of [pretty, typed, late, twice]) {
      expect(decodeSql(text)).toStrictEqual(general(text));
      if (!/\d{16}/.test(text)) expect(parsedWhole(() => decodeSql(text), text)).toBe(true);
    }
    expect(decodeSql(twice)).toStrictEqual([[{ a: 2n, b: "y" }]]);
    // `null` for none is read by both.
    expect(same(`[{"schema":${JSON.stringify(t)},"rows":[[3,null]]}]`)).toStrictEqual([[{ a: 3n, b: undefined }]]);
  });

  it("a row that does not fit the schema throws the general path's error, path and all", () => {
    const bad = [
      `[{"schema":${JSON.stringify(t)},"rows":[[1,[1,[]]],[-1,[1,[]]]]}]`,
      `[{"schema":${JSON.stringify(t)},"rows":[[18446744073709551616,[1,[]]]]}]`,
      `[{"schema":${JSON.stringify(t)},"rows":[[1,[0,5]]]}]`,
      `[{"schema":${JSON.stringify(t)},"rows":[[1]]}]`,
      `[{"schema":${JSON.stringify(t)},"rows":[[1.5,[1,[]]]]}]`,
      `[{"schema":${JSON.stringify(t)}}]`,
      `[{"schema":{"elements":[{"name":{"some":"r"},"algebraic_type":{"Ref":0}}]},"rows":[[1]]}]`,
    ];
    for (const text of bad) {
      let expected: unknown;
      try {
        general(text);
      } catch (e) {
        expected = e;
      }
      expect(expected).toBeInstanceOf(SatsError);
      expect(() => decodeSql(text)).toThrow((expected as Error).message);
    }
    expect(() => decodeSql(bad[0]!)).toThrow("rows[1].a must be an integer in range for U64");
  });

  it("text that is not JSON throws a SyntaxError, like JSON.parse", () => {
    for (const text of [compact.slice(0, -1), `${compact}x`, compact.replace('"x"', '"x\u0001"'), compact.replace('"x"', '"\\q"'), "", "[01]"]) {
      expect(() => decodeSql(text)).toThrow(SyntaxError);
    }
  });

  it("nesting deeper than the limit is a SyntaxError naming it, whichever path reads it", () => {
    const deepRows = `[{"schema":${JSON.stringify(t)},"rows":[[1,[1,[]]]],"stats":${"[".repeat(300)}${"]".repeat(300)}}]`;
    const deepSchema = `[{"schema":${"[".repeat(300)}${"]".repeat(300)},"rows":[]}]`;
    for (const text of [deepRows, deepSchema, "[".repeat(100_000)]) {
      expect(() => decodeSql(text)).toThrow(/JSON nests arrays and objects more than 256 levels deep/);
    }
  });
});
