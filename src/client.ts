/**
 * createClient: one method per spec operation, named by its operationId, each sending its operation
 * through openapi-fetch typed by the spec (path, params and body are checked against it) and
 * resolving to a Result; src/core/call.ts does the rest. Doc comments come from the spec
 * (src/generated/methods.ts); the conveniences beside the operations are documented here.
 */
import createOpenApiClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";
import { schemaRules, type OperationId } from "./generated/operations.js";
import type { OperationMethods } from "./generated/methods.js";
import { InputError, assertValue, call, messageOf, redact, optionsObject, readClientOptions, refused, type BinaryBody, type CallOptions, type CallPlan, type ClientConfig, type ClientOptions, type DirectTransport, type Api, type Query, type Result, type Send, type Transport } from "./core/index.js";
import type { Middleware, RawClient } from "./core/raw.js";
import type { CallReducerWithOptions, Row, SatsCalls } from "./conveniences/sats-calls.js";
import type { SubscribeUrlOptions } from "./conveniences/subscribe.js";
import type { MigrationOptions, MigrationOutcome } from "./conveniences/migrate.js";
import type { FollowLogsOptions, LogStream } from "./conveniences/logs.js";
import type { RouteOptions } from "./conveniences/route.js";

type Schemas = components["schemas"];

/** Where the server runs the module: `Wasm` (default) or `Js`, as the spec names them. */
export type HostType = NonNullable<Query<"publishDatabase">["host_type"]>;

export interface PublishNewOptions extends CallOptions {
  hostType?: HostType;
  /**
   * Environment values to store with the module (servers 2.9+), sent in the
   * `spacetime-environment` header. Keys, sizes and counts are checked before sending; values never
   * appear in an error.
   */
  environment?: Record<string, string>;
  /** Stored environment keys to delete, or `"*"` to replace the whole environment with `environment`. */
  removeEnvironment?: readonly string[] | "*";
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
  policy?: Query<"publishDatabase">["policy"];
  /** The `token` hash from a prePublish `AutoMigrate` result. */
  migrationToken?: string;
  /** How long an update waits for confirmation, e.g. `"30s"` (server default 5s, capped at 5 min). */
  updateConfirmationTimeout?: string;
}

export interface PrePublishOptions extends CallOptions {
  /** `AnsiColor` (default) or `NoColor` for the migration plan's text. */
  style?: Query<"prePublish">["style"];
  hostType?: HostType;
}

export interface ResetOptions extends CallOptions {
  numReplicas?: number;
  hostType?: HostType;
}

export interface SqlOptions extends CallOptions {
  /** Wait until the answer is durable (`confirmed=true`). */
  confirmed?: boolean;
}

export interface LogsOptions extends CallOptions {
  /** Only the last this many lines. */
  numLines?: number;
}

export interface EnvironmentOptions extends CallOptions {
  /** The `module_hash` from getDatabaseEnvironment: the change applies only if the module is still that one (else 409). */
  expectedModuleHash?: string;
}

export interface UpdateEnvironmentOptions extends EnvironmentOptions {
  /** Stored keys to delete (not `"*"`: to replace everything, use setDatabaseEnvironment). */
  remove?: readonly string[];
}

export interface SchemaOptions extends CallOptions {
  /** 9 or 10; by default 10, falling back to 9 on a 4xx as the CLI does. */
  version?: Query<"schema">["version"];
}

