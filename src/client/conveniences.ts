/**
 * The client's members beside the spec's operations: `route` serves the module-route operations,
 * `subscribeUrl` stands in for the WebSocket `subscribe`, the rest are conveniences over operations.
 * Each but `use` loads its module with its first call. `CONVENIENCES` (internal) lists them; the spec-driven
 * contract test fails on any public member that is neither an operationId nor listed here.
 */
import { onFirstCall, type ClientContext } from "../core/context.js";
import type { Result } from "../core/result.js";
import type { Middleware, RawClient, RawInit } from "../core/raw.js";
import type { CallReducerWithOptions, Row } from "../conveniences/sats-calls.js";
import type { SubscribeUrlOptions } from "../conveniences/subscribe.js";
import type { MigrationOptions, MigrationOutcome } from "../conveniences/migrate.js";
import type { FollowLogsOptions, LogStream } from "../conveniences/logs.js";
import type { RouteOptions } from "../conveniences/route.js";
import type { SqlOptions } from "../generated/method-types.js";

export interface Conveniences {
  /**
   * Calls one of the module's own HTTP handlers at `path` (`""` and `"/"` are distinct routes;
   * deeper paths are encoded segment by segment). These routes read no SpacetimeDB credentials, so
   * only a per-call `token` is sent. `data` is the body as text (or as `responseAs` says).
   */
  route(database: string, path: string, options?: RouteOptions): Promise<Result<unknown>>;
  /**
   * Follows the module's logs live (`follow=true`): opening returns a Result; the records arrive
   * as an async iterable that ends when the server ends the stream, on `close()`, `break` or abort.
   */
  followLogs(database: string, options?: FollowLogsOptions): Promise<Result<LogStream, string>>;
  /**
   * Runs one SQL statement and decodes its rows exactly by the schema the server sends with them:
   * objects keyed by column name, 64-bit and wider integers as bigint. One array per statement result.
   */
  sqlRows(database: string, query: string, options?: SqlOptions): Promise<Result<Row[][], string>>;
  /**
   * Calls a reducer or procedure with arguments by name, checked and encoded against the module's
   * schema (fetched once per database and cached, or given as `moduleDef`); a procedure's return
   * value is decoded against its type. One deadline covers the schema and the call.
   */
  callReducerWith(database: string, name: string, args: Record<string, unknown>, options?: CallReducerWithOptions): Promise<Result<unknown, string>>;
  /**
   * A ready WebSocket URL and subprotocols for `new WebSocket(url, protocols)` (the `subscribe`
   * operation). With a token it first mints a short-lived one, so the long-lived token is never in a URL.
   */
  subscribeUrl(database: string, options?: SubscribeUrlOptions): Promise<Result<{ url: string; protocols: string[] }>>;
  /** Publishes as `spacetime publish` does: pre_publish first, then publish with the migration it allows. */
  publishWithMigration(nameOrIdentity: string, module: Uint8Array | ArrayBuffer | Blob, options?: MigrationOptions): Promise<Result<MigrationOutcome>>;
  /** The typed openapi-fetch client underneath, with this client's base URL, headers, token and timeout. */
  raw: RawClient;
  /** Adds openapi-fetch middleware to every call of this client (and of `raw`). Throws a TypeError for anything that is not middleware. */
  use(...middleware: Middleware[]): void;
}

export const CONVENIENCES = ["route", "followLogs", "sqlRows", "callReducerWith", "subscribeUrl", "publishWithMigration", "raw", "use"] as const satisfies readonly (keyof Conveniences)[];

const RAW_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

/**
 * `raw`: openapi-fetch's own methods (`GET`, `POST`, …, `request`), each call given the client's
 * credentials, which load with the first; `use` and `eject` are openapi-fetch's. A plain object with
 * exactly these members: a catch-all would make `raw` a thenable and send a request for `toJSON`.
 */
function rawClient(ctx: ClientContext): RawClient {
  const credentials = async (init?: RawInit) => (await import("../core/raw.js")).withCredentials(ctx, init);
  const send = ctx.api.request as unknown as (method: string, path: string, init: RawInit) => Promise<unknown>;
  const request = async (method: string, path: string, init?: RawInit) => send(method, path, await credentials(init));
  const methods = Object.fromEntries(RAW_METHODS.map((method) => [method, (path: string, init?: RawInit) => request(method, path, init)]));
  return { ...methods, request, use: ctx.api.use, eject: ctx.api.eject } as unknown as RawClient;
}

export function conveniences(ctx: ClientContext): Conveniences {
  // The SATS conveniences (and their per-database schema cache) load on first use.
  let sats: Promise<import("../conveniences/sats-calls.js").SatsCalls> | undefined;
  const satsCalls = () => (sats ??= import("../conveniences/sats-calls.js").then((m) => m.satsCalls(ctx)));
  return {
    route: onFirstCall(ctx, () => import("../conveniences/route.js").then((m) => m.route)),
    followLogs: onFirstCall(ctx, () => import("../conveniences/logs.js").then((m) => m.followLogs)),
    sqlRows: async (database, query, o) => (await satsCalls()).sqlRows(database, query, o),
    callReducerWith: async (database, name, args, o) => (await satsCalls()).callReducerWith(database, name, args, o),
    subscribeUrl: onFirstCall(ctx, () => import("../conveniences/subscribe.js").then((m) => m.subscribeUrl)),
    publishWithMigration: onFirstCall(ctx, () => import("../conveniences/migrate.js").then((m) => m.publishWithMigration)),
    raw: rawClient(ctx),
    use: (...middleware) => {
      const hooks = ["onRequest", "onResponse", "onError"];
      const bad = middleware.findIndex((m) => typeof m !== "object" || m === null || !hooks.some((h) => typeof (m as Record<string, unknown>)[h] === "function"));
      if (bad >= 0) throw new TypeError(`use: middleware ${bad} has none of ${hooks.join(", ")}`);
      // Middleware sees real Request and Response objects: once any is registered, the light ones stop.
      ctx.middleware = true;
      ctx.api.use(...middleware);
    },
  };
}
