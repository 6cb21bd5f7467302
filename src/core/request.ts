/**
 * The request core: every call of every method goes through `request`, which reads as
 *   open     the call: its options read once, its deadline (timeoutMs and signal)
 *   prepare  the token resolved within the deadline, openapi-fetch's options built
 *   send     one openapi-fetch call per attempt (so middleware sees every attempt)
 *   succeed  a 2xx decoded by the spec's kinds and checked against its shape;
 *   decide   else: send again (safe methods, transient statuses, network errors) or fail, or
 *            `notSent` when no request could be made.
 * It never throws (docs/design.md#one-request-core, #calls-never-throw). A method that makes several
 * requests opens one call for all of them (`withCall`, passed as `plan.call`), so one deadline and one
 * token cover the whole method.
 */
import type { Api, ClientContext } from "./context.js";
import { operations, type OperationId } from "../generated/operations.js";
import type { BodyKind, OperationInfo, ResponseKind } from "./operation-table.js";
import { deadline, sleep, untilStopped, type Deadline } from "./deadline.js";
import { InputError, messageOf } from "./errors.js";
import { describeHttpError, isTooLarge, networkMessage, redactCause, redirectTarget } from "./failure.js";
import { readCallOptions, tokenSecrets, type CallOptions, type TokenSource } from "./options.js";
import { capResponse, decodeSuccess, isJsonType, kindFor, parseAsFor, shapeMismatch, tooLargeMessage } from "./response.js";
import { MAX_JSON_DEPTH, jsonDepthExceeds } from "../sats/depth.js";
import { failure, inspectAs, metaOf, redactedView, refused, type Failure, type Result } from "./result.js";
import { RETRYABLE_STATUSES, retriesFor, retryDelay } from "./retry.js";
import { redact, type Secrets } from "./secrets.js";
import { pathSerializer, querySerializer, serializeBody, type PathSerializer, type QuerySerializer } from "./serialize.js";
import { uploadStream } from "./upload.js";

/** What the core hands openapi-fetch on every attempt, besides the operation's params and body. */
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

/** How one request of a method differs from its operation's defaults. */
export interface CallPlan {
  /** The method's call, when it makes several requests: its deadline and token cover this one. */
  readonly call?: Call;
  /**
   * Hands over the success body unread (log follow): `data` is what this returns. The call's
   * deadline goes with it: the stream releases it when it ends, and a deadline that passes ends it.
   */
  readonly stream?: (body: ReadableStream<Uint8Array>, limits: { maxRecordBytes: number; secrets: Secrets; deadline: Deadline }) => unknown;
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
  /** Secrets of this request besides the token (environment values): redacted, and never sent after a redirect. */
  readonly secrets?: Secrets;
  /** The operation, when a convenience serves it (its table loads with the convenience, not with the core). */
  readonly operation?: OperationInfo;
}

/** One call of a method: options read once, one deadline, the token resolved at most once. */
export interface Call {
  readonly name: string;
  readonly options: CallOptions;
  readonly deadline: Deadline;
  readonly timeoutMs: number;
  /** The client's token, once resolved. */
  clientToken?: Promise<string | undefined>;
}

/** What one attempt learns while openapi-fetch runs it. */
interface AttemptState {
  sent: boolean;
  responded: boolean;
  /** A streamed upload: it cannot be sent again. */
  streamed: boolean;
  /** Why the upload's source was refused or failed (not bytes, or a local read error). */
  invalidUpload?: InputError;
  /** An error body nested too deep to parse, left out. */
  tooDeep?: boolean;
}

/** A request ready to send: openapi-fetch's options and what the attempts share. */
interface Prepared {
  readonly init: SendInit;
  readonly state: AttemptState;
  readonly secrets: Secrets;
  readonly tokenSent: boolean;
  readonly cap: number;
  readonly noFollow: boolean;
}

const RETRY = Symbol("retry");

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

/** The token source's value: a throw or rejection of a token function is an InputError quoting it. */
async function tokenOf(source: TokenSource | undefined): Promise<string | undefined> {
  let value: unknown;
  try {
    value = typeof source === "function" ? await source() : source;
  } catch (e) {
    throw new InputError("the token function failed", { detail: messageOf(e) });
  }
  return checkToken(value);
}

