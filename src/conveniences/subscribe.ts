/** subscribeUrl: what `new WebSocket(url, protocols)` needs to open `GET …/subscribe`. */
import { operations } from "../generated/operations.js";
import { InputError, optionsObject, pathSerializer, querySerializer, type CallOptions, type Query, type Result, type Transport } from "../core/index.js";
import type { SpacetimeClient } from "../client.js";

export interface SubscribeUrlOptions extends CallOptions {
  /** Offer only this subprotocol (default: all, in the server's order of preference). */
  protocol?: string;
  compression?: Query<"subscribe">["compression"];
  light?: boolean;
  confirmed?: boolean;
}

/**
 * The URL and subprotocol list. With a token it first gets a 60-second token from
 * `POST /v1/identity/websocket-token` (never putting the long-lived one in a URL), as the official
 * SDKs do; without one the connection is anonymous and nothing is sent (`meta.status` is 0).
 */
export async function subscribeUrl(
  t: Transport,
  client: Pick<SpacetimeClient, "getWebsocketToken">,
  database: string,
  options?: SubscribeUrlOptions,
): Promise<Result<{ url: string; protocols: string[] }>> {
  const o = optionsObject(options);
  const op = operations.subscribe;
  const all: readonly string[] = op.subprotocols;
  if (o.protocol !== undefined && !all.includes(o.protocol)) throw new InputError(`protocol must be one of ${all.join(", ")}`);
  // The URL is built by the serializers every call uses, so its parameters are checked the same way.
  const search = querySerializer(op)({ compression: o.compression, light: o.light, confirmed: o.confirmed } satisfies Query<"subscribe">);
  const path = pathSerializer(op)(op.path, { name_or_identity: database }) + (search ? `?${search}` : "");
  const protocols = o.protocol ? [o.protocol] : [...all];
  const wsBase = t.config.baseUrl.replace(/^http/i, "ws");
  if (o.token === undefined && t.config.token === undefined) return { ok: true, data: { url: wsBase + path, protocols }, meta: { status: 0, headers: {} } };
  const minted = await client.getWebsocketToken(options);
  if (!minted.ok) return minted;
  const url = `${wsBase}${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(minted.data.token)}`;
  return { ok: true, data: { url, protocols }, meta: minted.meta };
}
