/** followLogs: the module's log records, live, from `GET …/logs?follow=true` (NDJSON). */
import { call, optionsObject, type CallOptions, type Query, type Result, type Transport } from "../core/index.js";
import type { components } from "../generated/schema.js";
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
  if (typeof record !== "object" || record === null || Array.isArray(record)) throw new Error("expected a JSON object");
  return Object.defineProperty(record, "raw", { value: line, enumerable: false }) as LogLine;
}

/**
 * Opening returns a Result (never throws); the records arrive as an async iterable that ends when
 * the server ends the stream, on close(), break or abort. No timeout on a live stream; each record
 * is capped at `maxResponseBytes`.
 */
export async function followLogs(t: Transport, database: string, options?: FollowLogsOptions): Promise<Result<LogStream, string>> {
  const { numLines, idleTimeoutMs, signal } = optionsObject(options);
  const query = { num_lines: numLines, follow: true } satisfies Query<"logs">;
  return call(t, "logs", options, (api, init) => api.GET("/v1/database/{name_or_identity}/logs", { ...init, params: { path: { name_or_identity: database }, query } }), {
    stream: (body, { maxRecordBytes, token }) => ndjsonStream(body, parseLogLine, { operation: "followLogs", idleTimeoutMs, signal, maxRecordBytes, secret: token }),
  }) as Promise<Result<LogStream, string>>;
}
