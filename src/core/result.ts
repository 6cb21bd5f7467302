import { SpacetimeHttpError, redact, type ErrorKind } from "./errors.js";

/**
 * What the response said besides its body. `headers` and `token` are non-enumerable: a logged or
 * serialized result shows its status and identity, never a page of headers or the token.
 */
export interface Meta {
  readonly status: number;
  /** Response headers, lower-cased, without `spacetime-identity-token`; the caller's token is redacted from every value. */
  readonly headers: Readonly<Record<string, string>>;
  /** `spacetime-identity`: the caller's identity, minted by the server for an anonymous call. */
  readonly identity?: string;
  /** `spacetime-identity-token`: the caller's token (after an anonymous publish, the only copy). */
  readonly token?: string;
}

export type Ok<T> = { readonly ok: true; readonly data: T; readonly meta: Meta };
export type Err<B = unknown> = { readonly ok: false; readonly error: SpacetimeHttpError<B>; readonly meta?: Meta };
export type Result<T, B = unknown> = Ok<T> | Err<B>;

const IDENTITY_TOKEN = "spacetime-identity-token";

export function metaOf(response: Response, secret?: string): Meta {
  const headers: Record<string, string> = {};
  let token: string | undefined;
  response.headers.forEach((value, key) => {
    if (key === IDENTITY_TOKEN) token = value;
    else headers[redact(key, secret)] = redact(value, secret);
  });
  const identity = headers["spacetime-identity"];
  const meta = { status: response.status } as { status: number; headers: Record<string, string>; identity?: string };
  if (identity !== undefined) meta.identity = identity;
  // Shown only when asked for: a logged result is its data, not a page of headers.
  Object.defineProperty(meta, "headers", { value: headers, enumerable: false });
  if (token !== undefined) Object.defineProperty(meta, "token", { value: token, enumerable: false });
  return meta;
}

/** Returns the data of a successful result, or throws its `SpacetimeHttpError`. */
export function unwrap<T>(result: Result<T, unknown>): T {
  if (result.ok) return result.data;
  throw result.error;
}

/** A failed result; `never` as its body type makes it assignable to any operation's Result. */
export type Failure = Err<never>;

export function failure(operation: string, kind: ErrorKind, message: string, extra: { status?: number; body?: unknown; cause?: unknown; meta?: Meta } = {}): Failure {
  const { meta, ...rest } = extra;
  const error = new SpacetimeHttpError({ kind, operation, message: `${operation}: ${message}`, ...rest }) as SpacetimeHttpError<never>;
  return meta ? { ok: false, error, meta } : { ok: false, error };
}

/** An `invalid-input` failure: nothing was sent. */
export const refused = (operation: string, reason: string): Failure => failure(operation, "invalid-input", `${reason}; no request was sent`);
