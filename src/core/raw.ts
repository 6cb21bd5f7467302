/**
 * The escape hatch's credentials: `client.raw` is the same openapi-fetch client the SDK's methods use
 * (so `use()` middleware applies to both), and each of its calls gets the client's base URL, headers,
 * token and timeout from here. It answers as openapi-fetch does (`{ data, error, response }`), and may
 * throw as it does. Loaded with the first `raw` call.
 */
import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import type { ClientContext } from "./context.js";
import { checkToken } from "./request.js";

export type RawClient = Client<paths>;
export type { Middleware };

export type RawInit = { headers?: HeadersInit | Record<string, unknown>; signal?: AbortSignal } & Record<string, unknown>;

/** `init` with the client's headers, token and timeout added; the caller's own headers win (null removes one). */
export async function withCredentials({ config }: ClientContext, init: RawInit = {}): Promise<RawInit> {
  const headers = new Headers(config.headers);
  const token = checkToken(typeof config.token === "function" ? await config.token() : config.token);
  if (token) headers.set("authorization", `Bearer ${token}`);
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, String(value));
  }
  let signal = init.signal;
  if (config.timeoutMs > 0 && config.timeoutMs < 2 ** 31) {
    const timeout = AbortSignal.timeout(config.timeoutMs);
    signal = signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
  return { ...init, headers, ...(signal ? { signal } : {}) };
}
