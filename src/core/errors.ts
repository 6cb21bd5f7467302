/** The one error type of the SDK: returned inside results, thrown only by `unwrap` and stream iterators. */
import { JsonTooDeep, MAX_JSON_DEPTH } from "../sats/depth.js";
import { redact, type Secrets } from "./secrets.js";

export type ErrorKind = "http" | "network" | "timeout" | "aborted" | "invalid-input" | "parse" | "too-large";

export const ERROR_KINDS: readonly ErrorKind[] = ["http", "network", "timeout", "aborted", "invalid-input", "parse", "too-large"];

export interface SpacetimeError<Body = unknown> {
  readonly kind: ErrorKind;
  /** The HTTP status, for `http` and `parse` errors. */
  readonly status?: number;
  /** The server's body: its text, or the typed JSON the spec declares for that status. */
  readonly body?: Body;
  /** The operationId (or SDK method) that failed. */
  readonly operation: string;
  /** What went wrong and, where it helps, what to do. Never contains the token. */
  readonly message: string;
  readonly cause?: unknown;
}

export class SpacetimeHttpError<Body = unknown> extends Error implements SpacetimeError<Body> {
  override readonly name = "SpacetimeHttpError";
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly body?: Body;
  readonly operation: string;

  constructor(init: Omit<SpacetimeError<Body>, "message"> & { message: string }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.operation = init.operation;
    if (init.status !== undefined) this.status = init.status;
    if (init.body !== undefined) this.body = init.body;
  }

  toJSON(): Record<string, unknown> {
    const { name, kind, status, body, operation, message } = this;
    return { name, kind, status, body, operation, message };
  }
}

/**
 * Why a JSON text did not parse, in the SDK's words: the position where the engine gave up, never
 * the engine's own message (V8 quotes the text it choked on, which may hold anything the server sent).
 */
export function jsonSyntaxReason(e: unknown): string {
  if (e instanceof JsonTooDeep) return `nested too deep (more than ${MAX_JSON_DEPTH} levels of arrays and objects), not read`;
  const at = /at position (\d+)/.exec((e as Error)?.message ?? "")?.[1];
  if (/unexpected end/i.test((e as Error)?.message ?? "")) return "not valid JSON (it ends too early)";
  return `not valid JSON${at === undefined ? "" : ` (at character ${at})`}`;
}

/**
 * The one way code inside the SDK says "this argument is wrong": thrown while a request is built
 * (serializers, option readers), caught by the call, returned as an `invalid-input` result. Text the
 * SDK did not write (a message a user's function threw) is kept apart as `detail`, so that it alone
 * is redacted when the call reports it.
 */
export class InputError extends Error {
  readonly reason: string;
  readonly detail?: string;
  constructor(reason: string, options?: { cause?: unknown; detail?: string }) {
    super(options?.detail === undefined ? reason : `${reason}: ${options.detail}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    if (options?.detail !== undefined) this.detail = options.detail;
  }

  /** The message, with the call's secrets redacted from its foreign detail. */
  said(secrets: Secrets): string {
    return this.detail === undefined ? this.reason : `${this.reason}: ${redact(this.detail, secrets)}`;
  }
}

/** The message of a thrown value, whatever was thrown. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
