/** Request bodies the common path does not need, loaded on first use: byte streams and JSON with bigints. */

/**
 * JSON text with bigints written as their exact digits: JSON.stringify refuses a bigint, so each
 * one becomes a marker string that no value can contain, then is replaced by its digits.
 */
export function jsonWithBigInts(value: unknown): string {
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

/** Any stream or async iterable of bytes as a web stream that is cancelled when `signal` fires. */
export function streamBody(value: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  return cancelOnAbort(value instanceof ReadableStream ? value : iterableToStream(value), signal);
}
