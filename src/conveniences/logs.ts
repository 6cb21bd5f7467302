/** followLogs: the module's log records, live, from `GET …/logs?follow=true` (NDJSON). */
import type { components } from "../generated/schema.js";
import type { Result } from "../core/result.js";
import { optionsObject, type CallOptions } from "../core/options.js";
import { call, type Query, type Transport } from "../core/call.js";
import { ndjsonStream, type RecordStream } from "./ndjson.js";

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
export async function followLogs(t: Transport, database: string, options?: FollowLogsOptions): Promise<Result<LogStream, string>> {
  const { numLines, idleTimeoutMs, signal } = optionsObject(options);
  const query = { num_lines: numLines, follow: true } satisfies Query<"logs">;
  const opened = await call(t, "logs", options, (api, init) => api.GET("/v1/database/{name_or_identity}/logs", { ...init, params: { path: { name_or_identity: database }, query } }), { stream: true });
  if (!opened.ok) return opened as Result<never, string>;
  const body = (opened.data as ReadableStream<Uint8Array> | undefined) ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const stream = ndjsonStream(body, parseLogLine, { operation: "followLogs", idleTimeoutMs, signal });
  return { ok: true, data: stream, meta: opened.meta };
}
