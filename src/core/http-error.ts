/** A non-2xx answer as an error body and message. Loaded with the first error a client meets. */
import { isJsonType } from "./decode.js";
import { redact } from "./errors.js";

const HINTS: Record<number, string> = {
  400: "the server rejected the request",
  401: "the token is missing or invalid: pass `token` to createClient or to this call",
  403: "this identity may not do that (only the database owner can)",
  404: "not found",
  413: "the body is over the server's 2 MiB limit",
  415: "the server refused the Content-Type",
  530: "the reducer failed and its transaction was rolled back",
};

/** `redact` on every string in a decoded JSON value, keys included. */
function redactDeep(value: unknown, secret: string | undefined): unknown {
  if (!secret) return value;
  if (typeof value === "string") return redact(value, secret);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secret));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secret), redactDeep(v, secret)]));
}

/**
 * The error body (token redacted) and a message: the server's own words, or a hint for the status.
 * openapi-fetch has read the body and parsed it as JSON where it could; a body the server did not
 * send as JSON is kept as its text.
 */
export function describeHttpError(response: Response, read: unknown, token: string | undefined): { body: unknown; message: string } {
  const { status } = response;
  const asJson = isJsonType(response.headers.get("content-type") ?? "");
  const raw = read === "" ? undefined : !asJson && typeof read !== "string" && read !== undefined ? JSON.stringify(read) : read;
  const body = redactDeep(raw, token);
  const detail = typeof body === "string" ? body.slice(0, 500) : body === undefined ? "" : JSON.stringify(body).slice(0, 500);
  const hint = HINTS[status] ?? (status >= 500 ? "the server failed" : "the request failed");
  const message = `HTTP ${status}: ${detail || hint}${detail && HINTS[status] ? ` (${hint})` : ""}`;
  return { body, message: redact(message, token) };
}
