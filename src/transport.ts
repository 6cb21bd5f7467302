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
import { decodeError, decodeSuccess, encodeBody, type DecodedBody } from "./body.js";

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

const HINTS: Record<number, string> = {
  400: "the server rejected the request",
  401: "the token is missing or invalid: pass `token` to createClient or to this call",
  403: "this identity may not do that (only the database owner can)",
  404: "not found",
  413: "the body is over the server's 2 MiB limit",
  415: "the server refused the Content-Type",
  530: "the reducer failed and its transaction was rolled back",
};

function httpMessage(status: number, body: unknown): string {
  const detail = typeof body === "string" ? body.slice(0, 500) : body === undefined ? "" : JSON.stringify(body).slice(0, 500);
  const hint = HINTS[status] ?? (status >= 500 ? "the server failed" : "the request failed");
  return `HTTP ${status}: ${detail || hint}${detail && HINTS[status] ? ` (${hint})` : ""}`;
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

/** `redact` on every string in a decoded JSON value, keys included. */
function redactDeep(value: unknown, secret: string | undefined): unknown {
  if (!secret) return value;
  if (typeof value === "string") return redact(value, secret);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secret));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k, secret), redactDeep(v, secret)]));
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

async function resolveToken(source: TokenSource | undefined): Promise<string | undefined> {
  return typeof source === "function" ? await source() : source;
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
    supplied = options.token ?? (op.auth === "none" || parts.perCallTokenOnly ? undefined : await resolveToken(config.token));
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

  const headers: Record<string, string> = { ...config.headers, ...options.headers };
  // Aborts the request on timeout or the caller's signal; a streamed body is cancelled with it.
  const controller = new AbortController();
  let body: BodyInit | undefined;
  let streamed = false;
  const bodyAs = parts.bodyAs ?? op.body;
  if (bodyAs && (parts.body !== undefined || op.body?.required)) {
    const encoded = encodeBody(bodyAs.kind, parts.body, controller.signal);
    if ("error" in encoded) return failure(id, "invalid-input", `${encoded.error}; no request was sent`);
    ({ body, streamed } = encoded);
    headers["content-type"] ??= bodyAs.type;
  }
  if (token !== undefined && token !== "") headers.authorization = `Bearer ${token}`;

  const timeoutMs = options.timeoutMs ?? (op.noTimeout || parts.stream ? 0 : config.timeoutMs);
  let timedOut = false;
  // Past 2^31 - 1 ms a timer fires at once (Node, browsers); so long a wait means none.
  const timer = timeoutMs > 0 && timeoutMs < 2 ** 31 ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs) : undefined;
  const userSignal = options.signal;
  const onAbort = () => controller.abort();
  if (userSignal?.aborted) return failure(id, "aborted", "the call was aborted before it was sent");
  userSignal?.addEventListener("abort", onAbort, { once: true });
  let keepSignal = false;

  const init: RequestInit & { duplex?: "half" } = { method: op.method, headers, signal: controller.signal };
  if (body !== undefined) init.body = body;
  // Node's fetch would otherwise keep a streamed body whole in memory to replay it on a redirect.
  if (streamed) Object.assign(init, { duplex: "half", redirect: "error" });

  const maxRetries = retriesFor(op, config, options, streamed);
  const target = config.baseUrl + url;
  try {
    for (let tries = 0; ; tries++) {
      let response: Response;
      try {
        response = await config.fetch(target, init);
      } catch (e) {
        if (timedOut) return failure(id, "timeout", `no response within ${timeoutMs} ms; raise timeoutMs or check the server`, { cause: e });
        if (userSignal?.aborted) return failure(id, "aborted", "the call was aborted", { cause: e });
        const delay = tries < maxRetries ? retryDelay(tries, null, config.retryDelayMs) : undefined;
        if (delay !== undefined && (await sleep(delay, controller.signal))) continue;
        const reason = (e as { cause?: { code?: string; message?: string } }).cause;
        const detail = reason?.code ?? reason?.message ?? (e as Error).message;
        return failure(id, "network", redact(`could not reach ${config.baseUrl} (${detail}); is the server running?`, token), { cause: e });
      }

      const status = response.status;
      if (status >= 200 && status < 300) {
        const meta = metaOf(response);
        if (parts.stream) {
          keepSignal = true;
          return { ok: true, data: response.body, meta };
        }
        let decoded: DecodedBody;
        try {
          decoded = await decodeSuccess(response, parts.responseAs ?? op.responses[status]);
        } catch (e) {
          // The connection broke mid-body: a network error like any other, retried on the same terms.
          const delay = tries < maxRetries && !timedOut && !userSignal?.aborted ? retryDelay(tries, null, config.retryDelayMs) : undefined;
          if (delay !== undefined && (await sleep(delay, controller.signal))) continue;
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
          if (await sleep(delay, controller.signal)) continue;
          if (timedOut) return failure(id, "timeout", `no success within ${timeoutMs} ms of retrying`, { status });
          return failure(id, "aborted", "the call was aborted while waiting to retry", { status });
        }
      }
      const meta = metaOf(response);
      const errorBody = await decodeError(response);
      const safeBody = redactDeep(errorBody, token);
      return failure(id, "http", redact(httpMessage(status, safeBody), token), { status, body: safeBody, meta });
    }
  } catch (e) {
    if (timedOut) return failure(id, "timeout", `no complete response within ${timeoutMs} ms; raise timeoutMs or check the server`, { cause: e });
    if (userSignal?.aborted) return failure(id, "aborted", "the call was aborted", { cause: e });
    return failure(id, "network", redact(`the connection failed while reading the response: ${(e as Error).message}`, token), { cause: e });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (!keepSignal) userSignal?.removeEventListener("abort", onAbort);
  }
}
