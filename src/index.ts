/** spacetimedb-http: the public entry. Runs in Node 20+ and browsers (no `node:` imports). */
export { createClient, CONVENIENCES } from "./client.js";
export type {
  SpacetimeClient,
  Conveniences,
  OperationArgs,
  PublishOptions,
  PublishNewOptions,
  PublishSuccess,
  PrePublishOptions,
  ResetOptions,
  SqlOptions,
  LogsOptions,
  SchemaOptions,
  EnvironmentOptions,
  UpdateEnvironmentOptions,
  HostType,
} from "./client.js";
export type { OperationMethods } from "./generated/methods.js";
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
export { toJson, normalizeIdentity } from "./helpers.js";
export type { Result, Ok, Err, Meta } from "./core/result.js";
export type { BinaryBody } from "./core/serialize.js";
export type * from "./generated/schema.js";
export { bindModule, type BindableClient, type BindingSpec, type BoundTable, type SelectOptions, type Identity, type ConnectionId, type Uuid, type TimeDuration, type TaggedSum, type Some } from "./bindings.js";
export { Timestamp } from "./sats/types.js";
