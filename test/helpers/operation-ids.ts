/** The operationIds the issue fixes, in the order (one per server route and method). */
export const USER_ROUTE_METHODS = ["Get", "Post", "Put", "Patch", "Delete", "Head"] as const;

export const EXPECTED_OPERATION_IDS: readonly string[] = [
  "createIdentity", "getPublicKey", "getWebsocketToken", "verifyIdentity", "getDatabases",
  "publishNewDatabase", "publishDatabase", "getDatabase", "deleteDatabase", "getDatabaseNames",
  "addDatabaseName", "setDatabaseNames", "getDatabaseIdentity", "subscribe", "callReducer", "schema",
  "getDatabaseEnvironment", "setDatabaseEnvironment", "updateDatabaseEnvironment",
  "logs", "sql", "prePublish", "resetDatabase", "getTimestamp", "lockDatabase", "unlockDatabase",
  "databaseMcp", "getEnergyBalance", "setEnergyBalance", "addEnergy", "ping", "health", "mcp",
  ...USER_ROUTE_METHODS.map((m) => `httpRouteRoot${m}`),
  ...USER_ROUTE_METHODS.map((m) => `httpRouteRootSlash${m}`),
  ...USER_ROUTE_METHODS.map((m) => `httpRoute${m}`),
];