/** Each operation method's parameters; the generator adds each one's docs and result type. */
export interface OperationArgs {
  ping: [options?: CallOptions];
  health: [options?: CallOptions];
  mcp: [message: Schemas["McpRequest"], options?: CallOptions];
  createIdentity: [options?: CallOptions];
  getPublicKey: [options?: CallOptions];
  getWebsocketToken: [options?: CallOptions];
  verifyIdentity: [identity: string, options?: CallOptions];
  getDatabases: [identity: string, options?: CallOptions];
  publishNewDatabase: [module: BinaryBody, options?: PublishNewOptions];
  publishDatabase: [nameOrIdentity: string, module: BinaryBody, options?: PublishOptions];
  getDatabase: [nameOrIdentity: string, options?: CallOptions];
  deleteDatabase: [nameOrIdentity: string, options?: CallOptions];
  getDatabaseNames: [nameOrIdentity: string, options?: CallOptions];
  addDatabaseName: [nameOrIdentity: string, newName: string, options?: CallOptions];
  setDatabaseNames: [nameOrIdentity: string, names: readonly string[], options?: CallOptions];
  getDatabaseIdentity: [nameOrIdentity: string, options?: CallOptions];
  prePublish: [nameOrIdentity: string, module: BinaryBody, options?: PrePublishOptions];
  resetDatabase: [nameOrIdentity: string, module?: BinaryBody, options?: ResetOptions];
  lockDatabase: [nameOrIdentity: string, options?: CallOptions];
  unlockDatabase: [nameOrIdentity: string, options?: CallOptions];
  callReducer: [database: string, reducer: string, args?: readonly unknown[] | Record<string, unknown>, options?: CallOptions];
  sql: [database: string, query: string, options?: SqlOptions];
  schema: [database: string, options?: SchemaOptions];
  logs: [database: string, options?: LogsOptions];
  getTimestamp: [database: string, options?: CallOptions];
  databaseMcp: [database: string, message: Schemas["McpRequest"], options?: CallOptions];
  getEnergyBalance: [identity: string, options?: CallOptions];
  setEnergyBalance: [identity: string, balance: bigint | string, options?: CallOptions];
  addEnergy: [identity: string, amount?: bigint | string, options?: CallOptions];
  getDatabaseEnvironment: [nameOrIdentity: string, options?: CallOptions];
  setDatabaseEnvironment: [nameOrIdentity: string, values: Record<string, string>, options?: EnvironmentOptions];
  updateDatabaseEnvironment: [nameOrIdentity: string, values: Record<string, string>, options?: UpdateEnvironmentOptions];
}

/** A successful publish: the database's identity, its name, and what happened. */
export type PublishSuccess = Extract<Schemas["PublishResult"], { Success: unknown }>;

/** The client's members beside the spec's operations (`CONVENIENCES`). */
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
   * value is decoded against its type.
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

export interface SpacetimeClient extends OperationMethods, Conveniences {}

/**
 * The client's members that are not one spec operation each: `route` serves the user-route
 * operations, `subscribeUrl` stands in for the WebSocket `subscribe`, the rest are conveniences.
 * The coverage test fails on any member that is neither an operationId nor listed here.
 */
export const CONVENIENCES = ["route", "followLogs", "sqlRows", "callReducerWith", "subscribeUrl", "publishWithMigration", "raw", "use"] as const satisfies readonly (keyof Conveniences)[];

const db = (nameOrIdentity: string) => ({ name_or_identity: nameOrIdentity });

/** Sends operation `id`; the method's declared result type (generated from the same spec) stands for the call's. */
export type Run = <R = never>(id: OperationId, o: CallOptions | undefined, send: Send, plan?: CallPlan) => Promise<R>;

/** A token the caller asked for is data (copies keep it); inspectors and JSON of the whole result show `[redacted]`. */
const secretToken: CallPlan = { secretFields: ["token"] };

/** A publish's 200 is always `Success` (PermissionDenied comes with a 401): anything else does not fit. */
const successOnly = (as: string): CallPlan => ({
  decode: {
    as,
    run: (body) => {
      if (typeof body !== "object" || body === null || !("Success" in body)) throw new Error("a publish answered 200 without a Success");
      return body;
    },
  },
});

export function createClient(options?: ClientOptions): SpacetimeClient {
  return buildClient(options);
}

/**
 * How the Node build (src/index.node.ts) puts its transport under a new client: given the client's
 * configuration and its openapi-fetch client, it returns the configuration to use and the direct
 * transport, or nothing (an injected `fetch` is used as given).
 */
export type NodeSetup = (config: ClientConfig, api: Api, fetchInjected: boolean) => { config: ClientConfig; direct: DirectTransport } | undefined;

