/** Request bodies by the spec's media kind, and response bodies by what the server sent. */
import type { BodyKind, ResponseKind } from "./operation.js";

/** Module bytes and other binary bodies. Any async iterable of bytes (e.g. a Node `Readable`) works too. */
export type BinaryBody = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export type EncodedBody = { body: BodyInit; streamed: boolean } | { error: string };

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/**
 * `signal` is the request's own (user abort or timeout): a streamed body is cancelled when it fires,
 * because Node 20's fetch keeps reading a request stream to its end after an abort.
 */
export function encodeBody(kind: BodyKind, value: unknown, signal?: AbortSignal): EncodedBody {
  switch (kind) {
    case "text":
      return typeof value === "string" ? { body: value, streamed: false } : { error: `the body must be a string, not ${typeof value}` };
    case "json":
      try {
        const text = value === undefined ? undefined : toJson(value);
        return text === undefined ? { error: "the body must be a JSON value" } : { body: text, streamed: false };
      } catch (e) {
        return { error: `the body cannot be written as JSON: ${(e as Error).message}` };
      }
    case "binary":
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return { body: value as BodyInit, streamed: false };
      if (typeof Blob !== "undefined" && value instanceof Blob) return { body: value, streamed: false };
      if (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) return { body: cancelOnAbort(value, signal), streamed: true };
      if (isAsyncIterable(value)) return { body: cancelOnAbort(iterableToStream(value), signal), streamed: true };
      return { error: "the body must be a Uint8Array, ArrayBuffer, Blob, ReadableStream or async iterable of bytes" };
  }
}

/**
 * JSON text with bigints written as their exact digits. JSON.stringify (the fast path) refuses a
 * bigint; then each one becomes a marker string that no value can contain, replaced by its digits.
 */
export function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof TypeError && /bigint/i.test(e.message))) throw e;
  }
  const digits: string[] = [];
  const marker = `\u0000${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? marker + (digits.push(v.toString()) - 1) : v));
  const quoted = JSON.stringify(marker).slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  return text.replace(new RegExp(`"${quoted}(\\d+)"`, "g"), (_m, i: string) => digits[Number(i)]!);
}

/** `source` read through a stream that cancels it when `signal` fires (one pull per read, no buffering). */
function cancelOnAbort(source: ReadableStream<Uint8Array>, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  if (!signal) return source;
  const reader = source.getReader();
  const stop = () => void reader.cancel(signal.reason).catch(() => {});
  const release = () => signal.removeEventListener("abort", stop);
  signal.addEventListener("abort", stop, { once: true });
  if (signal.aborted) stop();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (signal.aborted) controller.error(signal.reason);
          else if (done) (release(), controller.close());
          else controller.enqueue(value);
        } catch (e) {
          release();
          throw e;
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
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
