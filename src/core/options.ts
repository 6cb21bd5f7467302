/**
 * The client's configuration and each call's options, read once. A bad configuration throws a
 * `TypeError` at once (a programmer's mistake); a bad call option throws an `InputError`, which the
 * call returns as an `invalid-input` result.
 */
import type { FetchLike } from "../transport/transport.js";
import { InputError } from "./errors.js";

export type { FetchLike };

export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** The token as a known secret, when it is a string (a token function's value is known only once it answers). */
export const tokenSecrets = (token: TokenSource | undefined): string[] => (typeof token === "string" ? [token] : []);

export interface ClientOptions {
  /** Server URL, e.g. `"http://127.0.0.1:3000"` (the default) or a bare `"host:port"` (means http). */
  baseUrl?: string | undefined;
  /** A token, or a function returning one (sync or async), read on every request. */
  token?: TokenSource | undefined;
  /** Injected fetch; defaults to the global one. */
  fetch?: FetchLike | undefined;
  /** Default 30 000 ms; 0 or Infinity means none. Publish, pre_publish, reset and log streams have none. */
  timeoutMs?: number | undefined;
  /** Automatic retries of GET and HEAD on 408, 429, 502, 503, 504 and network errors. Default 2. */
  retries?: number | undefined;
  /** First backoff delay, doubled each retry (with jitter); default 500 ms. */
  retryDelayMs?: number | undefined;
  /** Headers sent on every request. */
  headers?: Record<string, string> | undefined;
  /**
   * The most bytes of any one response body (decoded) the client reads: a larger one fails the call
   * with kind `too-large` and the connection is closed. For a log stream, the most per record.
   * Default 256 MiB; `Infinity` means no limit.
   */
  maxResponseBytes?: number | undefined;
}

export interface CallOptions {
  /** A token for this call only; overrides the client's. */
  token?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the client's timeout for this call; 0 or Infinity means none. */
  timeoutMs?: number | undefined;
  headers?: Record<string, string> | undefined;
  /** Opts this call in to retries (`true` = the client's `retries`), even for POST, PUT and DELETE. */
  retry?: boolean | number | undefined;
  /** Overrides the client's `maxResponseBytes` for this call. */
  maxResponseBytes?: number | undefined;
}

export interface ClientConfig {
  readonly baseUrl: string;
  readonly token: TokenSource | undefined;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly maxResponseBytes: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export const DEFAULT_BASE_URL = "http://127.0.0.1:3000";

/** Adds `http://` to a bare `host:port` and drops trailing slashes. */
export function normalizeBaseUrl(baseUrl: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `http://${baseUrl}`;
  return withScheme.replace(/\/+$/, "");
}

const isCount = (n: unknown): n is number => typeof n === "number" && n >= 0 && Number.isInteger(n);
const isDuration = (n: unknown): n is number => typeof n === "number" && n >= 0; // NaN fails, Infinity passes
const isByteCount = (n: unknown): n is number => isCount(n) || n === Infinity;

/** Header names lower-cased, so that the client's, a call's and the SDK's own never arrive twice. */
function headerRecord(value: unknown, fail: (why: string) => Error): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail("headers must be an object of strings");
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== "string") throw fail(`header ${JSON.stringify(name)} must be a string`);
    headers[name.toLowerCase()] = v;
  }
  return headers;
}

/** The client's configuration, or a TypeError naming what is wrong. */
export function readClientOptions(options: ClientOptions | undefined): ClientConfig {
  const fail = (why: string) => new TypeError(`createClient: ${why}`);
  const o = options ?? {};
  if (typeof o !== "object") throw fail("options must be an object");
  const { baseUrl = DEFAULT_BASE_URL, token, fetch, timeoutMs = 30_000, retries = 2, retryDelayMs = 500, headers, maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES } = o;
  if (typeof baseUrl !== "string") throw fail("baseUrl must be a string");
  const base = normalizeBaseUrl(baseUrl);
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) throw fail(`baseUrl ${JSON.stringify(baseUrl)} is not an http(s) URL`);
  if (token !== undefined && typeof token !== "string" && typeof token !== "function") throw fail("token must be a string or a function");
  if (fetch !== undefined && typeof fetch !== "function") throw fail("fetch must be a function");
  if (!isDuration(timeoutMs)) throw fail("timeoutMs must be a non-negative number (0 or Infinity: no timeout)");
  if (!isCount(retries)) throw fail("retries must be a non-negative integer");
  if (!isDuration(retryDelayMs) || retryDelayMs === Infinity) throw fail("retryDelayMs must be a non-negative finite number");
  if (!isByteCount(maxResponseBytes)) throw fail("maxResponseBytes must be a non-negative integer or Infinity");
  return {
    baseUrl: base,
    token,
    fetch: fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs,
    retries,
    retryDelayMs,
    headers: headerRecord(headers, fail),
    maxResponseBytes,
  };
}

/** A method's last argument, or an InputError when it is not an object (a getter that throws surfaces later, as the same). */
export function optionsObject<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object") throw new InputError(`options must be an object, not ${typeof value}`);
  return value;
}

/** The call options of a method's last argument, each read once and checked. */
export function readCallOptions(value: CallOptions | undefined): CallOptions {
  const o = optionsObject(value);
  const { token, signal, timeoutMs, headers, retry, maxResponseBytes } = o;
  const fail = (why: string) => new InputError(why);
  if (token !== undefined && typeof token !== "string") throw fail("the token must be a string");
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && typeof signal.addEventListener === "function")) {
    throw fail("signal must be an AbortSignal");
  }
  if (timeoutMs !== undefined && !isDuration(timeoutMs)) throw fail("timeoutMs must be a non-negative number (0 or Infinity: no timeout)");
  if (retry !== undefined && typeof retry !== "boolean" && !isCount(retry)) throw fail("retry must be true, false or a non-negative integer");
  if (maxResponseBytes !== undefined && !isByteCount(maxResponseBytes)) throw fail("maxResponseBytes must be a non-negative integer or Infinity");
  return { token, signal, timeoutMs, headers: headerRecord(headers, fail), retry, maxResponseBytes };
}
