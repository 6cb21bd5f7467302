import { SpacetimeHttpError, type ErrorKind } from "./errors.js";
import { REDACTED, redact, type Secrets } from "./secrets.js";

/**
 * What the response said besides its body. `headers` and `token` are read through getters: a
 * logged or serialized result shows its status and identity, never a page of headers or the token.
 */
export interface Meta {
  readonly status: number;
  /** Response headers, lower-cased, without `spacetime-identity-token`; the caller's token is redacted from every value. */
  readonly headers: Readonly<Record<string, string>>;
  /** `spacetime-identity`: the caller's identity, minted by the server for an anonymous call. */
  readonly identity?: string;
  /** `spacetime-identity-token`: the caller's token (after an anonymous publish, the only copy: save it explicitly). */
  readonly token?: string;
}

export type Ok<T> = { readonly ok: true; readonly data: T; readonly meta: Meta };
export type Err<B = unknown> = { readonly ok: false; readonly error: SpacetimeHttpError<B>; readonly meta?: Meta };
export type Result<T, B = unknown> = Ok<T> | Err<B>;

const IDENTITY_TOKEN = "spacetime-identity-token";
const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");
const DENO_INSPECT = Symbol.for("Deno.customInspect");

/**
 * Makes inspectors (Node's and Bun's `util.inspect.custom`, Deno's `customInspect`) show `view()`
 * instead of the object itself; `JSON.stringify`, spread and `structuredClone` are unaffected.
 */
export function inspectAs(target: object, view: () => object): void {
  const hidden = { enumerable: false, configurable: true };
  Object.defineProperty(target, NODE_INSPECT, { ...hidden, value: view });
  Object.defineProperty(target, DENO_INSPECT, { ...hidden, value: (inspect: (v: unknown, o?: unknown) => string, options?: unknown) => inspect(view(), options) });
}

/** `object` with the named fields shown as `[redacted]` (for inspectors and JSON of whole results). */
export function redactedView(object: object, fields: readonly string[]): Record<string, unknown> {
  const view: Record<string, unknown> = { ...object };
  for (const field of fields) if (view[field] !== undefined) view[field] = REDACTED;
  return view;
}

/** What a Meta reads its headers from: the response's Headers (or the Node transport's light ones). */
type HeaderSource = Pick<Headers, "get" | "forEach">;

/**
 * A response's Meta: status and identity as own fields; headers and the token behind getters, and
 * hidden from inspection in every runtime (Bun's inspector shows non-enumerable properties). The
 * headers record is built when first asked for (most calls never read it): the Meta keeps the
 * response's Headers and the call's secrets until then, never the response or its body.
 */
class ResponseMeta implements Meta {
  readonly status: number;
  declare readonly identity?: string;
  #source: HeaderSource | undefined;
  #secrets: Secrets | undefined;
  #headers: Readonly<Record<string, string>> | undefined;
  #token: string | undefined;
  constructor(status: number, source: HeaderSource, secrets: Secrets | undefined) {
    this.status = status;
    const identity = source.get("spacetime-identity");
    if (identity !== null) (this as { identity?: string }).identity = redact(identity, secrets);
    this.#source = source;
    this.#secrets = secrets;
  }
  get headers(): Readonly<Record<string, string>> {
    return this.#read();
  }
  get token(): string | undefined {
    this.#read();
    return this.#token;
  }
  /** The headers record and the token, read from the response's headers once. */
  #read(): Readonly<Record<string, string>> {
    if (this.#headers) return this.#headers;
    const headers: Record<string, string> = {};
    const secrets = this.#secrets;
    this.#source!.forEach((value, key) => {
      if (key === IDENTITY_TOKEN) this.#token = value;
      else headers[redact(key, secrets)] = redact(value, secrets);
    });
    this.#source = this.#secrets = undefined;
    return (this.#headers = headers);
  }
  /** What inspectors show: Node's, Bun's (which would show more than own fields) and Deno's read this symbol. */
  [NODE_INSPECT](): object {
    return this.token === undefined ? { ...this } : { ...this, token: REDACTED };
  }
}

/** The response's Meta; header names and values are foreign text, so the call's secrets are redacted from them. */
export function metaOf(response: Response, secrets?: Secrets): Meta {
  return new ResponseMeta(response.status, response.headers, secrets);
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
