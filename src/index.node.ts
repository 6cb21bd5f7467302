/**
 * spacetimedb-http in Node (the package's `node` export condition): everything src/index.ts
 * exports, but createClient's default transport is undici's dispatcher (src/transport/undici.ts)
 * under openapi-fetch instead of Node's fetch. An injected `fetch` is used as given.
 */
import { buildClient, type NodeSetup, type SpacetimeClient } from "./client.js";
import type { ClientOptions } from "./core/options.js";
import type { DirectTransport } from "./core/call.js";
import { LightRequest, send, undiciFetch } from "./transport/undici.js";

export * from "./index.js";

/** undici under the client, unless the user injected a fetch; `raw` and middleware keep working. */
const node: NodeSetup = (config, api, fetchInjected) => {
  if (fetchInjected) return undefined;
  const direct: DirectTransport = { send, Request: LightRequest as unknown as typeof Request, middleware: false };
  // Middleware sees real Request and Response objects: once any is registered, the light ones stop.
  const use = api.use.bind(api);
  api.use = (...middleware) => ((direct.middleware = true), use(...middleware));
  return { config: { ...config, fetch: undiciFetch }, direct };
};

/** A client of a SpacetimeDB server (see the README); in Node its requests go through undici. */
export function createClient(options?: ClientOptions): SpacetimeClient {
  return buildClient(options, node);
}
