import { describe, expect, it } from "vitest";
import type { ProductType, Typespace } from "../../../src/sats/index.js";
import { SatsError, Timestamp, decodeRows, decodeValue, parseJson } from "../../../src/sats/index.js";
import { T, array, bytes, connectionId, identity, option, prod, product, result, scheduleAt, sum, timeDuration, timestamp, unit, uuid } from "./fixtures.js";

interface Statement {
  schema: ProductType;
  rows: unknown[];
  total_duration_micros: number;
}

/** Decodes a whole `sql` response text the way the client does. */
function sqlRows(text: string): Record<string, unknown>[][] {
  return (parseJson(text) as Statement[]).map((s) => decodeRows(s.schema, s.rows));
}

describe("decoding real server output", () => {
  it("decodes the sql example of server-behaviour §3.18 (CLI unit test: a I32, b I64)", () => {
    const text =
      '[{"schema":{"elements":[{"name":{"some":"a"},"algebraic_type":{"I32":[]}},{"name":{"some":"b"},"algebraic_type":{"I64":[]}}]},"rows":[[1,2]],"total_duration_micros":1000,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]';
    expect(sqlRows(text)).toEqual([[{ a: 1, b: 2n }]]);
  });

  // crates/smoketests/modules/sql-format + tests/cluster/sql.rs: the rows the CLI renders, as JSON.
  const tInts = product(["i_8", T.i8], ["i_16", T.i16], ["i_32", T.i32], ["i_64", T.i64], ["i_128", T.i128], ["i_256", T.i256]);
  const tUints = product(["u_8", T.u8], ["u_16", T.u16], ["u_32", T.u32], ["u_64", T.u64], ["u_128", T.u128], ["u_256", T.u256]);
  const tOthers = product(
    ["bool", T.bool],
    ["f_32", T.f32],
    ["f_64", T.f64],
    ["str", T.string],
    ["bytes", bytes],
    ["identity", identity],
    ["connection_id", connectionId],
    ["timestamp", timestamp],
    ["duration", timeDuration],
    ["uuid", uuid],
  );
  const action = sum(["inactive", unit], ["active", unit]);
  const tEnums = product(["bool_opt", option(T.bool)], ["bool_result", result(T.bool, T.string)], ["action", action]);

  const ints = { i_8: -25, i_16: -3224, i_32: -23443, i_64: -2344353n, i_128: -234434897853n, i_256: -234434897853n };
  const uints = { u_8: 105, u_16: 1050, u_32: 83892, u_64: 48937498n, u_128: 4378528978889n, u_256: 4378528978889n };

  it("decodes sql-format t_ints and t_uints (i256/u256 as 0x strings)", () => {
    expect(decodeRows(tInts, [[-25, -3224, -23443, -2344353, -234434897853, "-0x369568a7bd"]])).toEqual([ints]);
    expect(decodeRows(tUints, [[105, 1050, 83892, 48937498, 4378528978889, "0x3fb74aa17c9"]])).toEqual([uints]);
  });

  it("decodes sql-format t_ints_tuple (a product column is a nested array)", () => {
    const schema = product(["tuple", { Product: tInts }]);
    expect(decodeRows(schema, [[[-25, -3224, -23443, -2344353, -234434897853, "-0x369568a7bd"]]])).toEqual([{ tuple: ints }]);
  });

  it("decodes sql-format t_others: every special type", () => {
    const text = `[{"schema":${JSON.stringify(tOthers)},"rows":[[true,594806.56,-3454353.345389043,"This is spacetimedb","01020304050607",["0x1"],[0],[0],[0],[0]]],"total_duration_micros":1,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]`;
    const [[row]] = sqlRows(text) as [[Record<string, unknown>]];
    expect(row).toEqual({
      bool: true,
      f_32: 594806.56,
      f_64: -3454353.345389043,
      str: "This is spacetimedb",
      bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7]),
      identity: "0000000000000000000000000000000000000000000000000000000000000001",
      connection_id: "00000000000000000000000000000000",
      timestamp: new Timestamp(0n),
      duration: 0n,
      uuid: "00000000-0000-0000-0000-000000000000",
    });
    expect((row.timestamp as Timestamp).date.toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });

  it("decodes sql-format t_enums: Option, Result and a plain enum", () => {
    expect(decodeRows(tEnums, [[[0, true], [0, false], [1, []]]])).toEqual([
      { bool_opt: true, bool_result: { tag: "ok", value: false }, action: { tag: "active", value: {} } },
    ]);
    expect(decodeRows(tEnums, [[[1, []], [1, "sorry"], [0, []]]])).toEqual([
      { bool_opt: undefined, bool_result: { tag: "err", value: "sorry" }, action: { tag: "inactive", value: {} } },
    ]);
  });

  it("decodes procedure results against the return type (call.rs smoketests)", () => {
    // return_person -> Person { name: String }, a Ref into the module typespace; the body is ["World"].
    const typespace: Typespace = { types: [prod(["name", T.string])] };
    expect(decodeValue({ Ref: 0 }, parseJson('["World"]'), typespace)).toEqual({ name: "World" });
    // return_my_identity -> Identity: ["0x<64 hex>"].
    const hex = "c200f3a9b1d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e";
    expect(decodeValue(identity, parseJson(`["0x${hex}"]`))).toBe(hex);
    // A unit return is [].
    expect(decodeValue(unit, parseJson("[]"))).toEqual({});
  });

  it("decodes a procedure's u64/u128 return value losslessly", () => {
    expect(decodeValue(T.u64, parseJson("18446744073709551615"))).toBe(18446744073709551615n);
    expect(decodeValue(prod(["id", T.u128]), parseJson("[340282366920938463463374607431768211455]"))).toEqual({
      id: 340282366920938463463374607431768211455n,
    });
  });

  it("accepts the typed forms the server reads (crates/lib/tests/serde.rs test_json_mappings)", () => {
    const schema = prod(
      ["foo", T.u32],
      ["bar", bytes],
      ["baz", array(T.string)],
      ["quux", sum(["Hash", bytes], ["Unit", unit])],
      ["and_peggy", option(T.f64)],
      ["result", result(T.u32, T.string)],
      ["identity", identity],
    );
    const first = `{
      "foo": 42,
      "bar": "404040FFFF0A48656C6C6F",
      "baz": ["heyyyyyy", "hooo"],
      "quux": { "Hash": "54a3e6d2b0959deaacf102292b1cbd6fcbb8cf237f73306e27ed82c3153878aa" },
      "and_peggy": { "some": 3.141592653589793238426 },
      "result": { "ok": 1 },
      "identity": ["0x0"]
    }`;
    expect(decodeValue(schema, parseJson(first))).toEqual({
      foo: 42,
      bar: new Uint8Array([0x40, 0x40, 0x40, 0xff, 0xff, 0x0a, 0x48, 0x65, 0x6c, 0x6c, 0x6f]),
      baz: ["heyyyyyy", "hooo"],
      quux: { tag: "Hash", value: Uint8Array.from(Buffer.from("54a3e6d2b0959deaacf102292b1cbd6fcbb8cf237f73306e27ed82c3153878aa", "hex")) },
      and_peggy: 3.141592653589793,
      result: { tag: "ok", value: 1 },
      identity: "0".repeat(64),
    });
    const second = `{
      "foo": 5654, "bar": [1, 15, 44], "baz": ["it's 🥶°C"], "quux": { "Unit": [] },
      "and_peggy": null, "result": { "err": "sorry" }, "identity": ["0x0"]
    }`;
    expect(decodeValue(schema, parseJson(second))).toEqual({
      foo: 5654,
      bar: new Uint8Array([1, 15, 44]),
      baz: ["it's 🥶°C"],
      quux: { tag: "Unit", value: {} },
      and_peggy: undefined,
      result: { tag: "err", value: "sorry" },
      identity: "0".repeat(64),
    });
  });
});

