/**
 * The Node build's transport: openapi-fetch's `fetch` on undici's dispatcher API (`Agent#request`)
 * instead of Node's fetch. Same Request in, Response out, so middleware, typing and the result path
 * do not change; what goes is fetch's per-request machinery (a followed AbortSignal per Request,
 * listener counting, a FinalizationRegistry entry), which costs more than the rest of a call.
 *   - Timeouts: the call's deadline arrives as `stop` (a signal-like object, see deadline.ts) and
 *     goes to undici as its `signal` option; keep-alive is undici's (one Agent per process).
 *   - Redirects as fetch follows them (at most 20; 303, and 301/302 after a POST, become a GET
 *     without body), with Authorization, Proxy-Authorization and Cookie dropped across origins; a
 *     streamed body (or `redirect: "error"`) is never re-sent: the call fails naming the final URL.
 *   - No Accept-Encoding is sent, so bytes are counted as received (maxResponseBytes); a server
 *     that compresses anyway is decoded, as fetch would, and counted decoded.
 */
import { Readable, pipeline } from "node:stream";
import type { Dispatcher } from "undici";
import type { StopSignal, Transport } from "./transport.js";
import { loadUndici, type UndiciParts } from "./undici-parts.js";

type RawBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

/** undici's Agent (one per process: keep-alive) and request(), once the first request has loaded them. */
let undici: UndiciParts | undefined;
let loading: Promise<UndiciParts> | undefined;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const CROSS_ORIGIN_DROPPED = ["authorization", "proxy-authorization", "cookie"];
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/**
 * A lighter Request: the URL, method, headers and the body as given (no stream made of a string).
 * openapi-fetch builds it only while the client has no middleware (src/core/request.ts); middleware
 * always sees real Request and Response objects.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly redirect: RequestRedirect;
  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = String(input);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.redirect = init.redirect ?? "follow";
  }
}

/** A plain Response for the light path: headers, status and an undici body read in place. */
class LightResponse {
  readonly type = "basic";
  readonly ok: boolean;
  readonly statusText = "";
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly url: string,
    readonly redirected: boolean,
    private readonly raw: Dispatcher.ResponseData["body"] | null,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  #body?: ReadableStream<Uint8Array>;
  get body(): ReadableStream<Uint8Array> | null {
    return this.raw ? (this.#body ??= webStream(this.raw)) : null;
  }
  get bodyUsed(): boolean {
    return this.raw?.bodyUsed ?? false;
  }
  text(): Promise<string> {
    return this.raw ? this.raw.text() : Promise.resolve("");
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.raw ? this.raw.arrayBuffer() : new ArrayBuffer(0);
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get("content-type") ?? "" });
  }
}

/**
 * A Node stream as a web stream whose cancel destroys it at once (closing the connection), even
 * with a read pending: undici's own `body` getter waits for that read first, so a silent stream
 * could never be closed. Not `Readable.toWeb`: on Node 20 a chunk already on its way after a
 * cancel (a capped body) is enqueued into the closed stream, an uncaught TypeError that ends the
 * process. Here anything after the end is dropped, and the source is paused while nobody reads.
 */
export function webStream(readable: Readable): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      readable.pause();
      readable.on("data", (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) readable.pause();
      });
      readable.on("end", () => done || ((done = true), controller.close()));
      readable.on("error", (error) => done || ((done = true), controller.error(error)));
      readable.on("close", () => done || ((done = true), controller.error(new Error("the connection closed before the body ended"))));
    },
    pull() {
      readable.resume();
    },
    cancel() {
      done = true;
      readable.destroy();
    },
  });
}

function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf("/", url.indexOf("//") + 2);
  return slash < 0 ? { origin: url, path: "/" } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/** The body as undici takes it (bytes, text or a stream), and the Content-Type it implies. */
async function rawBody(body: BodyInit | null | undefined): Promise<{ body: RawBody; type?: string }> {
  if (body === null || body === undefined) return { body: null };
  if (typeof body === "string" || body instanceof Uint8Array) return { body };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) return { body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof ReadableStream) return { body };
  if (body instanceof Blob) return { body: new Uint8Array(await body.arrayBuffer()), type: body.type || undefined };
  // URLSearchParams, FormData and the rest: as fetch would encode them.
  const encoded = new Response(body);
  return { body: new Uint8Array(await encoded.arrayBuffer()), type: encoded.headers.get("content-type") ?? undefined };
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

/** Response headers read in place from undici's record (lower-case names), for the light path. */
class LightHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : typeof value === "string" ? value : value.join(", ");
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  forEach(callback: (value: string, name: string, headers: this) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === "string") headers.append(name, value);
    else if (value) for (const v of value) headers.append(name, v);
  }
  return headers;
}

