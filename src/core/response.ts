/**
 * Reading an answer: how openapi-fetch reads a body, the cap on its size (maxResponseBytes), and a
 * success body decoded by the kind the spec gives its media type.
 */
import { parseJsonWithin } from "../sats/depth.js";
import type { BodyShape, ResponseKind } from "./operation-table.js";
import { jsonSyntaxReason } from "./errors.js";

export type DecodedBody = { data: unknown } | { parseError: string; raw: string };

type Kinds = ResponseKind | Readonly<Record<string, Exclude<ResponseKind, "empty">>>;

const mediaTypeOf = (contentType: string) => contentType.split(";")[0]!.trim().toLowerCase();

/**
 * `application/json` or `application/<name>+json` (name: letters, digits, `_ . -`), in any case, with
 * any parameters: what `/^application\/([\w.-]+\+)?json\s*(;|$)/i` accepts, without a case-folding
 * regex (its first use costs a cold start 0.2 ms). Only ASCII is compared after lowercasing.
 */
export function isJsonType(contentType: string): boolean {
  if (contentType === "application/json") return true; // as the server writes it: most answers, and no copy made
  const media = contentType.split(";", 1)[0]!.trimEnd();
  const lower = media.toLowerCase();
  return lower === "application/json" || (lower.startsWith("application/") && lower.endsWith("+json") && /^[\w.-]+$/.test(media.slice(12, -5)));
}

/** The kind of a success body: the spec's kind for its media type, else the first the spec lists. */
export function kindFor(kinds: Kinds | undefined, contentType: string): ResponseKind | undefined {
  if (kinds === undefined || typeof kinds === "string") return kinds;
  if (Object.hasOwn(kinds, contentType)) return kinds[contentType]; // as the spec writes it: most answers
  const wanted = mediaTypeOf(contentType);
  for (const [type, kind] of Object.entries(kinds)) if (mediaTypeOf(type) === wanted) return kind;
  return Object.values(kinds)[0];
}

/** How openapi-fetch should read a success body: bytes only when every kind the spec lists is binary. */
export function parseAsFor(kinds: Kinds | ResponseKind | undefined): "text" | "arrayBuffer" {
  const all = kinds === undefined ? [] : typeof kinds === "string" ? [kinds] : Object.values(kinds);
  return all.length > 0 && all.every((k) => k === "binary") ? "arrayBuffer" : "text";
}

/** The data, or why it does not fit the spec's kind (with the raw text kept). */
export function decodeSuccess(body: unknown, kind: ResponseKind | undefined, contentType: string): DecodedBody {
  if (body instanceof ArrayBuffer) return { data: new Uint8Array(body) };
  if (body === undefined || body === "" || kind === "empty") return { data: undefined };
  const text = body as string;
  if (kind === "text" || kind === undefined || kind === "binary") return { data: text };
  if (kind === "ndjson") {
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    for (let i = 0; i < lines.length; i++) {
      const parsed = parseJsonText(lines[i]!);
      if ("reason" in parsed) return { parseError: `line ${i + 1} of the ${contentType || "NDJSON"} body is ${parsed.reason}`, raw: text };
      lines[i] = parsed.value as never;
    }
    return { data: lines };
  }
  if (contentType !== "" && !isJsonType(contentType)) return { parseError: `expected a JSON body, got ${contentType}`, raw: text };
  const parsed = parseJsonText(text);
  return "reason" in parsed ? { parseError: `the body is ${parsed.reason}`, raw: text } : { data: parsed.value };
}

/** The parsed text, or why it is not JSON the SDK reads. */
export function parseJsonText(text: string): { value: unknown } | { reason: string } {
  try {
    return { value: parseJsonWithin(text) };
  } catch (e) {
    return { reason: jsonSyntaxReason(e) };
  }
}

const typeOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value);

/**
 * Why a decoded JSON body does not have the shape the spec gives it (its top-level type and the
 * properties every form of it requires), or undefined when it does. Not a validator: the rest is the
 * server's word.
 */
export function shapeMismatch(value: unknown, shape: BodyShape | undefined): string | undefined {
  if (!shape) return undefined;
  const type = typeOf(value);
  if (!shape.types.some((t) => t === type || (t === "number" && type === "integer"))) return `the body is ${type === "array" || type === "integer" ? "an" : "a"} ${type}, where the spec says ${shape.types.join(" or ")}`;
  const missing = type === "object" ? (shape.required ?? []).filter((key) => !Object.hasOwn(value as object, key)) : [];
  return missing.length ? `the body lacks ${missing.map((key) => JSON.stringify(key)).join(", ")}, which the spec requires` : undefined;
}

export const tooLargeMessage = (cap: number) =>
  `the response body is over maxResponseBytes (${cap} bytes), so the connection was closed; raise maxResponseBytes on the call or the client (Infinity: no limit)`;

/** Thrown into the body stream at the cap; the call reports it as kind `too-large`. */
export class TooLarge extends Error {}

/**
 * `response` with a body that errors (and cancels the connection) once more than `cap` decoded
 * bytes have arrived. A body whose declared length is over the cap is refused before any of it is
 * read; one whose length is declared, within the cap and not content-encoded is passed through as
 * it is (the common case costs nothing). Compressed bodies are counted as fetch decodes them. 204,
 * 205 and 304 carry no body (Chromium still gives them an empty stream, which a Response may not be
 * rebuilt with). `body` is read last: on the Node transport reading it converts the body.
 */
export function capResponse(response: Response, cap: number): Response {
  if (cap === Infinity || response.status === 204 || response.status === 205 || response.status === 304) return response;
  const declared = response.headers.get("content-length");
  const encoded = response.headers.has("content-encoding");
  if (declared !== null && !encoded) {
    if (Number(declared) <= cap) return response;
    void response.body?.cancel().catch(() => {});
    throw new TooLarge(tooLargeMessage(cap));
  }
  if (response.body === null) return response;
  let seen = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > cap) controller.error(new TooLarge(tooLargeMessage(cap)));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
