/** Request bodies by the spec's media kind, and response bodies by what the server sent. */
import type { BodyKind, ResponseKind } from "./operation.js";
import { stringifyJson } from "./sats/json.js";

/** Module bytes and other binary bodies. Any async iterable of bytes (e.g. a Node `Readable`) works too. */
export type BinaryBody = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export type EncodedBody = { body: BodyInit; streamed: boolean } | { error: string };

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

export function encodeBody(kind: BodyKind, value: unknown): EncodedBody {
  switch (kind) {
    case "text":
      return typeof value === "string" ? { body: value, streamed: false } : { error: `the body must be a string, not ${typeof value}` };
    case "json":
      try {
        const text = value === undefined ? undefined : stringifyJson(value);
        return text === undefined ? { error: "the body must be a JSON value" } : { body: text, streamed: false };
      } catch (e) {
        return { error: `the body cannot be written as JSON: ${(e as Error).message}` };
      }
    case "binary":
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return { body: value as BodyInit, streamed: false };
      if (typeof Blob !== "undefined" && value instanceof Blob) return { body: value, streamed: false };
      if (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) return { body: value, streamed: true };
      if (isAsyncIterable(value)) return { body: iterableToStream(value), streamed: true };
      return { error: "the body must be a Uint8Array, ArrayBuffer, Blob, ReadableStream or async iterable of bytes" };
  }
}

function iterableToStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBufferLike));
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

export type DecodedBody = { data: unknown } | { parseError: string; raw: string };

const isJsonType = (contentType: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType);

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

/** An error body: JSON when the server says so and it parses, else its text; undefined when empty. */
export async function decodeError(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  if (text === "") return undefined;
  if (isJsonType(response.headers.get("content-type") ?? "")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
