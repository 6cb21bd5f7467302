/**
 * spacetimedb-http in Node (the package's `node` export condition): everything src/index.ts exports,
 * but createClient's default transport is undici's dispatcher (src/transport/undici.ts) under
 * openapi-fetch instead of Node's fetch. An injected `fetch` is used as given.
 */
import { createClientWith, type SpacetimeClient } from "./client/create-client.js";
import type { ClientOptions } from "./core/options.js";
import { undiciTransport } from "./transport/undici.js";

export * from "./index.js";

/** A client of a SpacetimeDB server (see the README); in Node its requests go through undici. */
export function createClient(options?: ClientOptions): SpacetimeClient {
  return createClientWith(options, { transport: undiciTransport });
}
