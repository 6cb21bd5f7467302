/** SATS types for the tests, written as the server writes them (typed SATS-JSON). */
import type { AlgebraicType, ProductType, SumType } from "../../../src/sats/index.js";

const name = (n: string | undefined) => (n === undefined ? { none: [] as [] } : { some: n });

export const T = {
  bool: { Bool: [] },
  string: { String: [] },
  i8: { I8: [] },
  u8: { U8: [] },
  i16: { I16: [] },
  u16: { U16: [] },
  i32: { I32: [] },
  u32: { U32: [] },
  i64: { I64: [] },
  u64: { U64: [] },
  i128: { I128: [] },
  u128: { U128: [] },
  i256: { I256: [] },
  u256: { U256: [] },
  f32: { F32: [] },
  f64: { F64: [] },
} satisfies Record<string, AlgebraicType>;

export const product = (...elements: [string | undefined, AlgebraicType][]): ProductType => ({
  elements: elements.map(([n, t]) => ({ name: name(n), algebraic_type: t })),
});
export const prod = (...elements: [string | undefined, AlgebraicType][]): AlgebraicType => ({ Product: product(...elements) });
export const sumType = (...variants: [string | undefined, AlgebraicType][]): SumType => ({
  variants: variants.map(([n, t]) => ({ name: name(n), algebraic_type: t })),
});
export const sum = (...variants: [string | undefined, AlgebraicType][]): AlgebraicType => ({ Sum: sumType(...variants) });
export const unit: AlgebraicType = prod();
export const array = (t: AlgebraicType): AlgebraicType => ({ Array: t });
export const bytes = array(T.u8);
export const option = (t: AlgebraicType): AlgebraicType => sum(["some", t], ["none", unit]);
export const result = (ok: AlgebraicType, err: AlgebraicType): AlgebraicType => sum(["ok", ok], ["err", err]);

// The special types, as crates/sats defines them.
export const identity = prod(["__identity__", T.u256]);
export const connectionId = prod(["__connection_id__", T.u128]);
export const timestamp = prod(["__timestamp_micros_since_unix_epoch__", T.i64]);
export const timeDuration = prod(["__time_duration_micros__", T.i64]);
export const uuid = prod(["__uuid__", T.u128]);
export const scheduleAt = sum(["Interval", timeDuration], ["Time", timestamp]);

/** Integer widths: [type, min, max]. */
export const INTS: [keyof typeof T, bigint, bigint][] = [
  ["i8", -(2n ** 7n), 2n ** 7n - 1n],
  ["u8", 0n, 2n ** 8n - 1n],
  ["i16", -(2n ** 15n), 2n ** 15n - 1n],
  ["u16", 0n, 2n ** 16n - 1n],
  ["i32", -(2n ** 31n), 2n ** 31n - 1n],
  ["u32", 0n, 2n ** 32n - 1n],
  ["i64", -(2n ** 63n), 2n ** 63n - 1n],
  ["u64", 0n, 2n ** 64n - 1n],
  ["i128", -(2n ** 127n), 2n ** 127n - 1n],
  ["u128", 0n, 2n ** 128n - 1n],
  ["i256", -(2n ** 255n), 2n ** 255n - 1n],
  ["u256", 0n, 2n ** 256n - 1n],
];

/** Widths decoded as number (the rest are bigint). */
export const SMALL = new Set(["i8", "u8", "i16", "u16", "i32", "u32"]);
