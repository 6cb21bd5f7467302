/**
 * The client's context: what every call of one client shares. Built once by createClient; the
 * request core, the generated send functions and the conveniences take it as their first argument.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import type { Transport } from "../transport/transport.js";
import type { ClientConfig } from "./options.js";

/** Time as the core sees it: the system's, or a test's (retries, backoff, Retry-After, deadlines). */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type Api = Client<paths>;

export interface ClientContext {
  readonly config: ClientConfig;
  /** The one openapi-fetch client every call goes through; `use()` adds middleware to it. */
  readonly api: Api;
  readonly transport: Transport;
  readonly clock: Clock;
  /** Set once any middleware is registered: from then on requests are real `Request`s. */
  middleware: boolean;
}

/** A method whose module loads with its first call: `load` gives the function, which takes the client's context first. */
export function onFirstCall<A extends unknown[], R>(ctx: ClientContext, load: () => Promise<(ctx: ClientContext, ...args: A) => Promise<R>>): (...args: A) => Promise<R> {
  return async (...args) => (await load())(ctx, ...args);
}