/** createClient, with the Node build's transport when one is given. */
export function buildClient(options: ClientOptions | undefined, node?: NodeSetup): SpacetimeClient {
  let config = readClientOptions(options);
  const api = createOpenApiClient<paths>({ baseUrl: config.baseUrl, fetch: (request) => config.fetch(request) });
  const wired = node?.(config, api, options?.fetch !== undefined);
  if (wired) config = wired.config;
  const direct = wired?.direct;
  const t: Transport = { config, api, direct };
  // The method's declared result type (generated from the same spec) stands for the call's.
  const run: Run = (id, o, send, plan) => call(t, id, o, send, plan) as never;

  // The SATS conveniences (and their per-database schema cache) load on first use.
  let sats: Promise<SatsCalls> | undefined;
  const satsCalls = () => (sats ??= import("./conveniences/sats-calls.js").then((m) => m.satsCalls(t, (database, o) => client.schema(database, o))));

  /** A publish's query and headers, checked (loaded with the first publish: the SDK's publish-only code lives there). */
  const publishParams = async (o: PublishOptions | undefined) => (await import("./publish-params.js")).publishParams(optionsObject(o));

  const client: SpacetimeClient = {
    // --- server
    ping: (o) => run("ping", o, (api, init) => api.GET("/v1/ping", init)),
    health: (o) => run("health", o, (api, init) => api.GET("/v1/health", init)),
    mcp: (message, o) => run("mcp", o, (api, init) => api.POST("/v1/mcp", { ...init, body: message })),

    // --- identity
    createIdentity: (o) => run("createIdentity", o, (api, init) => api.POST("/v1/identity", init), secretToken),
    getPublicKey: (o) => run("getPublicKey", o, (api, init) => api.GET("/v1/identity/public-key", init)),
    getWebsocketToken: (o) => run("getWebsocketToken", o, (api, init) => api.POST("/v1/identity/websocket-token", init), secretToken),
    verifyIdentity: async (identity, o) => {
      const result = await run<Result<undefined, string>>("verifyIdentity", o, (api, init) =>
        api.GET("/v1/identity/{identity}/verify", { ...init, params: { path: { identity } } }),
      );
      if (result.ok) return { ok: true, data: true, meta: result.meta };
      const { error, meta } = result;
      // An empty 400: the token is valid but belongs to another identity.
      if (error.kind === "http" && error.status === 400 && error.body === undefined && meta) return { ok: true, data: false, meta };
      return result;
    },
    getDatabases: (identity, o) => run("getDatabases", o, (api, init) => api.GET("/v1/identity/{identity}/databases", { ...init, params: { path: { identity } } })),

    // --- database lifecycle
    publishNewDatabase: async (module, o) => {
      const { query, header, values, hiding } = await publishParams(o);
      const sent = run<Result<PublishSuccess, string>>("publishNewDatabase", o, (api, init) => api.POST("/v1/database", { ...init, params: { query, header }, body: module as Blob }), successOnly("publishNewDatabase"));
      return hiding ? hiding(sent, values) : sent;
    },
    publishDatabase: async (nameOrIdentity, module, o) => {
      const { query, header, values, hiding } = await publishParams(o);
      const sent = run<Result<PublishSuccess, string>>("publishDatabase", o, (api, init) =>
        api.PUT("/v1/database/{name_or_identity}", { ...init, params: { path: db(nameOrIdentity), query, header }, body: module as Blob }), successOnly("publishDatabase"),
      );
      return hiding ? hiding(sent, values) : sent;
    },
    getDatabase: (n, o) => run("getDatabase", o, (api, init) => api.GET("/v1/database/{name_or_identity}", { ...init, params: { path: db(n) } })),
    deleteDatabase: (n, o) => run("deleteDatabase", o, (api, init) => api.DELETE("/v1/database/{name_or_identity}", { ...init, params: { path: db(n) } })),
    getDatabaseNames: (n, o) => run("getDatabaseNames", o, (api, init) => api.GET("/v1/database/{name_or_identity}/names", { ...init, params: { path: db(n) } })),
    addDatabaseName: (n, newName, o) => {
      assertValue("the new name", newName, schemaRules.DatabaseName);
      return run("addDatabaseName", o, (api, init) => api.POST("/v1/database/{name_or_identity}/names", { ...init, params: { path: db(n) }, body: newName }));
    },
    setDatabaseNames: (n, names, o) => {
      if (!Array.isArray(names)) throw new InputError("names must be an array of database names");
      names.forEach((name, i) => assertValue(`names[${i}]`, name, schemaRules.DatabaseName));
      return run("setDatabaseNames", o, (api, init) => api.PUT("/v1/database/{name_or_identity}/names", { ...init, params: { path: db(n) }, body: [...names] }));
    },
    getDatabaseIdentity: (n, o) => run("getDatabaseIdentity", o, (api, init) => api.GET("/v1/database/{name_or_identity}/identity", { ...init, params: { path: db(n) } })),
    prePublish: (n, module, o) => {
      const { style, hostType } = optionsObject(o);
      return run("prePublish", o, (api, init) =>
        api.POST("/v1/database/{name_or_identity}/pre_publish", { ...init, params: { path: db(n), query: { style, host_type: hostType } satisfies Query<"prePublish"> }, body: module as Blob }),
      );
    },
    resetDatabase: (n, module, o) => {
      const { numReplicas, hostType } = optionsObject(o);
      const query = { num_replicas: numReplicas, host_type: hostType } satisfies Query<"resetDatabase">;
      return run("resetDatabase", o, (api, init) => api.PUT("/v1/database/{name_or_identity}/reset", { ...init, params: { path: db(n), query }, body: module as Blob }), {
        withBody: module !== undefined,
      });
    },
    lockDatabase: (n, o) => run("lockDatabase", o, (api, init) => api.POST("/v1/database/{name_or_identity}/lock", { ...init, params: { path: db(n) } })),
    unlockDatabase: (n, o) => run("unlockDatabase", o, (api, init) => api.POST("/v1/database/{name_or_identity}/unlock", { ...init, params: { path: db(n) } })),

    // --- database runtime
    callReducer: (database, reducer, args = [], o) => {
      if (typeof args !== "object" || args === null || (!Array.isArray(args) && Object.getPrototypeOf(args) !== Object.prototype)) {
        throw new InputError("args must be an array or a plain object");
      }
      return run("callReducer", o, (api, init) =>
        api.POST("/v1/database/{name_or_identity}/call/{reducer}", { ...init, params: { path: { ...db(database), reducer } }, body: args as unknown[] }),
      );
    },
    sql: (database, query, o) => {
      const { confirmed } = optionsObject(o);
      return run("sql", o, (api, init) => api.POST("/v1/database/{name_or_identity}/sql", { ...init, params: { path: db(database), query: { confirmed } satisfies Query<"sql"> }, body: query }));
    },
    schema: async (database, o) => {
      const { version } = optionsObject(o);
      const ask = (v: 9 | 10) =>
        run<Result<Schemas["RawModuleDefV9"] | Schemas["RawModuleDefV10"], string>>("schema", o, (api, init) => api.GET("/v1/database/{name_or_identity}/schema", { ...init, params: { path: db(database), query: { version: v } satisfies Query<"schema"> } }));
      if (version !== undefined) return ask(version);
      const v10 = await ask(10);
      const status = v10.ok ? 0 : (v10.error.status ?? 0);
      return status >= 400 && status < 500 ? ask(9) : v10;
    },
    logs: (database, o) => {
      const { numLines } = optionsObject(o);
      return run("logs", o, (api, init) =>
        api.GET("/v1/database/{name_or_identity}/logs", { ...init, params: { path: db(database), query: { num_lines: numLines, follow: false } satisfies Query<"logs"> } }),
      );
    },
    getTimestamp: (database, o) => run("getTimestamp", o, (api, init) => api.GET("/v1/database/{name_or_identity}/unstable/timestamp", { ...init, params: { path: db(database) } })),
    databaseMcp: (database, message, o) => run("databaseMcp", o, (api, init) => api.POST("/v1/database/{name_or_identity}/mcp", { ...init, params: { path: db(database) }, body: message })),

    // --- energy
    getEnergyBalance: (identity, o) => run("getEnergyBalance", o, (api, init) => api.GET("/v1/energy/{identity}", { ...init, params: { path: { identity } } })),
    setEnergyBalance: (identity, balance, o) => {
      const query = { balance: String(balance) } satisfies Query<"setEnergyBalance">;
      return run("setEnergyBalance", o, (api, init) => api.PUT("/v1/energy/{identity}", { ...init, params: { path: { identity }, query } }));
    },
    addEnergy: (identity, amount, o) => {
      const query = { amount: amount === undefined ? undefined : String(amount) } satisfies Query<"addEnergy">;
      return run("addEnergy", o, (api, init) => api.POST("/v1/energy/{identity}", { ...init, params: { path: { identity }, query } }));
    },

    // --- environment (servers 2.9+)
    getDatabaseEnvironment: (n, o) => run("getDatabaseEnvironment", o, (api, init) => api.GET("/v1/database/{name_or_identity}/environment", { ...init, params: { path: db(n) } })),
    setDatabaseEnvironment: async (n, values, o) => (await import("./environment.js")).setEnvironment(run, n, values, o),
    updateDatabaseEnvironment: async (n, values, o) => (await import("./environment.js")).updateEnvironment(run, n, values, o),

    // --- conveniences
    route: async (database, path, o) => (await import("./conveniences/route.js")).route(t, database, path, o),
    followLogs: async (database, o) => (await import("./conveniences/logs.js")).followLogs(t, database, o),
    sqlRows: async (database, query, o) => (await satsCalls()).sqlRows(database, query, o),
    callReducerWith: async (database, name, args, o) => (await satsCalls()).callReducerWith(database, name, args, o),
    subscribeUrl: async (database, o) => (await import("./conveniences/subscribe.js")).subscribeUrl(t, client, database, o),
    publishWithMigration: async (n, module, o) => (await import("./conveniences/migrate.js")).publishWithMigration(client, n, module, o),
    raw: lazyRaw(t),
    use: (...middleware) => {
      const hooks = ["onRequest", "onResponse", "onError"];
      const bad = middleware.findIndex((m) => typeof m !== "object" || m === null || !hooks.some((h) => typeof (m as Record<string, unknown>)[h] === "function"));
      if (bad >= 0) throw new TypeError(`use: middleware ${bad} has none of ${hooks.join(", ")}`);
      api.use(...middleware);
    },
  };
  return guardAll(client, config);
}

