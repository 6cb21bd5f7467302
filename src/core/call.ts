/**
 * Every SDK call: options read once, the token resolved, then one openapi-fetch call per attempt
 * (so middleware sees every attempt), with a deadline, safe retries, and a Result at the end.
 * openapi-fetch builds the URL and body through the per-request serializers of serialize.ts; the
 * success body is read as text (or bytes, or a stream) and decoded by the generated table. Never throws.
 */
import type { Client } from "openapi-fetch";
import type { operations as OperationTypes, paths } from "../generated/schema.js";
import { operations, type OperationId } from "../generated/operations.js";
import type { BodyKind, OperationInfo, ResponseKind } from "./operation-table.js";
import { InputError, messageOf } from "./errors.js";
import { failure, inspectAs, metaOf, redactedView, refused, type Failure, type Result } from "./result.js";
import { redact, type Secrets } from "./secrets.js";
import { deadline, type StopSignal } from "./deadline.js";
import { readCallOptions, type CallOptions, type ClientConfig, type TokenSource } from "./options.js";
import { pathSerializer, querySerializer, serializeBody, type PathSerializer, type QuerySerializer } from "./serialize.js";
import { decodeSuccess, parseAsFor } from "./decode.js";

export type Api = Client<paths>;

/**
 * An operation's query parameters as the spec names them. Query objects are written `satisfies
 * Query<"id">`: openapi-fetch infers its types from the call itself, so only this check makes a
 * parameter renamed in the spec a type error where the SDK still sends the old name.
 */
export type Query<K extends OperationId> = NonNullable<OperationTypes[K]["parameters"]["query"]>;

/** An operation's header parameters as the spec names them (written `satisfies Header<"id">`, as Query). */
export type Header<K extends OperationId> = NonNullable<OperationTypes[K]["parameters"]["header"]>;

export interface Transport {
  readonly config: ClientConfig;
  /** The one openapi-fetch client every call goes through; `use()` adds middleware to it. */
  readonly api: Api;
  /** The Node build's transport when the user injected no fetch (src/index.node.ts). */
  readonly direct?: DirectTransport;
}

/** A transport that takes the call's deadline beside the request instead of as the Request's signal. */
export interface DirectTransport {
  send(request: Request, stop: StopSignal | undefined): Promise<Response>;
  /** A lighter Request class, used only while no middleware is registered (middleware gets real ones). */
  readonly Request?: typeof Request;
  /** Set once any middleware is registered. */
  middleware: boolean;
}

/** What the SDK hands openapi-fetch on every call, besides the operation's params and body. */
export interface SendInit {
  [option: string]: unknown;
  headers: Record<string, string>;
  signal?: AbortSignal;
  parseAs: "text" | "arrayBuffer" | "stream";
  pathSerializer: PathSerializer;
  querySerializer: QuerySerializer;
  bodySerializer: (body: unknown) => BodyInit;
  fetch: (request: Request) => Promise<Response>;
  redirect?: RequestRedirect;
}

export type Sent = { data?: unknown; error?: unknown; response: Response };
/** One operation sent by openapi-fetch, typed by the spec's path, params and body. */
export type Send = (api: Api, init: SendInit) => Promise<Sent>;

export interface CallPlan {
  /**
   * Hands over the success body unread (log follow): `data` is what this returns. It gets the
   * per-record cap and the token, to redact it from what the stream may throw.
   */
  readonly stream?: (body: ReadableStream<Uint8Array>, limits: { maxRecordBytes: number; secrets: Secrets }) => unknown;
  /** Only the per-call token is sent, never the client's (the module's own HTTP routes). */
  readonly perCallTokenOnly?: boolean;
  /** The body kind and Content-Type, where the spec's do not say (the module's routes take any body). */
  readonly bodyAs?: { readonly kind: BodyKind; readonly type: string };
  /** Whether a body goes with an operation whose body is optional. */
  readonly withBody?: boolean;
  /** Overrides how a success body is read. */
  readonly responseAs?: ResponseKind;
  /** Decodes the read success body further (SATS); a throw is a `parse` failure named `as`, raw text kept. */
  readonly decode?: { readonly as: string; readonly run: (data: unknown) => unknown };
  /**
   * Fields of the success data that are credentials the caller asked for (a new identity's token):
   * kept as data (copies and `JSON.stringify(result.data)` keep them), shown as `[redacted]` by
   * inspectors and by `JSON.stringify(result)`.
   */
  readonly secretFields?: readonly string[];
}