/** Opens the call of a method: its options read once and its deadline started; a Failure when they are wrong. */
export function openCall(ctx: ClientContext, name: string, options: CallOptions | undefined, noTimeout = false): Call | Failure {
  let o: CallOptions;
  try {
    o = readCallOptions(options);
  } catch (e) {
    // A getter or Proxy that throws speaks in its own words: foreign text, redacted with the client's token.
    const known = tokenSecrets(ctx.config.token);
    return refused(name, e instanceof InputError ? e.said(known) : `the options could not be read (${redact(messageOf(e), known)})`);
  }
  if (o.signal?.aborted) return failure(name, "aborted", "the call was aborted before it was sent");
  const timeoutMs = o.timeoutMs ?? (noTimeout ? 0 : ctx.config.timeoutMs);
  return { name, options: o, timeoutMs, deadline: deadline(ctx.clock, timeoutMs, o.signal, ctx.transport.signalOnRequest) };
}

/**
 * Runs `body` as one call of method `name`: one deadline (timeoutMs and signal) and one token for
 * every request it makes (each passes `{ call }` as its plan), released when it is over.
 */
export async function withCall<R>(ctx: ClientContext, name: string, options: CallOptions | undefined, body: (call: Call) => Promise<R>, noTimeout = false): Promise<R | Failure> {
  const call = openCall(ctx, name, options, noTimeout);
  if ("ok" in call) return call;
  try {
    return await body(call);
  } finally {
    call.deadline.release();
  }
}

/** The failure when the call's time ran out or its caller aborted, else undefined. */
export function stopped(call: Call, extra: { cause?: unknown; status?: number } = {}): Failure | undefined {
  if (call.deadline.timedOut()) return failure(call.name, "timeout", `no complete answer within ${call.timeoutMs} ms; raise timeoutMs or check the server`, extra);
  if (call.deadline.stop.aborted) return failure(call.name, "aborted", "the call was aborted", extra);
  return undefined;
}

/** Sends operation `id` through openapi-fetch and returns what happened as a Result. */
export async function request(ctx: ClientContext, id: string, options: CallOptions | undefined, send: Send, plan: CallPlan = {}): Promise<Result<unknown>> {
  const op: OperationInfo = plan.operation ?? operations[id as OperationId];
  const call = plan.call ?? openCall(ctx, id, options, op.noTimeout || plan.stream !== undefined);
  if ("ok" in call) return call;
  // Every secret known before the token is resolved (a token function's is added when it answers).
  const secrets = [...(plan.secrets ?? []), ...tokenSecrets(call.options.token), ...tokenSecrets(ctx.config.token)];
  let handedOver = false; // a followed stream owns the deadline from here on
  try {
    // A token function is waited for; otherwise no await but the send's, on a success too: each await
    // is a turn of the microtask queue, which under load costs more than the code it waits for.
    const preparing = prepare(ctx, op, call, plan, secrets);
    const prepared = preparing instanceof Promise ? await preparing : preparing;
    const retries = retriesFor(op.method, ctx.config, call.options.retry);
    for (let attempt = 0; ; attempt++) {
      prepared.state.sent = prepared.state.responded = prepared.state.tooDeep = false;
      let sent: Sent | { thrown: unknown };
      try {
        sent = await send(ctx.api, prepared.init);
      } catch (e) {
        if (!prepared.state.sent && !prepared.state.invalidUpload) throw e;
        sent = { thrown: e };
      }
      if (!("thrown" in sent) && sent.response.ok) {
        const result = succeed(id, op, call, plan, sent, prepared.secrets, prepared.cap);
        handedOver = plan.stream !== undefined && result.ok;
        return result;
      }
      const next = await decide(ctx, id, call, prepared, sent, attempt, attempt < retries);
      if (next === RETRY) continue;
      return next;
    }
  } catch (e) {
    return notSent(call, e, secrets);
  } finally {
    if (!plan.call && !handedOver) call.deadline.release();
  }
}

