/** spacetimedb-http: the public entry. Runs in Node 20+ and browsers (no `node:` imports). */
export { createClient, normalizeBaseUrl, DEFAULT_BASE_URL, CONVENIENCES } from "./client.js";
export type {
  ClientOptions,
  SpacetimeClient,
  PublishOptions,
  PublishNewOptions,
  HostType,
} from "./client.js";
export type { Row, CallReducerWithOptions } from "./typed.js";
export type { RecordStream } from "./stream.js";
export type { RouteOptions } from "./route.js";
export type { FollowLogsOptions, LogLine, LogStream } from "./logs.js";
export type { SubscribeUrlOptions } from "./subscribe.js";
export type { MigrationOptions, MigrationOutcome } from "./migrate.js";
export type { RawClient, Middleware } from "./raw.js";
export type { CallOptions, TokenSource, FetchLike } from "./transport.js";
export { SpacetimeHttpError, ERROR_KINDS } from "./errors.js";
export type { SpacetimeError, ErrorKind } from "./errors.js";
export { unwrap } from "./result.js";
export type { Result, Ok, Err, Meta } from "./result.js";
export type { BinaryBody } from "./body.js";
export type { DataOf, ErrorBodyOf, OperationName } from "./types.js";
export type * from "./generated/schema.js";
export { bindModule, type BindableClient, type BindingSpec, type BoundTable, type SelectOptions, type Timestamp, type Identity, type ConnectionId, type Uuid, type TimeDuration, type TaggedSum, type Some } from "./bindings.js";
