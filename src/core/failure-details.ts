/**
 * What the SDK says about a failure: an HTTP error's body and message, a network failure in words,
 * a cause chain that cannot carry the token. Loaded with the first failure a client meets, so the
 * happy path does not ship it.
 */
import { isJsonType, redact } from "./index.js";
import { TooLarge } from "./cap.js";

const HINTS: Record<number, string> = {
  400: "the server rejected the request",
  401: "the token is missing or invalid: pass `token` to createClient or to this call",
  403: "this identity may not do that (only the database owner can)",
  404: "not found",
  413: "the body is over the server's 2 MiB limit",
  415: "the server refused the Content-Type",
  530: "the reducer failed and its transaction was rolled back",
};

/** The likely cause a typed error body names, where the status alone would mislead. */
function causeOf(body: unknown): string | undefined {
  const denied = (body as { PermissionDenied?: { name?: unknown; domain?: unknown } } | undefined)?.PermissionDenied;
  if (typeof body !== "object" || body === null || !denied) return undefined;
  const name = denied.name ?? denied.domain;
  return `the name${typeof name === "string" ? ` "${name}"` : ""} belongs to another identity: publish under another name, or with the owner's token`;
}

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
  const hint = causeOf(body) ?? HINTS[status] ?? (status >= 500 ? "the server failed" : "the request failed");
  const message = `HTTP ${status}: ${detail || hint}${detail && (HINTS[status] || causeOf(body)) ? ` (${hint})` : ""}`;
  return { body, message: redact(message, token) };
}

/** What a fetch that threw means, in words: no server, a redirect an upload does not follow, or the send failing. */
export function networkMessage(e: unknown, baseUrl: string, upload: boolean, responded: boolean): string {
  const reason = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = reason?.message ?? (e as Error)?.message ?? String(e);
  if (responded) return `the connection failed while reading the response: ${(e as Error)?.message ?? detail}`;
  if (reason?.code) return `could not reach ${baseUrl} (${reason.code}); is the server running?`;
  if (upload && /redirect/i.test(detail)) return `the server answered a redirect, which an upload does not follow; use the final URL as baseUrl (${detail})`;
  // A browser says only "Failed to fetch" (Chromium), "NetworkError…" (Firefox) or "Load failed" (Safari).
  if (typeof document !== "undefined" && /failed to fetch|networkerror|load failed/i.test(detail)) {
    return `the browser could not complete the request to ${baseUrl}: the server is down, or the browser blocked it (CORS: the server allows only the Authorization, Accept and Content-Type request headers; a custom header or an extension can block it) (${detail})`;
  }
  return `the request failed: ${detail}`;
}

/**
 * A copy of an error's cause chain that cannot carry `secret`: name, code, message and stack,
 * redacted, and nothing else (a parser error keeps the raw bytes it choked on, token and all).
 */
export function redactCause(cause: unknown, secret: string | undefined, depth = 0): unknown {
  if (!secret || cause === undefined || cause === null) return cause;
  if (typeof cause !== "object") return redact(String(cause), secret);
  const source = cause as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
  const copy = new Error(redact(String(source.message ?? ""), secret), depth < 8 && source.cause !== undefined ? { cause: redactCause(source.cause, secret, depth + 1) } : undefined);
  copy.name = redact(String(source.name ?? "Error"), secret);
  copy.stack = redact(String(source.stack ?? ""), secret);
  if (typeof source.code === "string") Object.assign(copy, { code: redact(source.code, secret) });
  return copy;
}

/** Whether `e` (or what caused it) is the cap being reached. */
export function isTooLarge(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) if (cur instanceof TooLarge) return true;
  return false;
}

/** ` to <absolute URL>` of a redirect answer, or "" when it names none that parses. */
export function redirectTarget(response: Response, baseUrl: string): string {
  const to = response.headers.get("location");
  const base = response.url || baseUrl;
  return to && URL.canParse(to, base) ? ` to ${new URL(to, base).href}` : "";
}
