/** Request bodies by the spec's media kind, and response bodies by what the server sent. */
import type { BodyKind, ResponseKind } from "./operation.js";

/** Module bytes and other binary bodies. Any async iterable of bytes (e.g. a Node `Readable`) works too. */
export type BinaryBody = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export type EncodedBody = { body: BodyInit; streamed: boolean } | { error: string };

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

const isBigIntError = (e: unknown) => e instanceof TypeError && /bigint/i.test(e.message);

/**
 * The body to send. Synchronous on the common path; streams and JSON with bigints take a module
 * loaded on first use (body-extras.ts). `signal` is the request's own (user abort or timeout): a
 * streamed body is cancelled when it fires, because Node 20's fetch keeps reading a request stream
 * to its end after an abort.
 */
export function encodeBody(kind: BodyKind, value: unknown, signal?: AbortSignal): EncodedBody | Promise<EncodedBody> {
  switch (kind) {
    case "text":
      return typeof value === "string" ? { body: value, streamed: false } : { error: `the body must be a string, not ${typeof value}` };
    case "json":
      try {
        const text = value === undefined ? undefined : JSON.stringify(value);
        return text === undefined ? { error: "the body must be a JSON value" } : { body: text, streamed: false };
      } catch (e) {
        if (isBigIntError(e)) return import("./body-extras.js").then(({ jsonWithBigInts }) => ({ body: jsonWithBigInts(value), streamed: false }));
        return { error: `the body cannot be written as JSON: ${(e as Error).message}` };
      }
    case "binary":
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return { body: value as BodyInit, streamed: false };
      if (typeof Blob !== "undefined" && value instanceof Blob) return { body: value, streamed: false };
      if ((typeof ReadableStream !== "undefined" && value instanceof ReadableStream) || isAsyncIterable(value)) {
        return import("./body-extras.js").then(({ streamBody }) => ({ body: streamBody(value, signal), streamed: true }));
      }
      return { error: "the body must be a Uint8Array, ArrayBuffer, Blob, ReadableStream or async iterable of bytes" };
  }
}

export type DecodedBody = { data: unknown } | { parseError: string; raw: string };

export const isJsonType = (contentType: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType);

/** Parses a success body as the spec's kind for its status; a body that does not fit is a parse error. */
export async function decodeSuccess(response: Response, kind: ResponseKind | undefined): Promise<DecodedBody> {
  if (kind === "binary") return { data: new Uint8Array(await response.arrayBuffer()) };
  const text = await response.text();
  if (text === "" || kind === "empty") return { data: undefined };
  if (kind === "text" || kind === undefined) return { data: text };
  const contentType = response.headers.get("content-type") ?? "";
  if (kind === "ndjson") {
    try {
      return { data: text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as unknown) };
    } catch (e) {
      return { parseError: `a line of the ${contentType || "NDJSON"} body is not JSON: ${(e as Error).message}`, raw: text };
    }
  }
  if (contentType !== "" && !isJsonType(contentType)) {
    return { parseError: `expected a JSON body, got ${contentType}`, raw: text };
  }
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (e) {
    return { parseError: `the body is not valid JSON: ${(e as Error).message}`, raw: text };
  }
}
