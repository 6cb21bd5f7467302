/** subscribeUrl: what `new WebSocket(url, protocols)` needs to open `GET …/subscribe`. */
import { operations } from "./generated/operations.js";
import type { Result } from "./result.js";
import type { SpacetimeClient } from "./client.js";
import { buildUrl, failure, type CallOptions, type TransportConfig } from "./transport.js";

export interface SubscribeUrlOptions extends CallOptions {
  /** Offer only this subprotocol (default: all, in the server's order of preference). */
  protocol?: string;
  compression?: "None" | "Brotli" | "Gzip";
  light?: boolean;
  confirmed?: boolean;
}

/**
 * The URL and subprotocol list. With a token it first gets a 60-second token from
 * `POST /v1/identity/websocket-token` (never putting the long-lived one in a URL), as the official
 * SDKs do; without one the connection is anonymous and nothing is sent (`meta.status` is 0).
 */
export async function subscribeUrl(
  config: TransportConfig,
  client: Pick<SpacetimeClient, "getWebsocketToken">,
  database: string,
  o: SubscribeUrlOptions = {},
): Promise<Result<{ url: string; protocols: string[] }>> {
  const all: readonly string[] = operations.subscribe.subprotocols;
  if (o.protocol !== undefined && !all.includes(o.protocol)) {
    return failure("subscribeUrl", "invalid-input", `protocol must be one of ${all.join(", ")}; no request was sent`);
  }
  const query = { compression: o.compression, light: o.light, confirmed: o.confirmed };
  const path = buildUrl(operations.subscribe, { path: { name_or_identity: database }, query });
  if (typeof path !== "string") return failure("subscribeUrl", "invalid-input", `${path.error}; no request was sent`);
  const protocols = o.protocol ? [o.protocol] : [...all];
  const wsBase = config.baseUrl.replace(/^http/i, "ws");
  if (o.token === undefined && config.token === undefined) return { ok: true, data: { url: wsBase + path, protocols }, meta: { status: 0, headers: {} } };
  const minted = await client.getWebsocketToken(o);
  if (!minted.ok) return minted;
  const url = `${wsBase}${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(minted.data.token)}`;
  return { ok: true, data: { url, protocols }, meta: minted.meta };
}
