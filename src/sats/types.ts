/**
 * The JS values this codec decodes to and encodes from. The SATS types themselves (`AlgebraicType`,
 * `ProductType`, `SumType`, `Typespace`, …) are the spec's, generated in src/generated/schema.ts.
 *
 * Decoded representations (see also decode.ts / encode.ts):
 * - Bool → boolean; String → string; I8…I32, U8…U32, F32, F64 → number (a NaN/±inf float arrives as
 *   `null` from the server and decodes to NaN: the server cannot carry them, a documented loss);
 * - I64, U64, I128, U128, I256, U256 → bigint, always, exact;
 * - Array<U8> → Uint8Array; other arrays → JS arrays;
 * - Product → a plain object keyed by element name; an unnamed element N is keyed `"N"` (its index);
 * - Option<T> → `T | undefined` (none is undefined). When T is itself an Option, a `some` is wrapped
 *   as `{ some: x }` so that none (`undefined`) and some(none) (`{ some: undefined }`) stay distinct;
 * - any other sum (Result and ScheduleAt included) → `{ tag, value }` with `tag` the variant name (its
 *   index as a decimal string when unnamed) and `value` the decoded payload (`{}` for a unit variant);
 * - Identity → 64 lowercase hex digits, no `0x`; ConnectionId → 32 lowercase hex digits, no `0x`;
 *   Uuid → the canonical hyphenated lowercase form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`;
 * - Timestamp → a {@link Timestamp} (exact bigint micros + `date`); TimeDuration → bigint micros.
 */

import type { Timestamp } from "./timestamp.js";

/** A decoded sum value that is not an Option. */
export interface TaggedSum<Tag extends string = string, Value = unknown> {
  tag: Tag;
  value: Value;
}

/** The `some` of an Option whose payload is itself an Option (see the module comment). */
export interface Some<T> {
  some: T;
}

/** 64 lowercase hex digits, big-endian, no `0x` (the plain-serde and path form). */
export type Identity = string;
/** 32 lowercase hex digits, big-endian, no `0x`. */
export type ConnectionId = string;
/** Canonical hyphenated lowercase UUID text. */
export type Uuid = string;
/** Microseconds, signed. */
export type TimeDuration = bigint;
/** `ScheduleAt` decodes as a sum: `{ tag: "Interval", value: micros }` or `{ tag: "Time", value: Timestamp }`. */
export type ScheduleAt = TaggedSum<"Interval", TimeDuration> | TaggedSum<"Time", Timestamp>;

export { Timestamp } from "./timestamp.js";

/** A value that does not fit its SATS type. `path` locates it, e.g. `rows[3].name` or `argument "n"`. */
export class SatsError extends Error {
  override name = "SatsError";
  /** Where the value is, from the root the caller named (`rows`, `value`, an argument name). */
  path: string;
  /** The message without the path, e.g. `must be a string for String`. */
  readonly reason: string;
  /** @internal innermost segment first; filled while the error unwinds. */
  segments: (string | number)[] = [];

  constructor(reason: string, path = "") {
    super(path === "" ? reason : `${path} ${reason}`);
    this.reason = reason;
    this.path = path;
  }
}
