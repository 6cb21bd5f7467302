/** NDJSON over a byte stream: one parsed record per line, lines split across chunks joined again. */
import type { Deadline } from "../core/deadline.js";
import { SpacetimeHttpError, jsonSyntaxReason } from "../core/errors.js";
import { redactCause } from "../core/failure.js";
import { tooLargeMessage } from "../core/response.js";
import { redact, type Secrets } from "../core/secrets.js";

export interface LineStreamOptions {
  /** The operation named in errors. */
  operation: string;
  /** End with a `timeout` error when no bytes arrive for this long (default: wait forever). */
  idleTimeoutMs?: number;
  /** Aborting it ends the iteration quietly, like close(). */
  signal?: AbortSignal;
  /** The most bytes of one record: a longer line ends the stream with a `too-large` error. */
  maxRecordBytes?: number;
  /** Redacted from whatever the stream throws (the server may echo the token in a line). */
  secrets?: Secrets;
  /** The call's deadline: released when the stream ends; when it passes, the stream ends with `timeout`. */
  deadline?: Deadline;
}

/** A live sequence of records: `for await` it, and `close()` (or `break`) to stop. */
export interface RecordStream<T> extends AsyncIterable<T> {
  close(): Promise<void>;
}

/**
 * `line` as a string of its own: a slice of a longer string may be kept as a view on it (V8 does so
 * from 13 characters), which would keep a whole chunk's text alive for as long as one record is.
 * Slicing a fresh concatenation makes the engine copy the line once, without a call into the decoder.
 */
const own = (line: string): string => (line.length < 13 ? line : ` ${line}`.slice(1));

/**
 * Reads `body` line by line and yields `parse(line)` for each non-empty line, including a last line
 * with no newline. A dropped connection throws a `network` error, a line `parse` rejects a `parse`
 * error (both SpacetimeHttpError, after the records before it); close(), break and abort end the
 * iteration without an error. Each chunk's complete lines are queued as the chunk's text, and cut out,
 * copied and parsed one by one as they are handed out (records and lines die young, and what
 * survives a young-generation collection is the chunk's text alone: more survivors once made V8 grow
 * that generation, and the process, by 16 MB), without an async generator, whose per-record overhead
 * was a large part of the cost at a million lines.
 */
