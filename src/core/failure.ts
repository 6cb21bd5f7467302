/**
 * What the SDK says about a failure: an HTTP error's body and message, a network failure in words,
 * a cause chain that cannot carry a secret.
 */
import { isJsonType, TooLarge } from "./response.js";
import { LEFT_OUT, redact, redactJson, type Secrets } from "./secrets.js";

const HINTS: Record<number, string> = {
  400: "the server rejected the request",
  401: "the token is missing or invalid: pass `token` to createClient or to this call",
  403: "this identity may not do that (only the database owner can)",
  404: "not found",
  413: "the body is over the server's 2 MiB limit",
  415: "the server refused the Content-Type",
  530: "the reducer failed and its transaction was rolled back",
};

/** The hint for a status: a 401 after a token was sent means that token was refused, not missing. */
const hintFor = (status: number, tokenSent: boolean) =>
  status === 401 && tokenSent ? "the server refused the token: it is invalid, expired, or from another server" : HINTS[status];

/** The likely cause a typed error body names, where the status alone would mislead. */
function causeOf(body: unknown): string | undefined {
  const denied = (body as { PermissionDenied?: { name?: unknown; domain?: unknown } } | undefined)?.PermissionDenied;
  if (typeof body !== "object" || body === null || !denied) return undefined;
  const name = denied.name ?? denied.domain;
  return `the name${typeof name === "string" ? ` "${name}"` : ""} belongs to another identity: publish under another name, or with the owner's token`;
}

/**
 * The error body, with the call's secrets redacted (structurally from JSON, so it stays the same
 * JSON), and a message: the server's own words, or a hint for the status. openapi-fetch has read the
 * body and parsed it as JSON where it could; a body the server did not send as JSON is kept as its
 * text. A body holding a secret too short to redact is left out, and the message says so.
 */
export function describeHttpError(response: Response, read: unknown, secrets: Secrets, tokenSent: boolean): { body: unknown; message: string } {
  const { status } = response;
  const asJson = isJsonType(response.headers.get("content-type") ?? "");
  const raw = read === "" ? undefined : !asJson && typeof read !== "string" && read !== undefined ? JSON.stringify(read) : read;
  const body = typeof raw === "string" ? redact(raw, secrets) : redactJson(raw, secrets);
  const hint = causeOf(body) ?? hintFor(status, tokenSent) ?? (status >= 500 ? "the server failed" : "the request failed");
  if (raw !== undefined && (body === undefined || body === LEFT_OUT)) {
    return { body: undefined, message: `HTTP ${status}: ${hint} (the server's answer is left out: it may hold a secret too short to redact safely)` };
  }
  const detail = typeof body === "string" ? body.slice(0, 500) : body === undefined ? "" : JSON.stringify(body).slice(0, 500);
  const message = `HTTP ${status}: ${detail || hint}${detail && (hintFor(status, tokenSent) || causeOf(body)) ? ` (${hint})` : ""}`;
  return { body, message };
}

/** undici's codes for an answer that breaks HTTP (llhttp's parser errors are HPE_*). */
const MALFORMED = /^(HPE_|UND_ERR_HEADERS_OVERFLOW$|UND_ERR_RES_CONTENT_LENGTH_MISMATCH$|UND_ERR_INFO$)/;

/**
 * What a fetch that threw means, in words: an answer that breaks HTTP, a redirect the request does
 * not follow (or cannot: not http(s)), no server, or the send failing.
 */
export function networkMessage(e: unknown, baseUrl: string, noFollow: boolean, responded: boolean, secrets: Secrets): string {
  const reason = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = typeof reason?.code === "string" ? reason.code : "";
  const detail = redact(reason?.message ?? (e as Error)?.message ?? String(e), secrets);
  if (MALFORMED.test(code) || (code === "UND_ERR_SOCKET" && /bad response/i.test(detail))) return `the server's answer was malformed: ${detail} (${code})`;
  if (responded) return `the connection failed while reading the response: ${redact((e as Error)?.message ?? "", secrets) || detail}`;
  if (/URL scheme|not an http\(s\) URL/i.test(detail)) return `the server redirected to a URL that is not http(s), which is not followed (${detail})`;
  if (noFollow && /redirect/i.test(detail)) return `the server answered a redirect, which this request does not follow; use the final URL as baseUrl (${detail})`;
  if (code) return `could not reach ${baseUrl} (${redact(code, secrets)}); is the server running?`;
  // A browser says only "Failed to fetch" (Chromium), "NetworkError…" (Firefox) or "Load failed" (Safari).
  if (typeof document !== "undefined" && /failed to fetch|networkerror|load failed/i.test(detail)) {
    return `the browser could not complete the request to ${baseUrl}: the server is down, or CORS blocked it (the server allows no request header but Authorization, Accept and Content-Type) (${detail})`;
  }
  return `the request failed: ${detail}`;
}

/**
 * A copy of an error's cause chain that cannot carry a secret: name, code, message and stack,
 * redacted, and nothing else (a parser error keeps the raw bytes it choked on, token and all).
 */
export function redactCause(cause: unknown, secrets: Secrets, depth = 0): unknown {
  if (secrets.length === 0 || cause === undefined || cause === null) return cause;
  if (typeof cause !== "object") return redact(String(cause), secrets);
  const source = cause as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
  const copy = new Error(redact(String(source.message ?? ""), secrets), depth < 8 && source.cause !== undefined ? { cause: redactCause(source.cause, secrets, depth + 1) } : undefined);
  copy.name = redact(String(source.name ?? "Error"), secrets);
  copy.stack = redact(String(source.stack ?? ""), secrets);
  if (typeof source.code === "string") Object.assign(copy, { code: redact(source.code, secrets) });
  return copy;
}

/** Whether `e` (or what caused it) is the cap being reached. */
export function isTooLarge(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) if (cur instanceof TooLarge) return true;
  return false;
}

/** ` to <absolute URL>` of a redirect answer (the server's text, redacted), or "" when it names none that parses. */
export function redirectTarget(response: Response, baseUrl: string, secrets: Secrets): string {
  const to = response.headers.get("location");
  const base = response.url || baseUrl;
  return to && URL.canParse(to, base) ? ` to ${redact(new URL(to, base).href, secrets)}` : "";
}
