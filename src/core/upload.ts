/** Streamed request bodies (module uploads), loaded with the first one. */
import type { StopSignal } from "../transport/transport.js";
import { InputError, messageOf } from "./errors.js";

/** A chunk as bytes, or an InputError: anything else would be sent as junk or as nothing. */
function bytesOf(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new InputError(`a streamed body chunk must be a Uint8Array or ArrayBuffer, not ${chunk === null ? "null" : typeof chunk}`);
}

/**
 * `source` as a web stream of checked bytes, one pull per read (no buffering), cancelled when
 * `stop` fires: Node 20's fetch keeps reading a request stream to its end after an abort. A chunk
 * that is not bytes, or a source that fails, errors the stream, so the request fails and nothing
 * half-sent is published; `onInvalid` learns why.
 */
export function uploadStream(
  value: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  stop: StopSignal,
  onInvalid: (error: InputError) => void,
): ReadableStream<Uint8Array> {
  const iterator: AsyncIterator<unknown> =
    value instanceof ReadableStream ? readerIterator(value.getReader()) : value[Symbol.asyncIterator]();
  const cancel = () => void iterator.return?.(stop.reason)?.catch?.(() => {});
  const release = () => stop.removeEventListener("abort", cancel);
  stop.addEventListener("abort", cancel);
  if (stop.aborted) cancel();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value: chunk, done } = await iterator.next();
          if (stop.aborted) controller.error(stop.reason);
          else if (done) (release(), controller.close());
          else controller.enqueue(bytesOf(chunk));
        } catch (e) {
          release();
          if (!stop.aborted) {
            // Not the server's doing: a chunk that is not bytes, or the source failing (a file gone).
            const why = e instanceof InputError ? e : new InputError("the body's source failed", { cause: e, detail: messageOf(e) });
            onInvalid(why);
            cancel();
          }
          throw e;
        }
      },
      async cancel(reason) {
        release();
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function readerIterator(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncIterator<unknown> {
  return {
    next: () => reader.read() as Promise<IteratorResult<unknown>>,
    return: async (reason?: unknown) => {
      await reader.cancel(reason).catch(() => {});
      return { value: undefined, done: true };
    },
  };
}
