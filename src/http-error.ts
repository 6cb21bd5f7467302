/** A non-2xx answer, read into an error body and message. Loaded with the first error a client meets. */
import { isJsonType } from "./body.js";
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

/** The body: JSON when the server says so and it parses, else its text; undefined when empty. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  if (text === "") return undefined;
  if (!isJsonType(response.headers.get("content-type") ?? "")) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `redact` on every string in a decoded JSON value, keys included. */
function redactDeep(value: unknown, secret: string | undefined): unknown {
  if (!secret) return value;
  if (typeof value === "string") return redact(value, secret);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secret));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secret), redactDeep(v, secret)]));
}

/** The error body (token redacted) and a message: the server's own words, or a hint for the status. */
export async function readHttpError(response: Response, token: string | undefined): Promise<{ body: unknown; message: string }> {
  const { status } = response;
  const body = redactDeep(await readBody(response), token);
  const detail = typeof body === "string" ? body.slice(0, 500) : body === undefined ? "" : JSON.stringify(body).slice(0, 500);
  const hint = HINTS[status] ?? (status >= 500 ? "the server failed" : "the request failed");
  const message = `HTTP ${status}: ${detail || hint}${detail && HINTS[status] ? ` (${hint})` : ""}`;
  return { body, message: redact(message, token) };
}