/** What one call learns while openapi-fetch runs it. */
interface CallState {
  sent: boolean;
  responded: boolean;
  streamed: boolean;
  /** Why the upload's source was refused or failed (not bytes, or a local read error). */
  invalidUpload?: InputError;
}

/**
 * The token as it will be sent (trimmed), or an InputError. Only visible ASCII is accepted: with
 * anything else fetch would throw an error that quotes the whole header, token and all.
 */
export function checkToken(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new InputError(`the token must be a string, not ${typeof value}`);
  const token = value.trim();
  if (/[^\x21-\x7e]/.test(token)) throw new InputError("the token has a character a Bearer header cannot carry (only visible ASCII: no spaces, line breaks or accents)");
  return token;
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = <V>(then: (v: V) => void) => (v: V) => (signal.removeEventListener("abort", onAbort), then(v));
    promise.then(settle(resolve), settle(reject));
  });
}

/** The token source's value, raced against the call's deadline and signal. */
async function resolveToken(source: TokenSource | undefined, signal: AbortSignal | undefined): Promise<string | undefined> {
  let value: unknown;
  try {
    value = typeof source === "function" ? source() : source;
  } catch (e) {
    throw new InputError("the token function threw", { detail: messageOf(e) });
  }
  if (value instanceof Promise) {
    value = await untilAbort(
      value.catch((e: unknown) => {
        throw new InputError("the token function failed", { detail: messageOf(e) });
      }),
      signal,
    );
  }
  return checkToken(value);
}

/** Statuses worth another try: the server may answer differently a moment later. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

function retriesFor(op: OperationInfo, config: ClientConfig, retry: CallOptions["retry"]): number {
  if (retry === false) return 0;
  if (typeof retry === "number") return retry;
  return retry === true || op.method === "GET" || op.method === "HEAD" ? config.retries : 0;
}

/**
 * The redirect mode of a request that must not follow one: "error" wherever the runtime accepts it
 * (Node's fetch clones, and so tees and keeps, the body of a request under any other mode); workerd
 * refuses "error", so "manual" there, and the 3xx comes back to be reported with its URL.
 */
const noFollow = (): RequestRedirect => (typeof navigator !== "undefined" && navigator.userAgent === "Cloudflare-Workers" ? "manual" : "error");

/** Builds the openapi-fetch options of one call. */
async function sendInit(t: Transport, op: OperationInfo, plan: CallPlan, o: CallOptions, token: string | undefined, signal: AbortSignal | undefined, stop: StopSignal | undefined, state: CallState, cap: number): Promise<SendInit> {
  const headers: Record<string, string> = { ...t.config.headers, ...o.headers };
  const direct = t.direct;
  const bodyAs = plan.bodyAs ?? op.body;
  const upload = bodyAs?.kind === "binary";
  const { uploadStream } = upload ? await import("./upload.js") : { uploadStream: undefined };
  if (bodyAs && (op.body?.required || plan.withBody || plan.bodyAs)) headers["content-type"] ??= bodyAs.type;
  if (token) headers.authorization = `Bearer ${token}`;
  const init: SendInit = {
    headers,
    parseAs: plan.stream ? "stream" : parseAsFor(plan.responseAs ?? Object.values(op.responses)[0]),
    pathSerializer: pathSerializer(op),
    querySerializer: querySerializer(op),
    bodySerializer: (value) =>
      serializeBody(bodyAs?.kind ?? "json", value, (stream) => {
        state.streamed = true;
        return uploadStream!(stream, signal, (e) => (state.invalidUpload = e));
      }),
    fetch: async (request) => {
      state.sent = true;
      const response = await (direct ? direct.send(request, stop) : t.config.fetch(request));
      state.responded = true;
      // A followed stream is capped per record instead (by the stream itself). A body of a declared
      // length within the cap, not content-encoded, needs no counting: the common case costs nothing.
      const declared = response.headers.get("content-length");
      const known = declared !== null && !response.headers.has("content-encoding") && Number(declared) <= cap;
      // 204, 205 and 304 carry no body (Chromium still gives them an empty stream, which a Response
      // may not be rebuilt with). `body` is read last: on the Node transport reading it converts the body.
      const bodiless = response.status === 204 || response.status === 205 || response.status === 304;
      if ((plan.stream && response.ok) || cap === Infinity || bodiless || known || response.body === null) return response;
      return (await import("./cap.js")).capResponse(response, cap);
    },
  };
  // The Node transport gets the deadline as `stop` beside the Request, not as its signal: a signal on
  // a Request costs Node 20 more than the whole call (it is followed, and fetch counts its listeners).
  if (signal && !direct) init.signal = signal;
  if (direct?.Request && !direct.middleware) init.Request = direct.Request;
  // Uploads never follow a redirect: a stream cannot be re-sent. `duplex` lets a Request carry a stream body.
  if (upload) Object.assign(init, { redirect: noFollow(), duplex: "half" });
  return init;
}