/** The token resolved within the call's deadline (waited for only from a token function), and openapi-fetch's options for every attempt. */
function prepare(ctx: ClientContext, op: OperationInfo, call: Call, plan: CallPlan, secrets: string[]): Prepared | Promise<Prepared> {
  const o = call.options;
  const clientToken = op.noCredentials || plan.perCallTokenOnly ? undefined : ctx.config.token;
  if (o.token === undefined && typeof clientToken === "function") {
    return untilStopped((call.clientToken ??= tokenOf(clientToken)), call.deadline.stop).then((token) => prepareWith(token, ctx, op, call, plan, secrets));
  }
  return prepareWith(checkToken(o.token !== undefined ? o.token : clientToken), ctx, op, call, plan, secrets);
}

function prepareWith(token: string | undefined, ctx: ClientContext, op: OperationInfo, call: Call, plan: CallPlan, secrets: string[]): Prepared {
  const { transport, config } = ctx;
  const o = call.options;
  if (token && !secrets.includes(token)) secrets.push(token);
  const state: AttemptState = { sent: false, responded: false, streamed: false };
  const cap = o.maxResponseBytes ?? config.maxResponseBytes;
  const bodyAs = plan.bodyAs ?? op.body;
  const upload = bodyAs?.kind === "binary";
  const headers: Record<string, string> = { ...config.headers, ...o.headers };
  if (bodyAs && (op.body?.required || plan.withBody || plan.bodyAs)) headers["content-type"] ??= bodyAs.type;
  if (token) headers.authorization = `Bearer ${token}`;
  const stop = call.deadline.stop;
  const init: SendInit = {
    headers,
    parseAs: plan.stream ? "stream" : parseAsFor(plan.responseAs ?? Object.values(op.responses)[0]),
    pathSerializer: pathSerializer(op),
    querySerializer: querySerializer(op),
    bodySerializer: (value) =>
      serializeBody(bodyAs?.kind ?? "json", value, op.body, (stream) => {
        state.streamed = true;
        return uploadStream(stream, stop, (e) => (state.invalidUpload = e));
      }),
    fetch: async (request) => {
      state.sent = true;
      const response = await transport.send(request, transport.signalOnRequest ? undefined : stop);
      state.responded = true;
      // A followed stream is capped per record instead (by the stream itself).
      if (plan.stream && response.ok) return response;
      const capped = capResponse(response, cap);
      // openapi-fetch parses an error body as JSON itself: one nested too deep is left out first.
      if (response.status < 400 || !isJsonType(response.headers.get("content-type") ?? "")) return capped;
      const text = await capped.text();
      state.tooDeep = jsonDepthExceeds(text, MAX_JSON_DEPTH);
      return new Response(state.tooDeep ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  };
  if (transport.signalOnRequest && call.deadline.signal) init.signal = call.deadline.signal;
  if (transport.LightRequest && !ctx.middleware) init.Request = transport.LightRequest;
  // A stream cannot be sent again, and secrets in a body never go where a redirect points.
  const noFollow = upload || (plan.secrets?.length ?? 0) > 0;
  if (noFollow) init.redirect = transport.noFollow;
  if (upload) init.duplex = "half"; // lets a Request carry a stream body
  return { init, state, secrets, tokenSent: token !== undefined, cap, noFollow };
}

/** What an attempt that failed means: send it again (after the wait), or the call's failure. */
async function decide(ctx: ClientContext, id: string, call: Call, prepared: Prepared, sent: Sent | { thrown: unknown }, attempt: number, mayRetry: boolean): Promise<Result<unknown> | typeof RETRY> {
  const { state, secrets, cap } = prepared;
  const again = async (retryAfter: string | null, status?: number): Promise<Result<unknown> | typeof RETRY | undefined> => {
    if (!mayRetry || state.streamed) return undefined;
    const delay = retryDelay(attempt, retryAfter, ctx.config.retryDelayMs, ctx.clock.now());
    if (delay === undefined) return undefined; // the server asks for a longer wait than the client allows
    return (await sleep(ctx.clock, delay, call.deadline.stop)) ? RETRY : stopped(call, { status });
  };
  if ("thrown" in sent) {
    const e = sent.thrown;
    const cause = redactCause(state.invalidUpload ?? e, secrets);
    if (state.invalidUpload) return failure(id, "invalid-input", `${state.invalidUpload.said(secrets)}; the upload was stopped and the request aborted`, { cause });
    if (isTooLarge(e)) return failure(id, "too-large", tooLargeMessage(cap), { cause });
    const stop = stopped(call, { cause });
    if (stop) return stop;
    return (await again(null)) ?? failure(id, "network", networkMessage(e, ctx.config.baseUrl, prepared.noFollow, state.responded, secrets), { cause });
  }
  const { response } = sent;
  if (prepared.noFollow && (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400))) {
    const where = redirectTarget(response, ctx.config.baseUrl, secrets);
    return failure(id, "network", `the server answered a redirect${where}, which this request does not follow; use the final URL as baseUrl`, { status: response.status, meta: metaOf(response, secrets) });
  }
  if (RETRYABLE_STATUSES.has(response.status)) {
    const next = await again(response.headers.get("retry-after"), response.status);
    if (next) return next;
  }
  if (state.tooDeep) {
    const message = `HTTP ${response.status}: the server's answer is left out: it nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`;
    return failure(id, "http", message, { status: response.status, meta: metaOf(response, secrets) });
  }
  const { body, message } = describeHttpError(response, sent.error, secrets, prepared.tokenSent);
  return failure(id, "http", message, { status: response.status, body, meta: metaOf(response, secrets) });
}

/** A 2xx: its body decoded by the spec's kind for its media type, then by the plan's decoder. */
function succeed(id: string, op: OperationInfo, call: Call, plan: CallPlan, { data, response }: Sent, secrets: Secrets, cap: number): Result<unknown> {
  const meta = metaOf(response, secrets);
  if (plan.stream) {
    const body = (data as ReadableStream<Uint8Array> | undefined) ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    return { ok: true, data: plan.stream(body, { maxRecordBytes: cap, secrets, deadline: call.deadline }), meta };
  }
  const { status } = response;
  const contentType = response.headers.get("content-type") ?? "";
  // A 2xx the spec does not list is read as the operation's listed success is.
  const kind = plan.responseAs ?? kindFor(op.responses[status] ?? Object.values(op.responses)[0], contentType);
  const decoded = decodeSuccess(data, kind, contentType);
  if ("parseError" in decoded) return failure(id, "parse", decoded.parseError, { status, body: redact(decoded.raw, secrets), meta });
  const mismatch = kind === "json" && data !== undefined && data !== "" ? shapeMismatch(decoded.data, op.shapes?.[status]) : undefined;
  if (mismatch) return failure(id, "parse", mismatch, { status, body: redact(data as string, secrets), meta });
  if (plan.decode) {
    try {
      return { ok: true, data: plan.decode.run(decoded.data), meta };
    } catch (e) {
      const raw = typeof decoded.data === "string" ? redact(decoded.data, secrets) : undefined;
      // The codec's message describes values the server sent: foreign text.
      return failure(plan.decode.as, "parse", `the body does not fit its schema: ${redact(messageOf(e), secrets)}`, { status, body: raw, meta });
    }
  }
  const result = { ok: true as const, data: decoded.data, meta };
  const fields = op.secretFields;
  if (fields && typeof result.data === "object" && result.data !== null) {
    // Credentials the caller asked for: data that copies keep, shown as [redacted] by inspectors and by JSON of the whole result.
    const secretData = result.data;
    inspectAs(secretData, () => redactedView(secretData, fields));
    Object.defineProperty(result, "toJSON", { value: () => ({ ...result, data: redactedView(secretData, fields) }), enumerable: false });
  }
  return result;
}

/** Nothing was sent: the arguments, the token or a middleware stopped the request being made. */
function notSent(call: Call, e: unknown, secrets: Secrets): Failure {
  const stop = stopped(call, { cause: redactCause(e, secrets) });
  if (stop) return stop;
  return refused(call.name, e instanceof InputError ? e.said(secrets) : `the request could not be made (${redact(messageOf(e), secrets)})`);
}
