/** NDJSON over a byte stream: one parsed record per line, lines split across chunks joined again. */
import { SpacetimeHttpError } from "./errors.js";

export interface LineStreamOptions {
  /** The operation named in errors. */
  operation: string;
  /** End with a `timeout` error when no bytes arrive for this long (default: wait forever). */
  idleTimeoutMs?: number;
  /** Aborting it ends the iteration quietly, like close(). */
  signal?: AbortSignal;
}

/** A live sequence of records: `for await` it, and `close()` (or `break`) to stop. */
export interface RecordStream<T> extends AsyncIterable<T> {
  close(): Promise<void>;
}

/**
 * Reads `body` line by line and yields `parse(line)` for each non-empty line, including a last line
 * with no newline. A dropped connection throws a `network` error, a line `parse` rejects a `parse`
 * error (both SpacetimeHttpError); close(), break and abort end the iteration without an error.
 */
export function ndjsonStream<T>(body: ReadableStream<Uint8Array>, parse: (line: string) => T, options: LineStreamOptions): RecordStream<T> {
  const reader = body.getReader();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await reader.cancel().catch(() => {});
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  if (options.signal?.aborted) void close();

  const fail = (kind: "network" | "parse" | "timeout", message: string, cause?: unknown, body?: string) =>
    new SpacetimeHttpError({ kind, operation: options.operation, message: `${options.operation}: ${message}`, cause, body });

  async function read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (!options.idleTimeoutMs) return reader.read();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(fail("timeout", `no data for ${options.idleTimeoutMs} ms`)), options.idleTimeoutMs);
    });
    try {
      return await Promise.race([reader.read(), idle]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function* records(): AsyncGenerator<T> {
    const decoder = new TextDecoder();
    let buffered = "";
    const lineOf = (line: string): T => {
      try {
        return parse(line);
      } catch (e) {
        throw fail("parse", `a log line is not a JSON record: ${(e as Error).message}`, e, line);
      }
    };
    try {
      while (!closed) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await read();
        } catch (e) {
          if (closed) return;
          if (e instanceof SpacetimeHttpError) throw e;
          throw fail("network", `the stream broke: ${(e as Error).message}`, e);
        }
        if (chunk.done) break;
        buffered += decoder.decode(chunk.value, { stream: true });
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim() !== "") yield lineOf(line);
          if (closed) return;
        }
      }
      buffered += decoder.decode();
      if (!closed && buffered.trim() !== "") yield lineOf(buffered);
    } finally {
      await close();
    }
  }

  const iterator = records();
  return { [Symbol.asyncIterator]: () => iterator, close };
}
