import { describe, expect, it } from "vitest";
import type { Typespace } from "../../../src/sats/index.js";
import { SatsError, Timestamp, decodeRows, encodeArgs, encodeSatsValue, parseJson } from "../../../src/sats/index.js";
import { writeJson } from "../../../src/core/serialize.js";
import { T, array, bytes, connectionId, identity, option, prod, product, result, sum, timeDuration, timestamp, unit, uuid } from "./fixtures.js";

function error(fn: () => unknown): SatsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SatsError);
    return e as SatsError;
  }
  throw new Error("expected a SatsError");
}

describe("encodeArgs", () => {
  const params = product(["text", T.string], ["n", T.u64], ["to", option(identity)], ["when", timestamp]);

  it("orders named arguments by parameter and writes the positional array the call route takes", () => {
    const args = encodeArgs(params, { when: new Timestamp(1700000000000001n), n: 18446744073709551615n, text: "Hello!" });
    expect(writeJson(args)).toBe('["Hello!",18446744073709551615,[1,[]],[1700000000000001]]');
    const to = "c200" + "0".repeat(59) + "1";
    expect(writeJson(encodeArgs(params, { text: "", n: 0, to, when: new Date(0) }))).toBe(`["",0,[0,["0x${to}"]],[0]]`);
  });

  it("takes no arguments as []", () => {
    expect(encodeArgs(product(), {})).toEqual([]);
  });

  it("names a missing argument and its type", () => {
    expect(error(() => encodeArgs(params, { n: 1n, when: 0n })).message).toBe('missing argument "text" (String)');
    expect(error(() => encodeArgs(params, { text: "x", n: undefined, when: 0n })).message).toBe('missing argument "n" (U64)');
  });

  it("treats an omitted Option argument as none", () => {
    expect(encodeArgs(params, { text: "x", n: 1n, when: 0n })[2]).toEqual([1, []]);
  });

  it("names an unknown argument", () => {
    expect(error(() => encodeArgs(params, { txt: "x", n: 1n, when: 0n })).message).toBe('unknown argument "txt"');
  });

  it("names a wrongly typed argument, and the place inside it", () => {
    expect(error(() => encodeArgs(params, { text: "x", n: "1", when: 0n })).message).toBe('argument "n" must be a bigint or integer for U64');
    expect(error(() => encodeArgs(params, { text: "x", n: 1.5, when: 0n })).message).toBe('argument "n" must be a bigint or integer for U64');
    expect(error(() => encodeArgs(params, { text: 1, n: 1n, when: 0n })).message).toBe('argument "text" must be a string for String');
    const e = error(() => encodeArgs(product(["p", array(prod(["x", T.i32]))]), { p: [{ x: 1 }, { x: "2" }] }));
    expect(e.path).toBe("p[1].x");
    expect(e.message).toBe('argument "p[1].x" must be a bigint or integer for I32');
    expect(error(() => encodeArgs(product(["p", prod(["x", T.i32])]), { p: { x: 1, y: 2 } })).message).toMatch(/^argument "p.y" is not a field/);
    expect(error(() => encodeArgs(product(["p", prod(["x", T.i32])]), { p: {} })).message).toBe('argument "p.x" is missing');
  });

  it("reads only own properties (a __proto__ parameter is not the prototype)", () => {
    const params = product(["__proto__", T.i32]);
    expect(error(() => encodeArgs(params, {})).message).toBe('missing argument "__proto__" (I32)');
    expect(encodeArgs(params, JSON.parse('{"__proto__": 5}') as Record<string, unknown>)).toEqual([5]);
  });

  it("refuses non-object argument lists", () => {
    expect(() => encodeArgs(params, ["x"] as never)).toThrow(SatsError);
  });

  it("follows Refs in the module typespace", () => {
    const typespace: Typespace = { types: [sum(["Red", unit], ["Rgb", prod(["r", T.u8], ["g", T.u8], ["b", T.u8])])] };
    const args = encodeArgs(product(["color", { Ref: 0 }]), { color: { tag: "Rgb", value: { r: 1, g: 2, b: 3 } } }, typespace);
    expect(args).toEqual([[1, [1, 2, 3]]]);
    expect(error(() => encodeArgs(product(["color", { Ref: 0 }]), {}, typespace)).message).toBe('missing argument "color" (Red | Rgb)');
  });
});

