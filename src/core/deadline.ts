/**
 * A call's deadline: its `timeoutMs` and its caller's signal, covering every request, wait and token
 * lookup of the call, and holding nothing of it once the call is over (docs/design.md#deadlines-cover-the-call).
 *
 * Calls that share a timeout and start within the same short window share one timer (and, for a
 * transport that needs an AbortSignal on the Request, one AbortController: on Node 20 creating a
 * signal costs more than the rest of a call), which fires when the last of them is due: each call
 * times out between `timeoutMs` and `timeoutMs + window` after it starts. The timer runs only while
 * a call uses it, and keeps the process alive as a pending call should. Each call has a stop signal
 * of its own (what a transport listens to), dropped with its listeners when the call is released.
 */
import type { StopSignal } from "../transport/transport.js";
import type { Clock } from "./context.js";

export interface Deadline {
  /** The signal to put on a Request, where the transport takes one (the shared one, or the call's own). */
  readonly signal: AbortSignal | undefined;
  /** Aborts when the call is due or its caller aborts; transports and waits listen to it. */
  readonly stop: CallStop;
  /** Whether the call's time ran out (as opposed to its caller aborting). */
  timedOut(): boolean;
  /** Ends the call's hold on the shared timer, its listeners and the caller's signal. */
  release(): void;
}

/**
 * Calls per window that share its signal. fetch attaches to a signal with a listener it drops only at
 * garbage collection, and each new Request on it counts that signal's listeners (Node 20:
 * `getEventListeners`), so a signal shared by many calls costs every call more: at 1,000 calls a
 * window, the universal build's call took about 10 µs longer (Node 20, 32 concurrent); at 64, a new
 * AbortController every 64 calls costs next to nothing.
 */
const MAX_USES = 64;

/** One call's stop: a small EventTarget, aborted by the shared timer or the caller's signal. */
export class CallStop implements StopSignal {
  aborted = false;
  reason: unknown;
  /** Made with the first listener: most calls on the fetch transport have none. */
  #listeners: Set<() => void> | undefined;
  addEventListener(_type: "abort", listener: () => void): void {
    if (!this.aborted) (this.#listeners ??= new Set()).add(listener);
  }
  removeEventListener(_type: "abort", listener: () => void): void {
    this.#listeners?.delete(listener);
  }
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = [...(this.#listeners ?? [])];
    this.#listeners = undefined;
    for (const listener of listeners) listener();
  }
  /** Forgets every listener (the call is over). */
  clear(): void {
    this.#listeners = undefined;
  }
}

interface Window {
  readonly due: number;
  readonly calls: Set<CallStop>;
  controller?: AbortController;
  /** Requests that carry the window's shared signal (a window without one is not limited). */
  uses: number;
  timer?: unknown;
  expired: boolean;
}

/** The reason a call's stop aborts with when its time runs out. */
class DeadlineError extends Error {
  override name = "TimeoutError";
}

/** Per clock (a test's clock never shares a timer with the system's), the open window of each timeout. */
const windows = new WeakMap<Clock, Map<number, Window>>();

function openWindow(clock: Clock, timeoutMs: number): Window {
  let byTimeout = windows.get(clock);
  if (!byTimeout) windows.set(clock, (byTimeout = new Map()));
  const now = clock.now();
  const width = Math.min(Math.max(Math.ceil(timeoutMs / 50), 1), 250);
  const windowEnd = (Math.floor(now / width) + 1) * width;
  let window = byTimeout.get(timeoutMs);
  if (!window || window.expired || window.due !== windowEnd + timeoutMs || window.uses >= MAX_USES) {
    window = { due: windowEnd + timeoutMs, calls: new Set(), uses: 0, expired: false };
    byTimeout.set(timeoutMs, window);
  }
  return window;
}

function arm(clock: Clock, window: Window, timeoutMs: number): void {
  if (window.timer !== undefined) return;
  window.timer = clock.setTimeout(
    () => {
      window.timer = undefined;
      window.expired = true;
      const reason = new DeadlineError(`the call's deadline (${timeoutMs} ms) passed`);
      window.controller?.abort(reason);
      for (const call of window.calls) call.abort(reason);
      window.calls.clear();
    },
    Math.max(0, window.due - clock.now()),
  );
}

/**
 * The deadline of a call: `timeoutMs` (0, Infinity or 2^31 ms and more: none) and the caller's
 * signal. `needsSignal`: the transport takes an AbortSignal on the Request.
 */
export function deadline(clock: Clock, timeoutMs: number, userSignal: AbortSignal | undefined, needsSignal: boolean): Deadline {
  const stop = new CallStop();
  // Past 2^31 - 1 ms a timer fires at once (Node, browsers); so long a wait means none.
  const timed = timeoutMs > 0 && timeoutMs < 2 ** 31;
  const window = timed ? openWindow(clock, timeoutMs) : undefined;
  if (window) {
    window.calls.add(stop);
    arm(clock, window, timeoutMs);
  }
  // The signal on the Request: the caller's own is linked through a controller of the call's; with a
  // timeout alone, the window's shared one.
  let own: AbortController | undefined;
  let signal: AbortSignal | undefined;
  if (needsSignal && userSignal) {
    own = new AbortController();
    signal = own.signal;
  } else if (needsSignal && window) {
    window.controller ??= new AbortController();
    window.uses++;
    signal = window.controller.signal;
  }
  const onUserAbort = userSignal && (() => stop.abort(userSignal.reason));
  if (userSignal && onUserAbort) {
    if (userSignal.aborted) onUserAbort();
    else userSignal.addEventListener("abort", onUserAbort, { once: true });
  }
  if (own) stop.addEventListener("abort", () => own!.abort(stop.reason));
  let released = false;
  return {
    signal,
    stop,
    timedOut: () => stop.reason instanceof DeadlineError,
    release: () => {
      if (released) return;
      released = true;
      stop.clear();
      if (onUserAbort) userSignal?.removeEventListener("abort", onUserAbort);
      if (!window) return;
      window.calls.delete(stop);
      // No call left on the window: its timer stops (a later call in the same window re-arms it).
      if (window.calls.size === 0 && window.timer !== undefined) {
        clock.clearTimeout(window.timer);
        window.timer = undefined;
      }
    },
  };
}

/** Resolves after `ms` (true), or early (false) when `stop` aborts. */
export function sleep(clock: Clock, ms: number, stop: StopSignal): Promise<boolean> {
  if (stop.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onStop = () => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      stop.removeEventListener("abort", onStop);
      resolve(true);
    }, ms);
    stop.addEventListener("abort", onStop);
  });
}

/** `promise`, or a rejection with the stop's reason as soon as it aborts. */
export function untilStopped<T>(promise: Promise<T>, stop: StopSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(stop.reason);
    if (stop.aborted) return onStop();
    stop.addEventListener("abort", onStop);
    promise.then(
      (v) => (stop.removeEventListener("abort", onStop), resolve(v)),
      (e: unknown) => (stop.removeEventListener("abort", onStop), reject(e)),
    );
  });
}
