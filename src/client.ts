/**
 * createClient: one method per spec operation, named by its operationId, each resolving to a Result.
 * The methods only map arguments to path, query and body; src/transport.ts does the rest.
 */
import type { OperationId } from "./generated/operations.js";
import type { components } from "./generated/schema.js";
import type { DataOf, ErrorBodyOf } from "./types.js";
import type { Result } from "./result.js";
import type { BinaryBody } from "./body.js";
import { createRawClient, type Middleware } from "./raw.js";
import type { CallReducerWithOptions, Row, TypedCalls } from "./typed.js";
import type { SubscribeUrlOptions } from "./subscribe.js";
import type { MigrationOptions } from "./migrate.js";
import type { FollowLogsOptions } from "./logs.js";
import type { RouteOptions } from "./route.js";
import { schemaRules } from "./generated/operations.js";
import { checkValue } from "./validate.js";
import { failure, pickCallOptions, send, type CallOptions, type FetchLike, type RequestParts, type TokenSource, type TransportConfig } from "./transport.js";

type Schemas = components["schemas"];

export interface ClientOptions {
  /** Server URL, e.g. `"http://127.0.0.1:3000"` (the default) or a bare `"host:port"` (means http). */
  baseUrl?: string;
  /** A token, or a function returning one (sync or async), read on every request. */
  token?: TokenSource;
  /** Injected fetch; defaults to the global one. */
  fetch?: FetchLike;
  /** Default 30 000 ms; 0 means none. Publish, pre_publish, reset and log streams have none. */
  timeoutMs?: number;
  /** Automatic retries of GET and HEAD on 408, 429, 502, 503, 504 and network errors. Default 2. */
  retries?: number;
  /** First backoff delay, doubled each retry (with jitter); default 500 ms. */
  retryDelayMs?: number;
  /** Headers sent on every request. */
  headers?: Record<string, string>;
}

/**
 * The client's members that are not one spec operation each: `route` serves the user-route
 * operations, `subscribeUrl` stands in for the WebSocket `subscribe`, the rest are conveniences.
 * The coverage test fails on any member that is neither an operationId nor listed here.
 */
export const CONVENIENCES = ["route", "followLogs", "sqlRows", "callReducerWith", "subscribeUrl", "publishWithMigration", "raw", "use"] as const;

export const DEFAULT_BASE_URL = "http://127.0.0.1:3000";

export function normalizeBaseUrl(baseUrl: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `http://${baseUrl}`;
  return withScheme.replace(/\/+$/, "");
}

export type HostType = "Wasm" | "Js";

export interface PublishNewOptions extends CallOptions {
  hostType?: HostType;
  /** Replication factor, 1..255 (0 means unset). The standalone server always uses 1. */
  numReplicas?: number;
  /** Parent database (name or identity). */
  parent?: string;
  /** Organization (name or identity) that will own the database. */
  organization?: string;
}

export interface PublishOptions extends PublishNewOptions {
  /** Wipe the existing database's data (delegates to reset). Not allowed with `parent`. */
  clear?: boolean;
  /** `Compatible` (default) or `BreakClients`; the latter needs `migrationToken` from prePublish. */
  policy?: "Compatible" | "BreakClients";
  /** The `token` hash from a prePublish `AutoMigrate` result. */
  migrationToken?: string;
  /** How long an update waits for confirmation, e.g. `"30s"` (server default 5s, capped at 5 min). */
  updateConfirmationTimeout?: string;
}

function publishQuery(o: PublishOptions): Record<string, unknown> | string {
  if (o.policy === "BreakClients" && !o.migrationToken) return "policy BreakClients needs the migrationToken from prePublish";
  if (o.clear && o.parent !== undefined) return "clear cannot be combined with parent";
  return {
    clear: o.clear,
    num_replicas: o.numReplicas,
    host_type: o.hostType,
    parent: o.parent,
    organization: o.organization,
    token: o.migrationToken,
    policy: o.policy,
    update_confirmation_timeout: o.updateConfirmationTimeout,
  };
}

