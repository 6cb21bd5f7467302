/**
 * Timeouts as abort signals, without an AbortController per call. On Node 20 creating an
 * AbortSignal costs more than the rest of the SDK's work on a call (each one is made
 * transferable), so calls that share a timeout and start within the same short window share one
 * controller, aborted when the last of them is due: each call times out between `timeoutMs` and
 * `timeoutMs + window` after it starts. fetch attaches to a signal with a listener it removes only
 * at garbage collection and allows 1,500 of them, so a shared controller serves at most MAX_USES.
 * A call with a signal of its own gets its own controller, linked to that signal.
 */

export interface Deadline {
  /** Aborts when the call is due, or when the caller's own signal aborts. */
  readonly signal: AbortSignal;
  /**
   * The same, for a transport that takes it beside the request (undici's `signal` option): a shared
   * deadline hands out one small signal-like object whose listeners live in a Set, so a call costs
   * an add and a delete, not an AbortSignal listener (see StopSignal).
   */
  readonly stop: StopSignal;
  /** Whether the call's time ran out (as opposed to the caller aborting). */
  timedOut(): boolean;
  /** Releases what the deadline holds once the call is over. */
  done(): void;
}

/** What a deadline-aware transport needs of a signal: undici's `request()` accepts any such EventTarget. */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: unknown): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

const MAX_USES = 1_000;

interface Shared {
  controller: AbortController;
  uses: number;
  expired: boolean;
  stop: StopSignal;
}

/** A signal-like view of `controller` whose listeners are a Set, called (once) when it aborts. */
function stopOf(controller: AbortController, listeners: Set<() => void>): StopSignal {
  const { signal } = controller;
  return {
    get aborted() {
      return signal.aborted;
    },
    get reason() {
      return signal.reason;
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
}

const shared = new Map<string, Shared>();

function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.(); // Node: a pending deadline does not keep the process alive
}

function sharedDeadline(timeoutMs: number): Deadline {
  const width = Math.min(Math.max(Math.ceil(timeoutMs / 50), 1), 250);
  const now = Date.now();
  const windowEnd = (Math.floor(now / width) + 1) * width;
  const key = `${timeoutMs}:${windowEnd}`;
  let entry = shared.get(key);
  if (!entry) {
    const controller = new AbortController();
    const listeners = new Set<() => void>();
    const created: Shared = { controller, uses: 0, expired: false, stop: stopOf(controller, listeners) };
    shared.set(key, (entry = created));
    unref(
      setTimeout(() => {
        created.expired = true;
        created.controller.abort();
        for (const listener of listeners) listener();
        listeners.clear();
        if (shared.get(key) === created) shared.delete(key);
      }, windowEnd + timeoutMs - now),
    );
  }
  if (++entry.uses >= MAX_USES) shared.delete(key);
  const used = entry;
  return { signal: used.controller.signal, stop: used.stop, timedOut: () => used.expired, done: () => {} };
}

function ownDeadline(timeoutMs: number, userSignal: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => ((expired = true), controller.abort()), timeoutMs);
  const onAbort = () => controller.abort();
  userSignal.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    stop: controller.signal,
    timedOut: () => expired,
    done: () => {
      clearTimeout(timer);
      userSignal.removeEventListener("abort", onAbort);
    },
  };
}

/** The deadline of a call, or undefined when it has no timeout (0, Infinity, or 2^31 ms and more). */
export function deadline(timeoutMs: number, userSignal: AbortSignal | undefined): Deadline | undefined {
  // Past 2^31 - 1 ms a timer fires at once (Node, browsers); so long a wait means none.
  if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) return undefined;
  return userSignal ? ownDeadline(timeoutMs, userSignal) : sharedDeadline(timeoutMs);
}