describe("representations", () => {
  it("keeps nested Options distinct: none, some(none), some(some(x))", () => {
    const t = option(option(T.i32));
    expect(decodeValue(t, [1, []])).toBeUndefined();
    expect(decodeValue(t, [0, [1, []]])).toEqual({ some: undefined });
    expect(decodeValue(t, [0, [0, 7]])).toEqual({ some: 7 });
    // A third level wraps again; a plain Option does not wrap.
    expect(decodeValue(option(option(option(T.bool))), [0, [0, [1, []]]])).toEqual({ some: { some: undefined } });
    expect(decodeValue(option(T.i32), [0, 7])).toBe(7);
  });

  it("keys unnamed columns and fields by their index", () => {
    const schema = product([undefined, T.i32], ["b", T.string], [undefined, prod([undefined, T.bool])]);
    expect(decodeRows(schema, [[1, "x", [true]]])).toEqual([{ 0: 1, b: "x", 2: { 0: true } }]);
  });

  it("builds rows without code generation too (a __proto__ column, more than 64 columns)", () => {
    const [row] = decodeRows(product(["__proto__", T.string], ["x", T.u64]), [["p", 1]]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, "__proto__")?.value).toBe("p");
    expect(row!.x).toBe(1n);
    const wide = product(...Array.from({ length: 70 }, (_, i): [string, typeof T.i32] => [`c${i}`, T.i32]));
    const [w] = decodeRows(wide, [Array.from({ length: 70 }, (_, i) => i)]);
    expect(Object.keys(w!)).toHaveLength(70);
    expect(w!.c69).toBe(69);
    expect(() => decodeRows(wide, [Array.from({ length: 70 }, (_, i) => (i === 42 ? "x" : i))])).toThrow("rows[0].c42 must be an integer");
  });

  it("names a variant without a name by its index", () => {
    expect(decodeValue(sum([undefined, T.i32], [undefined, T.string]), [1, "s"])).toEqual({ tag: "1", value: "s" });
  });

  it("decodes ScheduleAt as a sum of TimeDuration or Timestamp", () => {
    expect(decodeValue(scheduleAt, [0, [1000000]])).toEqual({ tag: "Interval", value: 1000000n });
    expect(decodeValue(scheduleAt, [1, [1700000000000000]])).toEqual({ tag: "Time", value: new Timestamp(1700000000000000n) });
  });

  it("gives a Timestamp both exact micros and a Date, negative included", () => {
    const ts = decodeValue(timestamp, [-1500]) as Timestamp;
    expect(ts.microsSinceUnixEpoch).toBe(-1500n);
    expect(ts.date.getTime()).toBe(-2); // floored to the millisecond
    const exact = decodeValue(timestamp, parseJson("[1700000000123456]")) as Timestamp;
    expect(exact.microsSinceUnixEpoch).toBe(1700000000123456n);
    expect(exact.date.toISOString()).toBe("2023-11-14T22:13:20.123Z");
    expect(Timestamp.fromDate(exact.date).microsSinceUnixEpoch).toBe(1700000000123000n);
  });

  it("pads Identity and ConnectionId to full width, and writes Uuid hyphenated", () => {
    expect(decodeValue(identity, ["0xabc"])).toBe("abc".padStart(64, "0"));
    expect(decodeValue(identity, { __identity__: "0xABC" })).toBe("abc".padStart(64, "0"));
    expect(decodeValue(connectionId, parseJson("[340282366920938463463374607431768211455]"))).toBe("f".repeat(32));
    expect(decodeValue(connectionId, [255])).toBe("ff".padStart(32, "0"));
    expect(decodeValue(uuid, parseJson("[24197857161011715162171839636988778223]"))).toBe("12345678-1234-5678-1234-5678123456ef");
  });

  it("follows Refs, including recursive types", () => {
    // type 0 = List { head: I32, tail: Option<List> }
    const typespace: Typespace = { types: [prod(["head", T.i32], ["tail", option({ Ref: 0 })])] };
    expect(decodeValue({ Ref: 0 }, [1, [0, [2, [1, []]]]], typespace)).toEqual({ head: 1, tail: { head: 2, tail: undefined } });
  });

  it("decodes arrays of products and arrays of arrays", () => {
    expect(decodeValue(array(prod(["x", T.u64])), [[1], [2]])).toEqual([{ x: 1n }, { x: 2n }]);
    expect(decodeValue(array(array(T.string)), [["a"], [], ["b", "c"]])).toEqual([["a"], [], ["b", "c"]]);
    expect(decodeValue(array(bytes), ["", "ff"])).toEqual([new Uint8Array(), new Uint8Array([255])]);
  });

  it("maps a null float (NaN or ±inf at the server) to NaN", () => {
    expect(decodeValue(T.f64, null)).toBeNaN();
    expect(decodeValue(T.f32, null)).toBeNaN();
  });
});