export function ndjsonStream<T>(body: ReadableStream<Uint8Array>, parse: (line: string) => T, options: LineStreamOptions): RecordStream<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let partial: Uint8Array[] = []; // the bytes of a line whose newline has not arrived yet
  let partialBytes = 0;
  const cap = options.maxRecordBytes ?? Infinity;
  let texts: string[] = []; // complete lines not yet handed out, in texts of one or more lines joined by "\n"
  let t = 0; // the text being handed out
  let pos = 0; // where its next line starts
  let held: string | undefined; // a line cut out but not yet handed out (its parse failed in next())
  let ended = false;
  let failure: SpacetimeHttpError | undefined; // a network or idle-timeout error, thrown once the lines before it are out
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    texts = [];
    held = undefined;
    options.signal?.removeEventListener("abort", onAbort);
    options.deadline?.release();
    await reader.cancel().catch(() => {});
  };
  const onAbort = () => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) void close();

  const secrets = options.secrets ?? [];
  /** A stream error; `message` is the SDK's sentence (any foreign text in it already redacted). */
  const fail = (kind: "network" | "parse" | "timeout" | "too-large", message: string, cause?: unknown, body?: string) =>
    new SpacetimeHttpError({
      kind,
      operation: options.operation,
      message: `${options.operation}: ${message}`,
      cause: redactCause(cause, secrets),
      body: body === undefined ? undefined : redact(body, secrets),
    });
  /** Ends the stream with `too-large` once the lines before it are out, and stops reading. */
  const overCap = () => {
    failure ??= fail("too-large", tooLargeMessage(cap).replace("response body", "log record"));
    partial = [];
    partialBytes = 0;
    void reader.cancel().catch(() => {});
  };

  /** Queues the line made of `partial` and then `bytes` (a blank one is skipped when handed out). */
  const take = (bytes: Uint8Array) => {
    if (partialBytes + bytes.length > cap) return overCap();
    let whole = bytes;
    if (partial.length > 0) {
      whole = new Uint8Array(partial.reduce((n, p) => n + p.length, bytes.length));
      let at = 0;
      for (const p of [...partial, bytes]) whole.set(p, (at += p.length) - p.length);
      partial = [];
      partialBytes = 0;
    }
    texts.push(decoder.decode(whole));
  };

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

  /** Reads one chunk and queues the lines it completes. */
  async function fill(): Promise<void> {
    texts = [];
    t = pos = 0;
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await read();
    } catch (e) {
      if (closed) return;
      if (e instanceof SpacetimeHttpError) failure = e;
      else if (options.deadline?.timedOut()) failure = fail("timeout", "the call's timeoutMs passed while the stream was open", e);
      else failure = fail("network", `the stream broke: ${redact((e as Error)?.message ?? String(e), secrets)}`, e);
      return;
    }
    if (closed) return;
    if (chunk.done) {
      ended = true;
      if (partial.length > 0) take(new Uint8Array(0));
      return;
    }
    // Lines are cut at the newline byte (never inside a UTF-8 sequence) and checked against the cap in
    // bytes. A line begun in an earlier chunk is joined and decoded alone; the chunk's other complete
    // lines are decoded in one call (a call per line cost more than the rest of a record's handling)
    // and queued as one text, each line copied out of it as it is handed out (see `own`), so that a
    // record's raw line holds only itself, not the whole chunk it came in.
    const bytes = chunk.value;
    let start = 0;
    let at = bytes.indexOf(10);
    if (at >= 0 && partial.length > 0) {
      take(bytes.subarray(0, at));
      start = at + 1;
      at = failure ? -1 : bytes.indexOf(10, start);
    }
    const from = start;
    let tooLong = false;
    // Each line is measured only where one could be over the cap: a search per line cost more than the
    // rest of a record's handling, and the complete lines of a usual chunk are far below the cap.
    const last = at < 0 ? -1 : bytes.lastIndexOf(10);
    if (last - from <= cap) start = Math.max(start, last + 1);
    else
      for (; at >= 0; at = bytes.indexOf(10, start)) {
        if (at - start > cap) {
          tooLong = true;
          break;
        }
        start = at + 1;
      }
    if (start > from) texts.push(decoder.decode(bytes.subarray(from, start - 1)));
    if (tooLong) overCap();
    else if (start < bytes.length && !failure) {
      partial.push(bytes.subarray(start));
      if ((partialBytes += bytes.length - start) > cap) overCap();
    }
  }

  /** The next non-blank queued line, copied out of its text; undefined when none is left. */
  function nextLine(): string | undefined {
    if (held !== undefined) return held;
    for (; t < texts.length; t++, pos = 0) {
      const text = texts[t]!;
      while (pos <= text.length) {
        const i = text.indexOf("\n", pos);
        const end = i < 0 ? text.length : i;
        const line = text.slice(pos, end);
        pos = end + 1;
        if (line.charCodeAt(0) > 32 || line.trim() !== "") return own(line);
      }
    }
    return undefined;
  }

  async function step(): Promise<IteratorResult<T, undefined>> {
    while (!closed) {
      const line = nextLine();
      held = undefined;
      if (line !== undefined) {
        let value: T;
        try {
          value = parse(line);
        } catch (e) {
          await close();
          throw fail("parse", `a log line is not a JSON record: ${e instanceof SyntaxError ? jsonSyntaxReason(e) : redact((e as Error)?.message ?? String(e), secrets)}`, e, line);
        }
        return { value, done: false };
      }
      if (failure) {
        const error = failure;
        await close();
        throw error;
      }
      if (ended) break;
      await fill();
    }
    await close();
    return { value: undefined, done: true };
  }

  // A record already queued is handed out at once, in a promise made already resolved: no chain, no
  // async step, when nothing else waits (the usual `for await`). A call that has to wait for bytes
  // (or that overlaps one that does) runs `step`, chained after the call before it, so that
  // overlapping next() calls are answered in order, as a generator's are.
  let waiting = 0; // next() calls not yet answered
  let last: Promise<unknown> = Promise.resolve();
  const counted = async (): Promise<IteratorResult<T, undefined>> => {
    try {
      return await step();
    } finally {
      waiting--; // before the caller's own reaction to the result runs
    }
  };
  const iterator: AsyncIterator<T, undefined> & AsyncIterable<T> = {
    next: () => {
      const line = waiting === 0 && !closed ? nextLine() : undefined;
      if (line !== undefined) {
        try {
          const value = parse(line);
          held = undefined;
          return Promise.resolve({ value, done: false });
        } catch {
          held = line; // step parses it again and ends the stream with a parse error
        }
      }
      const result = waiting++ === 0 ? counted() : last.then(counted);
      last = result.catch(() => {});
      return result;
    },
    return: async () => {
      await close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { [Symbol.asyncIterator]: () => iterator, close };
}
