/** The transport of the universal build: the global `fetch`, or one the user injected. */
import type { FetchLike, Transport } from "./transport.js";

/**
 * "error" refuses a redirect wherever the runtime accepts it (Node's fetch clones, and so tees and
 * keeps, the body of a request under any other mode); workerd refuses "error", so "manual" there,
 * and the 3xx comes back to be reported with its URL.
 */
const noFollow = (): RequestRedirect => (typeof navigator !== "undefined" && navigator.userAgent === "Cloudflare-Workers" ? "manual" : "error");

export function fetchTransport(fetch: FetchLike): Transport {
  return { send: (request) => fetch(request), signalOnRequest: true, noFollow: noFollow() };
}
