/** How long to wait before sending a request again. Loaded with the first retry. */

/** A `Retry-After` longer than this returns the error instead of waiting. */
export const MAX_RETRY_AFTER_MS = 30_000;

const MAX_BACKOFF_MS = 8_000;

/**
 * Milliseconds to wait before attempt `attempt + 1` (0-based), or `undefined` when the server asks
 * for a longer wait than MAX_RETRY_AFTER_MS. `Retry-After` (seconds or an HTTP date) wins over the
 * exponential backoff, which has up to 25% jitter so that clients do not retry in step.
 */
export function retryDelay(attempt: number, retryAfter: string | null, baseMs: number, now = Date.now()): number | undefined {
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (!Number.isNaN(ms)) return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(0, ms);
  }
  return Math.min(baseMs * 2 ** attempt, MAX_BACKOFF_MS) * (1 - Math.random() * 0.25);
}

/** Resolves after `ms`, or early (to `false`) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
