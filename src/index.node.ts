/**
 * spacetimedb-http in Node (the package's `node` export condition): everything src/index.ts
 * exports, but createClient's default transport is undici's dispatcher (src/transport/undici.ts)
 * under openapi-fetch instead of Node's fetch. An injected `fetch` is used as given.
 */
import { buildClient, type SpacetimeClient } from "./client.js";
import type { ClientOptions } from "./core/options.js";
import { LightRequest, send, undiciFetch } from "./transport/undici.js";

export * from "./index.js";

const node = { fetch: undiciFetch, send, Request: LightRequest as unknown as typeof Request };

/** A client of a SpacetimeDB server (see the README); in Node its requests go through undici. */
export function createClient(options?: ClientOptions): SpacetimeClient {
  return buildClient(options, node);
}
