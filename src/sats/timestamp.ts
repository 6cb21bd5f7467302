/**
 * The SATS Timestamp value, in a module of its own: the package's entry exports it, and nothing else of
 * the codec (src/sats/types.ts) need load with a client's first call.
 */

/** A SATS Timestamp: exact microseconds since the Unix epoch (may be negative). */
export class Timestamp {
  readonly microsSinceUnixEpoch: bigint;

  constructor(microsSinceUnixEpoch: bigint) {
    this.microsSinceUnixEpoch = microsSinceUnixEpoch;
  }

  /** A `Date` (millisecond precision; the micros are floored to the millisecond). */
  get date(): Date {
    const ms = this.microsSinceUnixEpoch / 1000n;
    // bigint division truncates toward zero: floor for negative instants.
    const floor = ms * 1000n > this.microsSinceUnixEpoch ? ms - 1n : ms;
    return new Date(Number(floor));
  }

  static fromDate(date: Date): Timestamp {
    return new Timestamp(BigInt(date.getTime()) * 1000n);
  }

  toString(): string {
    return `Timestamp(${this.microsSinceUnixEpoch}µs)`;
  }
}
