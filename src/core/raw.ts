/**
 * The escape hatch: the same openapi-fetch client the SDK's methods use (so `use()` middleware
 * applies to both), with the client's base URL, headers, token and timeout added to each call.
 * It answers as openapi-fetch does (`{ data, error, response }`), and may throw as it does.
 */
import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import type { ClientContext } from "./context.js";
import { checkToken } from "./request.js";

export type RawClient = Client<paths>;
export type { Middleware };

type Init = { headers?: HeadersInit | Record<string, unknown>; signal?: AbortSignal } & Record<string, unknown>;

export function createRawClient({ api, config }: ClientContext): RawClient {
  const withCredentials = async (init: Init = {}): Promise<Init> => {
    const headers = new Headers(config.headers);
    const token = checkToken(typeof config.token === "function" ? await config.token() : config.token);
    if (token) headers.set("authorization", `Bearer ${token}`);
    // The caller's own headers win, as on any openapi-fetch call (null removes one).
    new Headers(Object.entries(init.headers ?? {}).filter(([, v]) => v !== null) as [string, string][]).forEach((v, k) => headers.set(k, v));
    for (const [k, v] of Object.entries(init.headers ?? {})) if (v === null) headers.delete(k);
    let signal = init.signal;
    if (config.timeoutMs > 0 && config.timeoutMs < 2 ** 31) {
      const timeout = AbortSignal.timeout(config.timeoutMs);
      signal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    }
    return { ...init, headers, ...(signal ? { signal } : {}) };
  };
  const methods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
  const send = (method: string) => async (path: string, init?: Init) =>
    (api[method as "GET"] as (p: string, i: Init) => Promise<unknown>)(path, await withCredentials(init));
  const raw = Object.fromEntries(methods.map((m) => [m, send(m)]));
  return {
    ...raw,
    request: async (method: string, path: string, init?: Init) =>
      (api.request as (m: string, p: string, i: Init) => Promise<unknown>)(method, path, await withCredentials(init)),
    use: (...middleware: Middleware[]) => api.use(...middleware),
    eject: (...middleware: Middleware[]) => api.eject(...middleware),
  } as unknown as RawClient;
}