describe("encodeSatsValue: what the server receives", () => {
  it("writes sums as [tag, payload] and takes a unit variant by name", () => {
    const s = sum(["A", T.string], ["B", unit], [undefined, T.bool]);
    expect(encodeSatsValue(s, { tag: "A", value: "x" })).toEqual([0, "x"]);
    expect(encodeSatsValue(s, "B")).toEqual([1, []]);
    expect(encodeSatsValue(s, { tag: "2", value: true })).toEqual([2, true]);
    expect(encodeSatsValue(s, { tag: 2, value: true })).toEqual([2, true]);
    expect(error(() => encodeSatsValue(s, "A")).message).toMatch(/tag one of "A", "B", "2"/);
    expect(error(() => encodeSatsValue(s, { tag: "C" })).message).toMatch(/tag one of/);
  });

  it("writes Option as [0, v] / [1, []] and takes null as none", () => {
    expect(encodeSatsValue(option(T.i32), 5)).toEqual([0, 5]);
    expect(encodeSatsValue(option(T.i32), null)).toEqual([1, []]);
    expect(encodeSatsValue(option(T.i32), undefined)).toEqual([1, []]);
  });

  it("writes the special types in the forms the server reads", () => {
    expect(encodeSatsValue(identity, "0x" + "0".repeat(64))).toEqual(["0x0"]);
    expect(encodeSatsValue(connectionId, 5n)).toEqual([5n]);
    expect(encodeSatsValue(uuid, "00000000-0000-0000-0000-0000000000ff")).toEqual([255n]);
    expect(encodeSatsValue(timeDuration, 1_000_000)).toEqual([1000000n]);
    expect(encodeSatsValue(timestamp, { microsSinceUnixEpoch: 7n })).toEqual([7n]);
    expect(() => encodeSatsValue(timestamp, 7)).toThrow(/Timestamp/);
    expect(() => encodeSatsValue(timestamp, new Date(NaN))).toThrow(/invalid Date/);
    expect(() => encodeSatsValue(uuid, "not-a-uuid")).toThrow(/Uuid/);
  });

  it("writes bytes from a Uint8Array or an array of bytes", () => {
    expect(encodeSatsValue(bytes, new Uint8Array([0, 15, 255]))).toBe("000fff");
    expect(encodeSatsValue(bytes, [1, 2])).toBe("0102");
    expect(() => encodeSatsValue(bytes, [256])).toThrow(/Array<U8>/);
    expect(() => encodeSatsValue(bytes, "00")).toThrow(/Array<U8>/);
  });

  it("writes -0 as an integer 0 and keeps it for floats", () => {
    expect(writeJson(encodeSatsValue(T.i64, -0))).toBe("0");
    expect(writeJson(encodeSatsValue(T.i32, -0))).toBe("0");
    expect(writeJson(encodeSatsValue(T.f64, -0))).toBe("-0");
  });

  it("re-encodes decoded server rows to the very same JSON (sql-format t_others, t_enums)", () => {
    const schema = product(
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
      ["bool_opt", option(T.bool)],
      ["bool_result", result(T.bool, T.string)],
      ["action", sum(["inactive", unit], ["active", unit])],
      ["big", T.u128],
    );
    const text =
      '[true,594806.56,-3454353.345389043,"This is spacetimedb","01020304050607",["0x1"],[0],[0],[0],[0],[0,true],[0,false],[1,[]],340282366920938463463374607431768211455]';
    const [row] = decodeRows(schema, [parseJson(text)]);
    const params = schema; // a reducer taking the same columns
    expect(writeJson(encodeArgs(params, row!))).toBe(text);
  });
});
