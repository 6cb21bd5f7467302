/** When a request is sent again, and after how long (docs/design.md#retries). */
import type { CallOptions, ClientConfig } from "./options.js";

/** Statuses worth another try: the server may answer differently a moment later. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

/** A `Retry-After` longer than this returns the error instead of waiting. */
export const MAX_RETRY_AFTER_MS = 30_000;

const MAX_BACKOFF_MS = 8_000;

/** How many times a call may be sent again: GET and HEAD by default, any method when the call opts in. */
export function retriesFor(method: string, config: ClientConfig, retry: CallOptions["retry"]): number {
  if (retry === false) return 0;
  if (typeof retry === "number") return retry;
  return retry === true || method === "GET" || method === "HEAD" ? config.retries : 0;
}

/**
 * Milliseconds to wait before attempt `attempt + 1` (0-based), or `undefined` when the server asks
 * for a longer wait than MAX_RETRY_AFTER_MS. `Retry-After` (seconds or an HTTP date) wins over the
 * exponential backoff, which has up to 25% jitter so that clients do not retry in step.
 */
export function retryDelay(attempt: number, retryAfter: string | null, baseMs: number, now: number): number | undefined {
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (!Number.isNaN(ms)) return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(0, ms);
  }
  return Math.min(baseMs * 2 ** attempt, MAX_BACKOFF_MS) * (1 - Math.random() * 0.25);
}
