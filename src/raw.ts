/**
 * The escape hatch: the typed openapi-fetch client under the SDK, with the SDK's base URL, token and
 * timeout. openapi-fetch is loaded on the first raw call (every raw method returns a promise anyway),
 * so programs that never use `raw` do not ship it.
 */
import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import { checkToken, type TransportConfig } from "./transport.js";

export type RawClient = Client<paths>;
export type { Middleware };

async function load(config: TransportConfig, middleware: readonly Middleware[]): Promise<RawClient> {
  const { default: createOpenApiClient } = await import("openapi-fetch");
  const raw = createOpenApiClient<paths>({
    baseUrl: config.baseUrl,
    headers: config.headers,
    fetch: (request: Request) => {
      if (!(config.timeoutMs > 0 && config.timeoutMs < 2 ** 31)) return config.fetch(request);
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(config.timeoutMs)]);
      return config.fetch(new Request(request, { signal }));
    },
  });
  raw.use(
    {
      async onRequest({ request }) {
        if (request.headers.has("authorization")) return undefined;
        const token = checkToken(typeof config.token === "function" ? await config.token() : config.token);
        if (typeof token === "object") throw new TypeError(`spacetimedb-http: ${token.error}`);
        if (token) request.headers.set("authorization", `Bearer ${token}`);
        return request;
      },
    },
    ...middleware,
  );
  return raw;
}

/** A RawClient whose methods load openapi-fetch on first use; `use`/`eject` apply before or after. */
export function createRawClient(config: TransportConfig): RawClient {
  const middleware: Middleware[] = [];
  let loaded: Promise<RawClient> | undefined;
  const client = () => (loaded ??= load(config, middleware));
  const methods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;
  const calls = Object.fromEntries(
    methods.map((method) => [method, async (...args: unknown[]) => ((await client())[method] as (...a: unknown[]) => unknown)(...args)]),
  );
  return {
    ...calls,
    // Before the first call, middleware waits in the list that load() applies; after, it goes straight on.
    use(...added: Middleware[]) {
      if (loaded) void loaded.then((raw) => raw.use(...added));
      else middleware.push(...added);
    },
    eject(...removed: Middleware[]) {
      if (loaded) void loaded.then((raw) => raw.eject(...removed));
      else
        for (const m of removed) {
          const i = middleware.indexOf(m);
          if (i >= 0) middleware.splice(i, 1);
        }
    },
  } as RawClient;
}
