/** route(): the module's own HTTP handlers, `…/route`, `…/route/` and `…/route/{path}`, any method. */
import type { Api, ClientContext } from "../core/context.js";
import { InputError } from "../core/errors.js";
import type { BodyKind } from "../core/operation-table.js";
import { optionsObject, type CallOptions } from "../core/options.js";
import { request, type SendInit } from "../core/request.js";
import type { Result } from "../core/result.js";
import { isStreamBody } from "../core/serialize.js";
import { servedOperations } from "../generated/served-operations.js";

export interface RouteOptions extends CallOptions {
  /** GET (default), POST, PUT, PATCH, DELETE or HEAD. */
  method?: string | undefined;
  /** A string (sent as text), bytes or a stream (sent as octets), or any other JSON value (sent as JSON). */
  body?: unknown;
  /** How to read a success body: `"text"` (default), `"json"` or `"binary"` (a Uint8Array). */
  responseAs?: "text" | "json" | "binary" | undefined;
}

const METHODS = { GET: "Get", POST: "Post", PUT: "Put", PATCH: "Patch", DELETE: "Delete", HEAD: "Head" } as const;
type Method = keyof typeof METHODS;

function bodyKindOf(body: unknown): { kind: BodyKind; type: string } | undefined {
  if (body === undefined) return undefined;
  if (typeof body === "string") return { kind: "text", type: "text/plain; charset=utf-8" };
  const bytes = body instanceof Uint8Array || body instanceof ArrayBuffer || (typeof Blob !== "undefined" && body instanceof Blob) || isStreamBody(body);
  return bytes ? { kind: "binary", type: "application/octet-stream" } : { kind: "json", type: "application/json" };
}

/** The three route paths of the spec, by whether `path` is `""`, `"/"` or deeper. */
function routeOf(path: string): { id: "httpRouteRoot" | "httpRouteRootSlash" | "httpRoute"; template: string; segments: string[] } {
  const relative = path.startsWith("/") ? path.slice(1) : path;
  if (path === "") return { id: "httpRouteRoot", template: "/v1/database/{name_or_identity}/route", segments: [] };
  if (relative === "") return { id: "httpRouteRootSlash", template: "/v1/database/{name_or_identity}/route/", segments: [] };
  return { id: "httpRoute", template: "/v1/database/{name_or_identity}/route/{path}", segments: relative.split("/") };
}

/**
 * Calls the module's handler at `path` (`""` and `"/"` are distinct routes; deeper paths are
 * encoded segment by segment). These routes read no SpacetimeDB credentials, so only a per-call
 * `token` is sent. The spec gives these routes no body type, so the body's own kind decides it.
 */
export function route(ctx: ClientContext, database: string, path: string, options?: RouteOptions): Promise<Result<unknown>> {
  const { method = "GET", body, responseAs = "text" } = optionsObject(options);
  if (typeof path !== "string") throw new InputError("path must be a string");
  const upper = typeof method === "string" ? (method.toUpperCase() as Method) : undefined;
  if (!upper || !(upper in METHODS)) throw new InputError(`method must be one of ${Object.keys(METHODS).join(", ")}`);
  const { id, template, segments } = routeOf(path);
  const params = { path: { name_or_identity: database, ...(segments.length ? { path: segments } : {}) } };
  // One call site for 18 operations: the path template is chosen at run time, so it is typed loosely here.
  const send = (api: Api, init: SendInit) => (api.request as (m: string, p: string, i: object) => ReturnType<Api["GET"]>)(upper, template, Object.assign(init, { params, body }));
  const operation = `${id}${METHODS[upper]}` as const;
  return request(ctx, operation, options, send, { operation: servedOperations[operation], bodyAs: bodyKindOf(body), responseAs, perCallTokenOnly: true });
}