/** Sends operation `id` through openapi-fetch and returns what happened as a Result. */
export async function call(t: Transport, id: OperationId, options: CallOptions | undefined, send: Send, plan: CallPlan = {}): Promise<Result<unknown>> {
  const op: OperationInfo = operations[id];
  let o: CallOptions;
  try {
    o = readCallOptions(options);
  } catch (e) {
    // A getter or Proxy that throws speaks in its own words: foreign text, redacted with the client's token.
    const known = typeof t.config.token === "string" ? [t.config.token] : [];
    return refused(id, e instanceof InputError ? e.said(known) : `the options could not be read (${redact(messageOf(e), known)})`);
  }
  if (o.signal?.aborted) return failure(id, "aborted", "the call was aborted before it was sent");
  const timeoutMs = o.timeoutMs ?? (op.noTimeout || plan.stream ? 0 : t.config.timeoutMs);
  const due = deadline(timeoutMs, o.signal);
  const signal = due?.signal ?? o.signal;
  const state: CallState = { sent: false, responded: false, streamed: false };
  const cap = o.maxResponseBytes ?? t.config.maxResponseBytes;
  let token: string | undefined;
  /** The secrets known so far (the token once resolved), redacted from every foreign text. */
  let secrets: Secrets = [o.token, t.config.token].filter((s): s is string => typeof s === "string");
  /** The failure when the call's time ran out or the caller aborted, else undefined. */
  const stopped = (extra: { cause?: unknown; status?: number }): Failure | undefined =>
    due?.timedOut()
      ? failure(id, "timeout", `no complete answer within ${timeoutMs} ms; raise timeoutMs or check the server`, extra)
      : o.signal?.aborted
        ? failure(id, "aborted", "the call was aborted", extra)
        : undefined;
  try {
    const source = o.token ?? (op.noCredentials || plan.perCallTokenOnly ? undefined : t.config.token);
    token = await resolveToken(source, signal);
    if (token) secrets = [token];
    const init = await sendInit(t, op, plan, o, token, signal, due?.stop ?? o.signal, state, cap);
    const retries = retriesFor(op, t.config, o.retry);
    for (let tries = 0; ; tries++) {
      state.sent = state.responded = false;
      let sent: Sent;
      try {
        sent = await send(t.api, init);
      } catch (e) {
        if (!state.sent && !state.invalidUpload) throw e;
        const details = await import("./failure-details.js");
        const cause = details.redactCause(state.invalidUpload ?? e, secrets);
        if (state.invalidUpload) return failure(id, "invalid-input", `${state.invalidUpload.said(secrets)}; the upload was stopped and the request aborted`, { cause });
        if (details.isTooLarge(e)) return failure(id, "too-large", (await import("./cap.js")).tooLargeMessage(cap), { cause });
        const stop = stopped({ cause });
        if (stop) return stop;
        if (tries < retries && !state.streamed && (await waitToRetry(tries, null))) continue;
        return failure(id, "network", details.networkMessage(e, t.config.baseUrl, init.redirect !== undefined, state.responded, secrets), { cause });
      }
      const { response } = sent;
      if (response.ok) return success(id, op, plan, sent, secrets, cap);
      if (init.redirect === "manual" && (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400))) {
        const where = (await import("./failure-details.js")).redirectTarget(response, t.config.baseUrl, secrets);
        return failure(id, "network", `the server answered a redirect${where}, which an upload does not follow; use the final URL as baseUrl`, { status: response.status, meta: metaOf(response, secrets) });
      }
      if (RETRYABLE_STATUSES.has(response.status) && tries < retries && !state.streamed) {
        const waited = await waitToRetry(tries, response.headers.get("retry-after"));
        if (waited) continue;
        if (waited === false) return stopped({ status: response.status })!; // the wait ends early only when the call's signal aborts
      }
      const { describeHttpError } = await import("./failure-details.js");
      const { body, message } = describeHttpError(response, sent.error, secrets, token !== undefined);
      return failure(id, "http", message, { status: response.status, body, meta: metaOf(response, secrets) });
    }
  } catch (e) {
    // Nothing was sent: the arguments, the token or a middleware stopped the request being made.
    const stop = stopped({ cause: (await import("./failure-details.js")).redactCause(e, secrets) });
    if (stop) return stop;
    const reason = e instanceof InputError ? e.said(secrets) : `the request could not be made (${redact(messageOf(e), secrets)})`;
    return refused(id, reason);
  } finally {
    due?.done();
  }

  /**
   * Waits before attempt `tries + 1`: true when it is time to retry, false when the call's signal
   * aborted the wait, undefined when the server asks for a longer wait than the client allows.
   */
  async function waitToRetry(tries: number, retryAfter: string | null): Promise<boolean | undefined> {
    const { retryDelay, sleep } = await import("./retry.js");
    const delay = retryDelay(tries, retryAfter, t.config.retryDelayMs);
    return delay === undefined ? undefined : sleep(delay, signal);
  }
}