export function createClient(options: ClientOptions = {}) {
  const config: TransportConfig = {
    baseUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    token: options.token,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 2,
    retryDelayMs: options.retryDelayMs ?? 500,
    headers: { ...options.headers },
  };

  const raw = createRawClient(config);

  /** Sends operation K and types the result from the spec. */
  const call = <K extends OperationId>(id: K, parts: RequestParts, o?: CallOptions) =>
    send(config, id, parts, pickCallOptions(o)) as Promise<Result<DataOf<K>, ErrorBodyOf<K>>>;
  const db = (nameOrIdentity: string) => ({ name_or_identity: nameOrIdentity });
  /** An invalid-input result for operation K, typed as its call would be. */
  const refuse = <K extends OperationId>(id: K, reason: string) =>
    Promise.resolve(failure(id, "invalid-input", `${reason}; no request was sent`)) as Promise<Result<DataOf<K>, ErrorBodyOf<K>>>;

  // The SATS conveniences (and their per-database schema cache) are created on first use.
  let typed: Promise<TypedCalls> | undefined;
  const typedCalls = () =>
    (typed ??= import("./typed.js").then((m) => m.typedCalls(config, (database, o) => client.schema(database, o))));

  const publish = <K extends "publishDatabase" | "publishNewDatabase">(id: K, path: Record<string, unknown>, module: BinaryBody, o: PublishOptions = {}) => {
    const query = publishQuery(o);
    if (typeof query === "string") return refuse(id, query);
    return call(id, { path, query, body: module }, o);
  };

  const client = {
    // --- server
    ping: (o?: CallOptions) => call("ping", {}, o),
    health: (o?: CallOptions) => call("health", {}, o),
    mcp: (message: Schemas["McpRequest"], o?: CallOptions) => call("mcp", { body: message }, o),

    // --- identity
    createIdentity: (o?: CallOptions) => call("createIdentity", {}, o),
    getPublicKey: (o?: CallOptions) => call("getPublicKey", {}, o),
    getWebsocketToken: (o?: CallOptions) => call("getWebsocketToken", {}, o),
    /** `true` when the token belongs to `identity`, `false` when it belongs to another one. */
    verifyIdentity: async (identity: string, o?: CallOptions): Promise<Result<boolean, ErrorBodyOf<"verifyIdentity">>> => {
      const result = await call("verifyIdentity", { path: { identity } }, o);
      if (result.ok) return { ok: true, data: true, meta: result.meta };
      const { error, meta } = result;
      if (error.kind === "http" && error.status === 400 && error.body === undefined && meta) return { ok: true, data: false, meta };
      return result;
    },
    getDatabases: (identity: string, o?: CallOptions) => call("getDatabases", { path: { identity } }, o),

    // --- database lifecycle
    publishNewDatabase: (module: BinaryBody, o?: PublishNewOptions) => publish("publishNewDatabase", {}, module, o),
    publishDatabase: (nameOrIdentity: string, module: BinaryBody, o?: PublishOptions) =>
      publish("publishDatabase", db(nameOrIdentity), module, o),
    getDatabase: (nameOrIdentity: string, o?: CallOptions) => call("getDatabase", { path: db(nameOrIdentity) }, o),
    deleteDatabase: (nameOrIdentity: string, o?: CallOptions) => call("deleteDatabase", { path: db(nameOrIdentity) }, o),
    getDatabaseNames: (nameOrIdentity: string, o?: CallOptions) => call("getDatabaseNames", { path: db(nameOrIdentity) }, o),
    addDatabaseName: (nameOrIdentity: string, newName: string, o?: CallOptions) => {
      const invalid = checkValue("the new name", newName, schemaRules.DatabaseName);
      return invalid ? refuse("addDatabaseName", invalid) : call("addDatabaseName", { path: db(nameOrIdentity), body: newName }, o);
    },
    /** Replaces all of the database's names (`[]` removes them all). */
    setDatabaseNames: (nameOrIdentity: string, names: readonly string[], o?: CallOptions) => {
      if (!Array.isArray(names)) return refuse("setDatabaseNames", "names must be an array of database names");
      const invalid = names.map((n, i) => checkValue(`names[${i}]`, n, schemaRules.DatabaseName)).find(Boolean);
      return invalid ? refuse("setDatabaseNames", invalid) : call("setDatabaseNames", { path: db(nameOrIdentity), body: names }, o);
    },
    /** The database's identity as 64 hex digits. */
    getDatabaseIdentity: (nameOrIdentity: string, o?: CallOptions) => call("getDatabaseIdentity", { path: db(nameOrIdentity) }, o),
    prePublish: (nameOrIdentity: string, module: BinaryBody, o: CallOptions & { style?: "AnsiColor" | "NoColor"; hostType?: HostType } = {}) =>
      call("prePublish", { path: db(nameOrIdentity), query: { style: o.style, host_type: o.hostType }, body: module }, o),
    resetDatabase: (nameOrIdentity: string, module?: BinaryBody, o: CallOptions & { numReplicas?: number; hostType?: HostType } = {}) =>
      call("resetDatabase", { path: db(nameOrIdentity), query: { num_replicas: o.numReplicas, host_type: o.hostType }, body: module }, o),
    lockDatabase: (nameOrIdentity: string, o?: CallOptions) => call("lockDatabase", { path: db(nameOrIdentity) }, o),
    unlockDatabase: (nameOrIdentity: string, o?: CallOptions) => call("unlockDatabase", { path: db(nameOrIdentity) }, o),

    // --- database runtime
    /** Calls a reducer or procedure; `args` positional (array) or by parameter name (object). */
    callReducer: (database: string, reducer: string, args: readonly unknown[] | Record<string, unknown> = [], o?: CallOptions) => {
      if (typeof args !== "object" || args === null || (!Array.isArray(args) && Object.getPrototypeOf(args) !== Object.prototype)) {
        return refuse("callReducer", "args must be an array or a plain object");
      }
      return call("callReducer", { path: { ...db(database), reducer }, body: args }, o);
    },
    /** Runs one SQL statement; the server answers a one-element array of statement results. */
    sql: (database: string, query: string, o: CallOptions & { confirmed?: boolean } = {}) =>
      call("sql", { path: db(database), query: { confirmed: o.confirmed }, body: query }, o),
    /** One SQL statement's rows decoded exactly, keyed by column name; see typed.ts. */
    sqlRows: async (database: string, query: string, o?: CallOptions & { confirmed?: boolean }): Promise<Result<Row[][], ErrorBodyOf<"sql">>> =>
      (await typedCalls()).sqlRows(database, query, o),
    /** A reducer or procedure called with arguments by name, checked against the schema; see typed.ts. */
    callReducerWith: async (database: string, name: string, args: Record<string, unknown>, o?: CallReducerWithOptions) =>
      (await typedCalls()).callReducerWith(database, name, args, o),
    /** The module's schema: version 10 by default, falling back to 9 on a 4xx as the CLI does. */
    schema: async (database: string, o: CallOptions & { version?: 9 | 10 } = {}) => {
      const ask = (version: 9 | 10) => call("schema", { path: db(database), query: { version } }, o);
      if (o.version !== undefined) return ask(o.version);
      const v10 = await ask(10);
      const status = v10.ok ? 0 : (v10.error.status ?? 0);
      return status >= 400 && status < 500 ? ask(9) : v10;
    },
    /** The module's log records (one-shot; see followLogs for a live stream). */
    logs: (database: string, o: CallOptions & { numLines?: number } = {}) =>
      call("logs", { path: db(database), query: { num_lines: o.numLines, follow: false } }, o) as Promise<
        Result<Schemas["LogRecord"][], ErrorBodyOf<"logs">>
      >,
    /**
     * Follows the module's logs live (`follow=true`): opening returns a Result; the records arrive as
     * an async iterable that ends when the server ends the stream, on close(), break or abort. See logs.ts.
     */
    followLogs: async (database: string, o?: FollowLogsOptions) => (await import("./logs.js")).followLogs(config, database, o),
    getTimestamp: (database: string, o?: CallOptions) => call("getTimestamp", { path: db(database) }, o),
    databaseMcp: (database: string, message: Schemas["McpRequest"], o?: CallOptions) =>
      call("databaseMcp", { path: db(database), body: message }, o),

    /** A ready WebSocket URL and subprotocols for `new WebSocket(url, protocols)`; see subscribe.ts. */
    subscribeUrl: async (database: string, o?: SubscribeUrlOptions) => (await import("./subscribe.js")).subscribeUrl(config, client, database, o),
    /** Publishes as `spacetime publish` does (pre_publish first); see migrate.ts. */
    publishWithMigration: async (nameOrIdentity: string, module: Uint8Array | ArrayBuffer | Blob, o?: MigrationOptions) =>
      (await import("./migrate.js")).publishWithMigration(client, nameOrIdentity, module, o),

    // --- the module's own HTTP handlers
    /** Calls one of the module's HTTP handlers; see route.ts. */
    route: async (database: string, path: string, o?: RouteOptions) => (await import("./route.js")).route(config, database, path, o),
    /**
     * Calls one of the module's HTTP handlers at `path` (`""` and `"/"` are distinct routes). These
     * routes read no SpacetimeDB credentials, so only a per-call `token` is sent.
     */

    // --- energy
    getEnergyBalance: (identity: string, o?: CallOptions) => call("getEnergyBalance", { path: { identity } }, o),
    setEnergyBalance: (identity: string, balance: bigint | string, o?: CallOptions) =>
      call("setEnergyBalance", { path: { identity }, query: { balance: String(balance) } }, o),
    addEnergy: (identity: string, amount?: bigint | string, o?: CallOptions) =>
      call("addEnergy", { path: { identity }, query: { amount: amount === undefined ? undefined : String(amount) } }, o),

    // --- the escape hatch
    /** The typed openapi-fetch client underneath, with this client's base URL, token and timeout. */
    raw,
    /** Adds openapi-fetch middleware to `raw` (for query parameters or routes the spec lacks). */
    use: (...middleware: Middleware[]): Result<undefined> => {
      const hooks = ["onRequest", "onResponse", "onError"];
      const bad = middleware.findIndex((m) => typeof m !== "object" || m === null || !hooks.some((h) => typeof (m as Record<string, unknown>)[h] === "function"));
      if (bad >= 0) return failure("use", "invalid-input", `middleware ${bad} has none of ${hooks.join(", ")}`);
      raw.use(...middleware);
      return { ok: true, data: undefined, meta: { status: 0, headers: {} } };
    },
  };
  return guardAll(client);
}

/**
 * Makes every method keep the SDK's promise whatever it is given: a throw or rejection from bad
 * arguments (e.g. `null` options) becomes an `invalid-input` result instead.
 */
function guardAll<T extends Record<string, unknown>>(members: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    if (typeof member !== "function") {
      guarded[name] = member;
      continue;
    }
    const refused = (e: unknown) => failure(name, "invalid-input", `invalid arguments (${(e as Error)?.message ?? String(e)}); no request was sent`);
    guarded[name] = (...args: unknown[]) => {
      try {
        const result = (member as (...a: unknown[]) => unknown)(...args);
        return result instanceof Promise ? result.catch(refused) : result;
      } catch (e) {
        return name === "use" ? refused(e) : Promise.resolve(refused(e)); // `use` is the one synchronous member
      }
    };
  }
  return guarded as T;
}

export type SpacetimeClient = ReturnType<typeof createClient>;
