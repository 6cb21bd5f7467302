/**
 * A clock the test moves by hand (the client's `Clock`, injected through createClientWith): timers
 * fire only when the test advances time, so retries, backoff, Retry-After and deadlines are exact and
 * instant in the unit tier.
 */
import { setImmediate as tick } from "node:timers/promises";
import type { Clock } from "../../src/core/context.js";

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
  /** The delay asked for when it was set. */
  readonly ms: number;
}

export class ManualClock implements Clock {
  private time = 1_700_000_000_000;
  private timers: Timer[] = [];
  private ids = 0;
  /** Every delay a timer was set for, in order. */
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: ++this.ids, at: this.time + ms, callback, ms };
    this.timers.push(timer);
    this.delays.push(ms);
    return timer.id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Lets pending promises run (the client awaits between its steps). */
  async settle(rounds = 20): Promise<void> {
    for (let i = 0; i < rounds; i++) await tick();
  }

  /** Moves time forward by `ms`, firing each timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await this.settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
    await this.settle();
  }

  /** The timers still pending, as delays from now. */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }
}
