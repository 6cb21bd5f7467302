/** route(): the module's own HTTP handlers, `…/route`, `…/route/` and `…/route/{path}`, any method. */
import type { BodyKind } from "./operation.js";
import type { Result } from "./result.js";
import { failure, pickCallOptions, send, type CallOptions, type RequestParts, type TransportConfig } from "./transport.js";

export interface RouteOptions extends CallOptions {
  /** GET (default), POST, PUT, PATCH, DELETE or HEAD. */
  method?: string;
  /** A string (sent as text), bytes, or any other JSON value (sent as JSON). */
  body?: unknown;
  /** How to read a success body: `"text"` (default), `"json"` or `"binary"` (a Uint8Array). */
  responseAs?: "text" | "json" | "binary";
}

const METHODS: Partial<Record<string, "Get" | "Post" | "Put" | "Patch" | "Delete" | "Head">> = { GET: "Get", POST: "Post", PUT: "Put", PATCH: "Patch", DELETE: "Delete", HEAD: "Head" };

function bodyKindOf(body: unknown): { kind: BodyKind; type: string } | undefined {
  if (body === undefined) return undefined;
  if (typeof body === "string") return { kind: "text", type: "text/plain; charset=utf-8" };
  const bytes = body instanceof Uint8Array || body instanceof ArrayBuffer || (typeof Blob !== "undefined" && body instanceof Blob) ||
    (typeof ReadableStream !== "undefined" && body instanceof ReadableStream);
  return bytes ? { kind: "binary", type: "application/octet-stream" } : { kind: "json", type: "application/json" };
}

/**
 * Calls the module's handler at `path` (`""` and `"/"` are distinct routes; deeper paths are
 * encoded segment by segment). These routes read no SpacetimeDB credentials, so only a per-call
 * `token` is sent.
 */
export function route(config: TransportConfig, database: string, path: string, o: RouteOptions = {}): Promise<Result<unknown>> {
  const method = (o.method ?? "GET").toUpperCase();
  const suffix = METHODS[method];
  if (!suffix) return Promise.resolve(failure("route", "invalid-input", `method must be one of ${Object.keys(METHODS).join(", ")}; no request was sent`));
  const relative = path.startsWith("/") ? path.slice(1) : path;
  const id = `${path === "" ? "httpRouteRoot" : relative === "" ? "httpRouteRootSlash" : "httpRoute"}${suffix}` as const;
  const parts: RequestParts = {
    path: { name_or_identity: database, path: relative.split("/") },
    body: o.body,
    bodyAs: bodyKindOf(o.body),
    responseAs: o.responseAs ?? "text",
    perCallTokenOnly: true,
  };
  return send(config, id, parts, pickCallOptions(o));
}
