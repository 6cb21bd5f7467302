/** spacetimedb-http: the universal entry. Runs in Node 20+, browsers, Deno, Bun and workerd (no `node:` imports). */
import { createClientWith, type SpacetimeClient } from "./client/create-client.js";
import type { ClientOptions } from "./core/options.js";

/** A client of a SpacetimeDB server (see the README): one method per spec operation, and conveniences. */
export function createClient(options?: ClientOptions): SpacetimeClient {
  return createClientWith(options);
}

export type { SpacetimeClient } from "./client/create-client.js";
export type { Conveniences } from "./client/conveniences.js";
export type * from "./generated/method-types.js";
export type { HostType, PublishSuccess, PublishEnvironmentOptions, EnvironmentRemoveOptions } from "./methods/options.js";
export { DEFAULT_BASE_URL } from "./core/options.js";
export type { ClientOptions, CallOptions, TokenSource, FetchLike } from "./core/options.js";
export type { Row, CallReducerWithOptions } from "./conveniences/sats-calls.js";
export type { RecordStream } from "./conveniences/ndjson.js";
export type { RouteOptions } from "./conveniences/route.js";
export type { FollowLogsOptions, LogLine, LogStream } from "./conveniences/logs.js";
export type { SubscribeUrlOptions } from "./conveniences/subscribe.js";
export type { MigrationOptions, MigrationOutcome } from "./conveniences/migrate.js";
export type { RawClient, Middleware } from "./core/raw.js";
export { SpacetimeHttpError, ERROR_KINDS } from "./core/errors.js";
export type { SpacetimeError, ErrorKind } from "./core/errors.js";
export { unwrap } from "./core/result.js";
export type { Result, Ok, Err, Meta } from "./core/result.js";
export { toJson, normalizeIdentity } from "./client/helpers.js";
export type { BinaryBody } from "./core/serialize.js";
export type * from "./generated/schema.js";
export { bindModule, type BindableClient, type BindingSpec, type BoundTable, type SelectOptions, type Identity, type ConnectionId, type Uuid, type TimeDuration, type TaggedSum, type Some } from "./bindings/bind-module.js";
export { Timestamp } from "./sats/timestamp.js";