/** The decoders of a `Content-Encoding` list, last applied first (`gzip, gzip` is gzipped twice); none when one is unknown, as fetch leaves such a body. */
function decoders(encodings: string): NodeJS.ReadWriteStream[] | undefined {
  const list = encodings.split(",").map(decoder).reverse();
  return list.length > 0 && list.every((d) => d !== undefined) ? (list as NodeJS.ReadWriteStream[]) : undefined;
}

/** The decoder of one content coding; node:zlib is loaded only for a body the server compressed unasked (it costs a cold start 2 ms). */
function decoder(encoding: string): NodeJS.ReadWriteStream | undefined {
  const zlib = () => process.getBuiltinModule("node:zlib");
  switch (encoding.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib().createGunzip();
    case "deflate":
      return zlib().createInflate();
    case "br":
      return zlib().createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Sends `request` (a LightRequest or a real Request) through undici; `stop` aborts it (the call's
 * deadline and signal). Errors as fetch's: the stop's reason when stopped, else a TypeError whose
 * cause is undici's error (its `code`, e.g. ECONNREFUSED, says why).
 */
export async function send(request: Request | LightRequest, stop?: StopSignal): Promise<Response> {
  const light = request instanceof LightRequest;
  const signal = stop ?? (light ? undefined : (request as Request).signal);
  if (signal?.aborted) throw signal.reason;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (name !== "accept-encoding") headers[name] = value;
  });
  headers.accept ??= "*/*"; // as fetch sends it: a server (or a mock) negotiates the same answer on both builds
  let method = request.method;
  let url = request.url;
  // A real Request's body is a stream: re-readable only once read whole, which an upload is not.
  const streamed = light ? request.body instanceof ReadableStream : request.body !== null && request.redirect === "error";
  const given = light || streamed ? request.body : request.body === null ? null : await (request as Request).arrayBuffer();
  // No await for what is already bytes or text (most calls): each is a turn of the event loop's microtasks.
  let { body, type } = given === null || typeof given === "string" || given instanceof Uint8Array ? { body: given, type: undefined } : await rawBody(given);
  if (type && headers["content-type"] === undefined) headers["content-type"] = type;
  try {
    const { agent, request: dispatch } = undici ?? (undici = await (loading ??= loadUndici()));
    for (let hops = 0; ; hops++) {
      const { origin, path } = splitUrl(url);
      const payload = body instanceof ReadableStream ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>) : body;
      const res = await dispatch.call(agent, { origin, path, method: method as Dispatcher.HttpMethod, headers, body: payload, signal: signal as AbortSignal | undefined });
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode) || request.redirect === "manual" || typeof location !== "string") return respond(res, url, hops > 0, light, method);
      res.body.dump().catch(() => {});
      const next = new URL(location, url).href;
      if (request.redirect === "error" || streamed) throw new Error(`the server redirected to ${next}, which is not followed: a streamed body cannot be sent again`);
      if (!/^https?:$/.test(new URL(next).protocol)) throw new Error(`the server redirected to ${next}, which is not an http(s) URL`);
      if (hops >= 20) throw new Error(`more than 20 redirects (the last to ${next})`);
      if ((res.statusCode === 303 && method !== "GET" && method !== "HEAD") || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST")) {
        method = "GET";
        body = null;
        for (const name of BODY_HEADERS) delete headers[name];
      }
      if (splitUrl(next).origin !== origin) for (const name of CROSS_ORIGIN_DROPPED) delete headers[name];
      url = next;
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw fetchFailed(e);
  }
}

function respond(res: Dispatcher.ResponseData, url: string, redirected: boolean, light: boolean, method: string): Response {
  const status = res.statusCode;
  // An empty body is drained here: openapi-fetch never reads one (204, HEAD, `content-length: 0`),
  // and undici keeps an unread body's request, and its abort listener, until the body closes.
  const empty = NULL_BODY.has(status) || method === "HEAD" || res.headers["content-length"] === "0";
  if (empty) res.body.dump().catch(() => {});
  const encoding = empty ? undefined : res.headers["content-encoding"];
  const decode = typeof encoding === "string" ? decoders(encoding) : undefined;
  if (light && !decode) return new LightResponse(status, new LightHeaders(res.headers) as unknown as Headers, url, redirected, empty ? null : res.body) as unknown as Response;
  // A real Response for middleware, or around a body the server compressed unasked.
  const body = empty ? null : webStream(decode ? (pipeline([res.body, ...decode], () => {}) as unknown as Readable) : res.body);
  const response = new Response(body, { status, headers: responseHeaders(res.headers) });
  Object.defineProperty(response, "url", { value: url });
  return response;
}

/** The Node build's transport: undici under openapi-fetch, the deadline beside each request. */
export const undiciTransport = (): Transport => ({ send, signalOnRequest: false, LightRequest: LightRequest as unknown as typeof Request, noFollow: "error" });
