/** followLogs: the module's log records, live, from `GET …/logs?follow=true` (NDJSON). */
import type { components } from "./generated/schema.js";
import type { ErrorBodyOf } from "./types.js";
import type { Result } from "./result.js";
import { ndjsonStream, type RecordStream } from "./stream.js";
import { pickCallOptions, send, type CallOptions, type TransportConfig } from "./transport.js";

export interface FollowLogsOptions extends CallOptions {
  /** Lines of backlog first (the server caps it at 2,500 when following); none means only new lines. */
  numLines?: number;
  /** End with a `timeout` error when the server sends nothing for this long (default: never). */
  idleTimeoutMs?: number;
}

/** A log record as the server sends it, with the raw line kept (non-enumerable) as `raw`. */
export type LogLine = components["schemas"]["LogRecord"] & { readonly raw: string };
export type LogStream = RecordStream<LogLine>;

function parseLogLine(line: string): LogLine {
  const record = JSON.parse(line) as unknown;
  if (typeof record !== "object" || record === null || Array.isArray(record)) throw new Error(`expected an object, got ${line.slice(0, 80)}`);
  return Object.defineProperty(record, "raw", { value: line, enumerable: false }) as LogLine;
}

/**
 * Opening returns a Result (never throws); the records arrive as an async iterable that ends when
 * the server ends the stream, on close(), break or abort. No timeout on a live stream.
 */
export async function followLogs(config: TransportConfig, database: string, o: FollowLogsOptions = {}): Promise<Result<LogStream, ErrorBodyOf<"logs">>> {
  const query = { num_lines: o.numLines, follow: true };
  const opened = await send(config, "logs", { path: { name_or_identity: database }, query, stream: true }, pickCallOptions(o));
  if (!opened.ok) return opened as Result<never, ErrorBodyOf<"logs">>;
  const body = (opened.data as ReadableStream<Uint8Array> | null) ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const stream = ndjsonStream(body, parseLogLine, { operation: "followLogs", idleTimeoutMs: o.idleTimeoutMs, signal: o.signal });
  return { ok: true, data: stream, meta: opened.meta };
}
