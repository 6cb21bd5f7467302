/**
 * The one path every call takes: validate, build the URL and headers from the operation table, send
 * with a timeout and safe retries, and turn whatever happens into a Result. Never throws.
 */
import { operations, type OperationId } from "./generated/operations.js";
import type { BodyKind, OperationInfo, ResponseKind } from "./operation.js";
import { SpacetimeHttpError, redact, type ErrorKind } from "./errors.js";
import { metaOf, type Err, type Meta, type Result } from "./result.js";
import { RETRYABLE_STATUSES, retryDelay, sleep } from "./retry.js";
import { checkValue, encodeSegment } from "./validate.js";
import { decodeSuccess, encodeBody, type DecodedBody } from "./body.js";
import { deadline } from "./deadline.js";

export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface CallOptions {
  /** A token for this call only; overrides the client's. */
  token?: string;
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call; 0 means none. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Opts this call in to retries (`true` = the client's `retries`), even for POST, PUT and DELETE. */
  retry?: boolean | number;
}

/** Only the call options of a method's last argument (which may carry the method's own options too). */
export function pickCallOptions(o: CallOptions | undefined): CallOptions {
  if (!o) return {};
  const { token, signal, timeoutMs, headers, retry } = o;
  return { token, signal, timeoutMs, headers, retry };
}

export interface TransportConfig {
  readonly baseUrl: string;
  readonly token: TokenSource | undefined;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RequestParts {
  readonly path?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
  /** Return the response body unread, as a stream (log follow). */
  readonly stream?: boolean;
  /** Only the per-call token is sent, never the client's (the module's own HTTP routes). */
  readonly perCallTokenOnly?: boolean;
  /** Overrides the spec's request body kind and Content-Type (the module's routes take any body). */
  readonly bodyAs?: { readonly kind: BodyKind; readonly type: string };
  /** Overrides how a success body is read. */
  readonly responseAs?: ResponseKind;
  /**
   * Decodes the read success body further (SATS). A throw is a `parse` failure named `as`, with the
   * raw text kept and the token redacted, as for any other body that does not fit.
   */
  readonly decode?: { readonly as: string; readonly run: (data: unknown) => unknown };
}

/** A failed result; `never` as its body type makes it assignable to any operation's Result. */
export type Failure = Err<never>;

export function failure(operation: string, kind: ErrorKind, message: string, extra: { status?: number; body?: unknown; cause?: unknown; meta?: Meta } = {}): Failure {
  const { meta, ...rest } = extra;
  const error = new SpacetimeHttpError({ kind, operation, message: `${operation}: ${message}`, ...rest }) as SpacetimeHttpError<never>;
  return meta ? { ok: false, error, meta } : { ok: false, error };
}

/** Builds `path?query` for an operation, or the first reason the arguments are invalid. */
export function buildUrl(op: OperationInfo, parts: RequestParts): string | { error: string } {
  try {
    return buildUrlOrThrow(op, parts);
  } catch (e) {
    const why = e instanceof URIError ? "a lone UTF-16 surrogate has no UTF-8 form" : String((e as Error)?.message ?? e);
    return { error: `a path or query parameter cannot be written in a URL (${why})` };
  }
}

function buildUrlOrThrow(op: OperationInfo, parts: RequestParts): string | { error: string } {
  let path = op.path;
  if (op.pathParams) {
    for (const name in op.pathParams) {
      const value = parts.path?.[name];
      // An array is a parameter that spans segments (a module route path): each one is encoded.
      const values: unknown[] = Array.isArray(value) ? value : [value];
      const segments: string[] = [];
      for (const v of values) {
        const segment = encodeSegment(name, v);
        if (typeof segment !== "string") return segment;
        const invalid = checkValue(name, v, op.pathParams[name]);
        if (invalid) return { error: invalid };
        segments.push(segment);
      }
      path = path.replace(`{${name}}`, segments.join("/"));
    }
  }
  const query = parts.query;
  if (!query) return path;
  let search = "";
  for (const name in query) {
    const value = query[name];
    if (value === undefined) continue;
    const invalid = checkValue(name, value, op.query?.[name]);
    if (invalid) return { error: invalid };
    search += `${search ? "&" : "?"}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  }
  return path + search;
}

/**
 * The token as it will be sent (trimmed), or why it cannot be. Only visible ASCII is accepted: with
 * anything else fetch would throw an error that quotes the whole header, token and all.
 */
export function checkToken(value: unknown): string | undefined | { error: string } {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return { error: `the token must be a string, not ${typeof value}` };
  const token = value.trim();
  if (/[^\x21-\x7e]/.test(token)) return { error: "the token has a character a Bearer header cannot carry (only visible ASCII: no spaces, line breaks or accents)" };
  return token;
}

/** What a fetch that threw means, in words: no server, a redirect a streamed body cannot follow, or the send failing. */
function networkMessage(e: unknown, baseUrl: string, streamed: boolean): string {
  const reason = (e as { cause?: { code?: string; message?: string } }).cause;
  const detail = reason?.message ?? (e as Error)?.message ?? String(e);
  if (reason?.code) return `could not reach ${baseUrl} (${reason.code}); is the server running?`;
  if (streamed && /redirect/i.test(detail)) return `the server answered a redirect, which a streamed body cannot follow; use the final URL as baseUrl (${detail})`;
  return `the request failed: ${detail}`;
}

function resolveToken(source: TokenSource | undefined): string | undefined | Promise<string | undefined> {
  return typeof source === "function" ? source() : source;
}

function retriesFor(op: OperationInfo, config: TransportConfig, options: CallOptions, streamed: boolean): number {
  if (streamed || options.retry === false) return 0;
  if (typeof options.retry === "number") return Math.max(0, Math.floor(options.retry));
  if (options.retry === true || op.method === "GET" || op.method === "HEAD") return config.retries;
  return 0;
}

export async function send(config: TransportConfig, id: OperationId, parts: RequestParts, options: CallOptions = {}): Promise<Result<unknown>> {
  const op: OperationInfo = operations[id];
  let supplied: unknown;
  try {
    supplied = options.token ?? (op.noCredentials || parts.perCallTokenOnly ? undefined : resolveToken(config.token));
    if (supplied instanceof Promise) supplied = await supplied; // only a token function may be async
  } catch (e) {
    return failure(id, "invalid-input", "the token function threw; no request was sent", { cause: e });
  }
  const checked = checkToken(supplied);
  if (typeof checked === "object") return failure(id, "invalid-input", `${checked.error}; no request was sent`);
  const token = checked;
  try {
    return await attempt(config, id, op, parts, options, token);
  } catch (e) {
    // Unreachable by design; kept so that no bug can turn into a thrown promise.
    return failure(id, "network", redact(`unexpected error: ${String(e)}`, token));
  }
}

async function attempt(config: TransportConfig, id: OperationId, op: OperationInfo, parts: RequestParts, options: CallOptions, token: string | undefined): Promise<Result<unknown>> {
  const url = buildUrl(op, parts);
  if (typeof url !== "string") return failure(id, "invalid-input", `${url.error}; no request was sent`);

  // Names in lower case, so that the client's, the call's and the SDK's own never arrive twice.
  const headers: Record<string, string> = {};
  for (const given of [config.headers, options.headers]) for (const name in given) headers[name.toLowerCase()] = given[name]!;
  const userSignal = options.signal;
  if (userSignal?.aborted) return failure(id, "aborted", "the call was aborted before it was sent");
  // With a timeout the call gets a deadline's signal (which also follows the caller's); without one,
  // the caller's signal goes straight to fetch. Either aborts the request and cancels a streamed body.
  const timeoutMs = options.timeoutMs ?? (op.noTimeout || parts.stream ? 0 : config.timeoutMs);
  const due = deadline(timeoutMs, userSignal);
  const signal = due?.signal ?? userSignal;

  let body: BodyInit | undefined;
  let streamed = false;
  const bodyAs = parts.bodyAs ?? op.body;
  if (bodyAs && (parts.body !== undefined || op.body?.required)) {
    let encoded = encodeBody(bodyAs.kind, parts.body, signal);
    if (encoded instanceof Promise) encoded = await encoded;
    if ("error" in encoded) return failure(id, "invalid-input", `${encoded.error}; no request was sent`);
    ({ body, streamed } = encoded);
    headers["content-type"] ??= bodyAs.type;
  }
  if (token) headers.authorization = `Bearer ${token}`;

  const init: RequestInit & { duplex?: "half" } = { method: op.method, headers };
  if (signal) init.signal = signal;
  if (body !== undefined) init.body = body;
  // Node's fetch would otherwise keep a streamed body whole in memory to replay it on a redirect.
  if (streamed) Object.assign(init, { duplex: "half", redirect: "error" });

  const maxRetries = retriesFor(op, config, options, streamed);
  const target = config.baseUrl + url;
  /** The failure when the call's time ran out or the caller aborted, else undefined. */
  const stopped = (extra: { cause?: unknown; status?: number }) =>
    due?.timedOut()
      ? failure(id, "timeout", `no complete answer within ${timeoutMs} ms; raise timeoutMs or check the server`, extra)
      : userSignal?.aborted
        ? failure(id, "aborted", "the call was aborted", extra)
        : undefined;
  try {
    for (let tries = 0; ; tries++) {
      let response: Response;
      try {
        response = await config.fetch(target, init);
      } catch (e) {
        const stop = stopped({ cause: e });
        if (stop) return stop;
        const delay = tries < maxRetries ? retryDelay(tries, null, config.retryDelayMs) : undefined;
        if (delay !== undefined && (await sleep(delay, signal))) continue;
        return failure(id, "network", redact(networkMessage(e, config.baseUrl, streamed), token), { cause: e });
      }

      const status = response.status;
      if (status >= 200 && status < 300) {
        const meta = metaOf(response);
        if (parts.stream) return { ok: true, data: response.body, meta };
        let decoded: DecodedBody;
        try {
          decoded = await decodeSuccess(response, parts.responseAs ?? op.responses[status]);
        } catch (e) {
          // The connection broke mid-body: a network error like any other, retried on the same terms.
          const delay = tries < maxRetries && !stopped({}) ? retryDelay(tries, null, config.retryDelayMs) : undefined;
          if (delay !== undefined && (await sleep(delay, signal))) continue;
          throw e;
        }
        if ("parseError" in decoded) {
          return failure(id, "parse", redact(decoded.parseError, token), { status, body: redact(decoded.raw, token), meta });
        }
        if (parts.decode) {
          try {
            return { ok: true, data: parts.decode.run(decoded.data), meta };
          } catch (e) {
            const raw = typeof decoded.data === "string" ? redact(decoded.data, token) : undefined;
            const reason = redact(`the body does not fit its schema: ${(e as Error)?.message ?? String(e)}`, token);
            return failure(parts.decode.as, "parse", reason, { status, body: raw, meta });
          }
        }
        return { ok: true, data: decoded.data, meta };
      }

      if (RETRYABLE_STATUSES.has(status) && tries < maxRetries) {
        const delay = retryDelay(tries, response.headers.get("retry-after"), config.retryDelayMs);
        if (delay !== undefined) {
          response.body?.cancel().catch(() => {});
          if (await sleep(delay, signal)) continue;
          return stopped({ status })!; // the wait ends early only when the call's signal aborts
        }
      }
      // Error formatting loads with the first error: the happy path does not ship it.
      const { readHttpError } = await import("./http-error.js");
      const { body: errorBody, message } = await readHttpError(response, token);
      return failure(id, "http", message, { status, body: errorBody, meta: metaOf(response) });
    }
  } catch (e) {
    return stopped({ cause: e }) ?? failure(id, "network", redact(`the connection failed while reading the response: ${(e as Error).message}`, token), { cause: e });
  } finally {
    due?.done();
  }
}
