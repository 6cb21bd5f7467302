/**
 * One call per operation that is not safe to repeat (every method other than GET and HEAD), with
 * valid arguments, so that a fault test can count how many times each reaches the server.
 */
import type { CallOptions, McpRequest, Result, SpacetimeClient } from "../../src/index.js";
import { operations } from "../../src/generated/operations.js";
import { servedOperations } from "../../src/generated/served-operations.js";
import { WASM_HEADER as MODULE } from "../helpers/requests.js";

/** An operation's id, whether a method or a convenience serves it. */
type OperationId = string;

export const DB = "quickstart-chat";
export const IDENTITY = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";
const MCP = { jsonrpc: "2.0", id: 1, method: "tools/list" } as McpRequest;

export interface UnsafeCall {
  /** A label for test output; also the `x-case` header value. */
  name: string;
  /** The operation it sends first (the one the fault hits). */
  operation: OperationId;
  call: (client: SpacetimeClient, o: CallOptions) => Promise<Result<unknown, unknown>>;
}

const ROUTE_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;
const ROUTE_PATHS = [
  ["", "httpRouteRoot"],
  ["/", "httpRouteRootSlash"],
  ["/hello", "httpRoute"],
] as const;
const title = (m: string) => m[0] + m.slice(1).toLowerCase();

export const UNSAFE_CALLS: UnsafeCall[] = [
  { name: "createIdentity", operation: "createIdentity", call: (c, o) => c.createIdentity(o) },
  { name: "getWebsocketToken", operation: "getWebsocketToken", call: (c, o) => c.getWebsocketToken(o) },
  { name: "subscribeUrl", operation: "getWebsocketToken", call: (c, o) => c.subscribeUrl(DB, { ...o, token: "tok" }) },
  { name: "publishNewDatabase", operation: "publishNewDatabase", call: (c, o) => c.publishNewDatabase(MODULE, o) },
  { name: "publishDatabase", operation: "publishDatabase", call: (c, o) => c.publishDatabase(DB, MODULE, o) },
  { name: "publishWithMigration", operation: "prePublish", call: (c, o) => c.publishWithMigration(DB, MODULE, o) },
  { name: "prePublish", operation: "prePublish", call: (c, o) => c.prePublish(DB, MODULE, o) },
  { name: "resetDatabase", operation: "resetDatabase", call: (c, o) => c.resetDatabase(DB, MODULE, o) },
  { name: "deleteDatabase", operation: "deleteDatabase", call: (c, o) => c.deleteDatabase(DB, o) },
  { name: "setDatabaseNames", operation: "setDatabaseNames", call: (c, o) => c.setDatabaseNames(DB, ["chat"], o) },
  { name: "addDatabaseName", operation: "addDatabaseName", call: (c, o) => c.addDatabaseName(DB, "chat-two", o) },
  { name: "callReducer", operation: "callReducer", call: (c, o) => c.callReducer(DB, "send_message", ["hi"], o) },
  { name: "sql", operation: "sql", call: (c, o) => c.sql(DB, "SELECT * FROM message", o) },
  { name: "sqlRows", operation: "sql", call: (c, o) => c.sqlRows(DB, "SELECT * FROM message", o) },
  { name: "lockDatabase", operation: "lockDatabase", call: (c, o) => c.lockDatabase(DB, o) },
  { name: "unlockDatabase", operation: "unlockDatabase", call: (c, o) => c.unlockDatabase(DB, o) },
  { name: "databaseMcp", operation: "databaseMcp", call: (c, o) => c.databaseMcp(DB, MCP, o) },
  { name: "mcp", operation: "mcp", call: (c, o) => c.mcp(MCP, o) },
  { name: "setEnergyBalance", operation: "setEnergyBalance", call: (c, o) => c.setEnergyBalance(IDENTITY, 10n, o) },
  { name: "addEnergy", operation: "addEnergy", call: (c, o) => c.addEnergy(IDENTITY, 5n, o) },
  { name: "setDatabaseEnvironment", operation: "setDatabaseEnvironment", call: (c, o) => c.setDatabaseEnvironment(DB, { API_KEY: "k" }, o) },
  { name: "updateDatabaseEnvironment", operation: "updateDatabaseEnvironment", call: (c, o) => c.updateDatabaseEnvironment(DB, { API_KEY: "k" }, { ...o, remove: ["OLD"] }) },
  { name: "publishDatabase with environment", operation: "publishDatabase", call: (c, o) => c.publishDatabase(DB, MODULE, { ...o, environment: { API_KEY: "k" } }) },
  ...ROUTE_PATHS.flatMap(([path, prefix]) =>
    ROUTE_METHODS.map((method): UnsafeCall => ({
      name: `route ${method} "${path}"`,
      operation: `${prefix}${title(method)}` as OperationId,
      call: (c, o) => c.route(DB, path, { ...o, method, body: "hi" }),
    })),
  ),
];

/** Every operation a client may not repeat on its own (the WebSocket handshake is not fetched). */
const allOperations: Record<string, { method: string }> = { ...operations, ...servedOperations };
export const UNSAFE_OPERATIONS = Object.keys(allOperations).filter((id) => id !== "subscribe" && !["GET", "HEAD"].includes(allOperations[id]!.method)) as OperationId[];