describe("errors", () => {
  const schema = product(["id", T.u64], ["name", T.string], ["tags", array(option(T.i32))], ["who", identity]);

  function error(fn: () => unknown): SatsError {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(SatsError);
      return e as SatsError;
    }
    throw new Error("expected a SatsError");
  }

  it("names the row and column of a value that does not fit", () => {
    const rows = [
      [1, "a", [], ["0x1"]],
      [2, "b", [], ["0x1"]],
      [3, 7, [], ["0x1"]],
    ];
    const e = error(() => decodeRows(schema, rows));
    expect(e.path).toBe("rows[2].name");
    expect(e.message).toBe("rows[2].name must be a string for String");
  });

  it("names nested positions", () => {
    const e = error(() => decodeRows(schema, [[1, "a", [[0, 1], [0, "x"]], ["0x1"]]]));
    expect(e.path).toBe("rows[0].tags[1].some");
    const f = error(() => decodeValue(prod(["p", prod(["q", T.u8])]), [[256]]));
    expect(f.path).toBe("value.p.q");
    expect(f.message).toContain("for U8");
  });

  it("rejects rows of the wrong length, bad tags and bad specials", () => {
    expect(error(() => decodeRows(schema, [[1, "a", []]])).path).toBe("rows[0]");
    expect(error(() => decodeValue(option(T.i32), [2, 1])).message).toContain("Option<I32>");
    expect(error(() => decodeValue(sum(["a", unit]), [1, []])).path).toBe("value");
    expect(error(() => decodeRows(schema, [[1, "a", [], "0x1"]])).path).toBe("rows[0].who");
    expect(error(() => decodeValue(T.u64, -1)).message).toContain("U64");
    expect(error(() => decodeValue(T.u64, 18446744073709551616n)).message).toContain("U64");
    expect(error(() => decodeValue(T.i32, 1.5)).message).toContain("I32");
    expect(error(() => decodeValue(bytes, "abc")).message).toContain("Array<U8>");
    expect(error(() => decodeValue(T.u256, "12")).message).toContain("U256");
    expect(error(() => decodeValue(T.bool, "true")).message).toContain("Bool");
  });

  it("refuses a 64-bit value that JSON.parse already rounded", () => {
    const rounded = JSON.parse("[18446744073709551615]") as unknown[];
    const e = error(() => decodeRows(product(["n", T.u64]), [rounded]));
    expect(e.path).toBe("rows[0].n");
    expect(e.message).toContain("parseJson");
  });

  it("reports a dangling Ref", () => {
    expect(error(() => decodeValue({ Ref: 3 }, 1, { types: [] })).message).toContain("refers to type 3");
    expect(error(() => decodeValue({ Nope: [] } as never, 1)).message).toContain("not a SATS AlgebraicType");
  });
});
