/**
 * Round trips: JS value → encodeSatsValue → writeJson (the request text) → parseJson → decodeValue.
 * encodeSatsValue writes the untyped shape the server itself writes in sql rows and procedure results, so
 * the text in the middle is also what the server would send back for the same value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlgebraicType } from "../../../src/sats/index.js";
import { Timestamp, decodeValue, encodeSatsValue, parseJson } from "../../../src/sats/index.js";
import { writeJson } from "../../../src/core/serialize.js";
import {
  INTS,
  SMALL,
  T,
  array,
  bytes,
  connectionId,
  identity,
  option,
  prod,
  result,
  scheduleAt,
  sum,
  timeDuration,
  timestamp,
  unit,
  uuid,
} from "./fixtures.js";
import { valueArb, typeArb } from "./arbitraries.js";

const SEED = { seed: 0x5a7, numRuns: 200 };

function wire(type: AlgebraicType, value: unknown): string {
  return writeJson(encodeSatsValue(type, value))!;
}

function roundTrip(type: AlgebraicType, value: unknown): unknown {
  return decodeValue(type, parseJson(wire(type, value)));
}

describe("integers of every width", () => {
  for (const [name, min, max] of INTS) {
    const type = T[name];
    const js = (b: bigint) => (SMALL.has(name) ? Number(b) : b);

    it(`${name}: min, max, 0, ±1 round-trip exactly`, () => {
      for (const b of [min, max, 0n, 1n, ...(min < 0n ? [-1n] : [])]) expect(roundTrip(type, js(b))).toBe(js(b));
    });

    it(`${name}: is written the way the server reads it`, () => {
      const text = wire(type, js(max));
      if (name === "u256" || name === "i256") expect(text).toBe(`"0x${max.toString(16)}"`);
      else expect(text).toBe(max.toString()); // bare number, every digit
      if (min < 0n) expect(wire(type, js(min))).toBe(name === "i256" ? `"-0x${(-min).toString(16)}"` : min.toString());
    });

    it(`${name}: rejects one past each end`, () => {
      expect(() => encodeSatsValue(type, SMALL.has(name) ? Number(max) + 1 : max + 1n)).toThrow(/out of range/);
      expect(() => encodeSatsValue(type, SMALL.has(name) ? Number(min) - 1 : min - 1n)).toThrow(/out of range/);
    });

    it(`${name}: any value round-trips (property)`, () => {
      fc.assert(
        fc.property(fc.bigInt({ min, max }), (b) => {
          expect(roundTrip(type, js(b))).toBe(js(b));
        }),
        SEED,
      );
    });
  }

  it("takes a safe integer number for wide types too, and refuses an unsafe one", () => {
    expect(roundTrip(T.u64, 42)).toBe(42n);
    expect(roundTrip(T.i128, -42)).toBe(-42n);
    expect(roundTrip(T.u256, 42)).toBe(42n);
    expect(() => encodeSatsValue(T.u64, 2 ** 60)).toThrow(/bigint/);
  });
});

describe("floats", () => {
  it("round-trip finite values exactly, -0 included", () => {
    for (const x of [0, -0, 1.5, -3454353.345389043, Number.MAX_VALUE, Number.MIN_VALUE, 5e-324]) expect(Object.is(roundTrip(T.f64, x), x)).toBe(true);
    for (const x of [Math.fround(594806.56), Math.fround(-1e-30), 3.4028234663852886e38]) expect(roundTrip(T.f32, x)).toBe(x);
  });

  it("send NaN and ±inf as null, which comes back as NaN (the documented loss)", () => {
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(wire(T.f64, x)).toBe("null");
      expect(wire(T.f32, x)).toBe("null");
      expect(roundTrip(T.f64, x)).toBeNaN();
    }
  });

  it("round-trip any finite double (property)", () => {
    fc.assert(
      fc.property(fc.double({ noDefaultInfinity: true, noNaN: true }), fc.float({ noDefaultInfinity: true, noNaN: true }), (d, f) => {
        expect(Object.is(roundTrip(T.f64, d), d)).toBe(true);
        expect(Object.is(roundTrip(T.f32, f), f)).toBe(true);
      }),
      SEED,
    );
  });
});

describe("the other types", () => {
  it("strings with any unicode, lone surrogates included (property)", () => {
    expect(roundTrip(T.string, "héllo 🥶 \u0000 \u2028 \"q\" \\")).toBe("héllo 🥶 \u0000 \u2028 \"q\" \\");
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(roundTrip(T.string, s)).toBe(s);
      }), SEED);
  });

  it("bytes travel as lowercase hex", () => {
    expect(wire(bytes, new Uint8Array([1, 2, 0xab, 0xff]))).toBe('"0102abff"');
    expect(roundTrip(bytes, new Uint8Array())).toEqual(new Uint8Array());
    fc.assert(fc.property(fc.uint8Array(), (b) => {
        expect(roundTrip(bytes, b)).toEqual(b);
      }), SEED);
  });

  it("booleans, arrays and nested products", () => {
    const t = prod(["a", T.bool], ["b", array(prod(["x", T.i16], ["y", array(T.u64)]))], ["c", prod()]);
    const v = { a: false, b: [{ x: -1, y: [1n, 18446744073709551615n] }, { x: 2, y: [] }], c: {} };
    expect(wire(t, v)).toBe("[false,[[-1,[1,18446744073709551615]],[2,[]]],[]]");
    expect(roundTrip(t, v)).toEqual(v);
  });

  it("nested Options stay distinct: none, some(none), some(some(x))", () => {
    const t = option(option(T.string));
    expect(wire(t, undefined)).toBe("[1,[]]");
    expect(wire(t, { some: undefined })).toBe("[0,[1,[]]]");
    expect(wire(t, { some: "x" })).toBe('[0,[0,"x"]]');
    for (const v of [undefined, { some: undefined }, { some: "x" }]) expect(roundTrip(t, v)).toEqual(v);
    expect(roundTrip(t, undefined)).toBeUndefined();
    expect(roundTrip(t, { some: undefined })).not.toBeUndefined();
    expect(() => encodeSatsValue(t, "x")).toThrow(/some/);
  });

  it("Result and plain sums, unit variants included", () => {
    const r = result(T.u32, T.string);
    expect(wire(r, { tag: "ok", value: 1 })).toBe("[0,1]");
    expect(roundTrip(r, { tag: "err", value: "sorry" })).toEqual({ tag: "err", value: "sorry" });
    const action = sum(["Inactive", unit], ["Active", unit]);
    expect(wire(action, { tag: "Active" })).toBe("[1,[]]");
    expect(wire(action, "Inactive")).toBe("[0,[]]");
    expect(roundTrip(action, { tag: "Active", value: {} })).toEqual({ tag: "Active", value: {} });
  });

  it("Identity, with leading zeros (Identity::ONE is [\"0x1\"])", () => {
    const one = "0".repeat(63) + "1";
    expect(wire(identity, one)).toBe('["0x1"]');
    expect(wire(identity, `0x${one}`)).toBe('["0x1"]');
    expect(wire(identity, 1n)).toBe('["0x1"]');
    expect(roundTrip(identity, one)).toBe(one);
    const full = "c200" + "ab".repeat(30);
    expect(wire(identity, full)).toBe(`["0x${full}"]`);
    expect(roundTrip(identity, full)).toBe(full);
    expect(roundTrip(identity, "0".repeat(64))).toBe("0".repeat(64));
    expect(() => encodeSatsValue(identity, "f".repeat(65))).toThrow(/Identity/);
  });

  it("ConnectionId, Uuid, Timestamp (negative too), TimeDuration and ScheduleAt", () => {
    const conn = "ff".repeat(16);
    expect(wire(connectionId, conn)).toBe("[340282366920938463463374607431768211455]");
    expect(roundTrip(connectionId, conn)).toBe(conn);
    expect(roundTrip(connectionId, "0".repeat(32))).toBe("0".repeat(32));

    const u = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    expect(roundTrip(uuid, u)).toBe(u);
    expect(roundTrip(uuid, u.replaceAll("-", ""))).toBe(u);
    expect(roundTrip(uuid, "00000000-0000-0000-0000-000000000000")).toBe("00000000-0000-0000-0000-000000000000");

    for (const micros of [0n, 1700000000123456n, -1n, -(2n ** 63n), 2n ** 63n - 1n]) {
      expect(wire(timestamp, new Timestamp(micros))).toBe(`[${micros}]`);
      expect(roundTrip(timestamp, new Timestamp(micros))).toEqual(new Timestamp(micros));
      expect(roundTrip(timeDuration, micros)).toBe(micros);
    }
    expect(roundTrip(timestamp, new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)))).toEqual(new Timestamp(-1000n));

    expect(wire(scheduleAt, { tag: "Interval", value: 5000000n })).toBe("[0,[5000000]]");
    expect(roundTrip(scheduleAt, { tag: "Time", value: new Timestamp(-5n) })).toEqual({ tag: "Time", value: new Timestamp(-5n) });
  });
});

// ---- random nested types (property): the generators are in arbitraries.ts ----

describe("random nested types", () => {
  it("every value of every generated type round-trips (property)", () => {
    fc.assert(
      fc.property(
        typeArb.chain((t) => valueArb(t).map((v) => [t, v] as const)),
        ([t, v]) => {
          expect(roundTrip(t, v)).toEqual(v);
        },
      ),
      { seed: 0x5a75, numRuns: 500 },
    );
  });

  it("the encoded form decodes to the same value as its typed twin would (spot check)", () => {
    // Typed and untyped inputs decode alike: {"name": v} objects and {"Variant": p} sums.
    const t = prod(["p", option(T.u64)], ["q", sum(["A", T.string], ["B", unit])]);
    expect(decodeValue(t, { p: { some: 5 }, q: { B: [] } })).toEqual(decodeValue(t, parseJson('[[0,5],[1,[]]]')));
  });
});
