/** The escape hatch: the typed openapi-fetch client under the SDK, with the SDK's base URL, token and timeout. */
import createOpenApiClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import type { TransportConfig } from "./transport.js";

export type RawClient = Client<paths>;
export type { Middleware };

export function createRawClient(config: TransportConfig): RawClient {
  const raw = createOpenApiClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    fetch: (request: Request) => {
      if (config.timeoutMs <= 0) return config.fetch(request);
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(config.timeoutMs)]);
      return config.fetch(new Request(request, { signal }));
    },
  });
  raw.use({
    async onRequest({ request }) {
      if (request.headers.has("authorization")) return undefined;
      const token = typeof config.token === "function" ? await config.token() : config.token;
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
  });
  return raw;
}