/** A 2xx: its body decoded by the spec's kind for the status, then by the plan's decoder. */
function success(id: string, op: OperationInfo, plan: CallPlan, { data, response }: Sent, secrets: Secrets, cap: number): Result<unknown> {
  const meta = metaOf(response, secrets);
  if (plan.stream) {
    const body = (data as ReadableStream<Uint8Array> | undefined) ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    return { ok: true, data: plan.stream(body, { maxRecordBytes: cap, secrets }), meta };
  }
  const { status } = response;
  // A 2xx the spec does not list is read as the operation's listed success is.
  const kind = plan.responseAs ?? op.responses[status] ?? Object.values(op.responses)[0];
  const decoded = decodeSuccess(data, kind, response.headers.get("content-type") ?? "");
  if ("parseError" in decoded) return failure(id, "parse", decoded.parseError, { status, body: redact(decoded.raw, secrets), meta });
  if (!plan.decode) return withSecretFields({ ok: true, data: decoded.data, meta }, plan.secretFields);
  try {
    return { ok: true, data: plan.decode.run(decoded.data), meta };
  } catch (e) {
    const raw = typeof decoded.data === "string" ? redact(decoded.data, secrets) : undefined;
    // The codec's message describes values the server sent: foreign text.
    const reason = `the body does not fit its schema: ${redact((e as Error)?.message ?? String(e), secrets)}`;
    return failure(plan.decode.as, "parse", reason, { status, body: raw, meta });
  }
}

/** A result whose data holds credentials the caller asked for: kept as data, hidden from inspectors and from JSON of the whole result. */
function withSecretFields<T extends { ok: true; data: unknown }>(result: T, fields: readonly string[] | undefined): T {
  const { data } = result;
  if (!fields || typeof data !== "object" || data === null) return result;
  inspectAs(data, () => redactedView(data, fields));
  Object.defineProperty(result, "toJSON", { value: () => ({ ...result, data: redactedView(data, fields) }), enumerable: false });
  return result;
}