/** `raw`, whose wrapper loads with its first call (every openapi-fetch method returns a promise anyway). */
function lazyRaw(t: Transport): RawClient {
  let loaded: Promise<RawClient> | undefined;
  const raw = () => (loaded ??= import("./core/raw.js").then((m) => m.createRawClient(t)));
  const methods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "request"] as const;
  const lazy = Object.fromEntries(methods.map((m) => [m, async (...args: unknown[]) => ((await raw())[m] as (...a: unknown[]) => unknown)(...args)]));
  return { ...lazy, use: t.api.use, eject: t.api.eject } as unknown as RawClient;
}

/**
 * The one guard: every method keeps the SDK's promise whatever it is given. A throw or rejection
 * (an InputError from a check, or a bad argument's own TypeError) becomes an `invalid-input` result.
 * `use` is configuration and `raw` is openapi-fetch's own: both are left as they are.
 */
function guardAll(members: SpacetimeClient, config: ClientConfig): SpacetimeClient {
  const guarded: Record<string, unknown> = { ...members };
  // What an argument's getter or toJSON throws is foreign text: redacted with the client's token.
  const known = typeof config.token === "string" ? [config.token] : [];
  for (const [name, member] of Object.entries(members)) {
    if (typeof member !== "function" || name === "use") continue;
    const refuse = (e: unknown) => refused(name, e instanceof InputError ? e.said(known) : `invalid arguments (${redact(messageOf(e), known)})`);
    guarded[name] = (...args: unknown[]) => {
      try {
        return (member as (...a: unknown[]) => Promise<unknown>)(...args).catch(refuse);
      } catch (e) {
        return Promise.resolve(refuse(e));
      }
    };
  }
  return guarded as unknown as SpacetimeClient;
}
