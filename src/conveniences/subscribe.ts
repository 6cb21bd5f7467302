/** subscribeUrl: what `new WebSocket(url, protocols)` needs to open `GET …/subscribe`. */
import type { ClientContext } from "../core/context.js";
import { InputError } from "../core/errors.js";
import { optionsObject, type CallOptions } from "../core/options.js";
import type { Result } from "../core/result.js";
import { pathSerializer, querySerializer } from "../core/serialize.js";
import { sendGetWebsocketToken } from "../generated/methods.js";
import { servedOperations } from "../generated/served-operations.js";
import type { operations as OperationTypes } from "../generated/schema.js";

type Query = NonNullable<OperationTypes["subscribe"]["parameters"]["query"]>;

export interface SubscribeUrlOptions extends CallOptions {
  /** Offer only this subprotocol (default: all, in the server's order of preference). */
  protocol?: string | undefined;
  compression?: Query["compression"] | undefined;
  light?: boolean | undefined;
  confirmed?: boolean | undefined;
}

/**
 * The URL and subprotocol list. With a token it first gets a 60-second token from
 * `POST /v1/identity/websocket-token` (never putting the long-lived one in a URL), as the official
 * SDKs do; without one the connection is anonymous and nothing is sent (`meta.status` is 0).
 */
export async function subscribeUrl(
  ctx: ClientContext,
  database: string,
  options?: SubscribeUrlOptions,
): Promise<Result<{ url: string; protocols: string[] }>> {
  const o = optionsObject(options);
  const op = servedOperations.subscribe;
  const all: readonly string[] = op.subprotocols;
  if (o.protocol !== undefined && !all.includes(o.protocol)) throw new InputError(`protocol must be one of ${all.join(", ")}`);
  // The URL is built by the serializers every call uses, so its parameters are checked the same way.
  const search = querySerializer(op)({ compression: o.compression, light: o.light, confirmed: o.confirmed } satisfies Query);
  const path = pathSerializer(op)(op.path, { name_or_identity: database }) + (search ? `?${search}` : "");
  const protocols = o.protocol ? [o.protocol] : [...all];
  const wsBase = ctx.config.baseUrl.replace(/^http/i, "ws");
  if (o.token === undefined && ctx.config.token === undefined) return { ok: true, data: { url: wsBase + path, protocols }, meta: { status: 0, headers: {} } };
  const minted = await sendGetWebsocketToken(ctx, undefined, options);
  if (!minted.ok) return minted;
  const url = `${wsBase}${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(minted.data.token)}`;
  return { ok: true, data: { url, protocols }, meta: minted.meta };
}
