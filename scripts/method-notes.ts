/**
 * What scripts/generate.ts adds to an operation method's doc comment after the spec's summary: the
 * SDK's own note, and `data`, the result's type where the SDK's differs from the spec's body (a type
 * exported by src/client.ts or src/generated/schema.ts).
 */
export const METHOD_NOTES: Readonly<Record<string, { readonly note?: string; readonly data?: string }>> = {
  verifyIdentity: {
    data: "boolean",
    note: "`data` is `true` when the token belongs to `identity`, and `false` when the server answers an empty 400 (it belongs to another identity).",
  },
  getDatabases: { note: "Reads no credentials: the list is public." },
  publishNewDatabase: {
    data: "PublishSuccess",
    note: "The module is sent as it is (bytes, a Blob, or streamed from a ReadableStream or async iterable); no timeout, no retry, and no redirect is followed. An anonymous publish mints an identity: its token is only in `meta.token`.",
  },
  publishDatabase: {
    data: "PublishSuccess",
    note: "The module is sent as it is (bytes, a Blob, or streamed); no timeout, no retry, and no redirect is followed. Publish options are checked before sending. `publishWithMigration` runs the CLI's pre-publish check first.",
  },
  addDatabaseName: { note: "The new name is checked against the server's name rules before sending." },
  setDatabaseNames: { note: "Replaces all of the database's names (`[]` removes them all); each name is checked before sending." },
  getDatabaseIdentity: { note: "`data` is the identity as 64 hex digits." },
  prePublish: { note: "`data` says whether the update migrates automatically, and with what plan." },
  resetDatabase: { note: "Wipes the data; with `module`, restarts with that module. No timeout and no retry." },
  callReducer: {
    note: "`args` are positional (an array) or by parameter name (an object), sent as JSON with bigints exact. A reducer's `data` is `undefined`; a procedure's is its return value. `callReducerWith` checks and encodes arguments against the module's schema.",
  },
  sql: { note: "Exactly one statement. The rows are untyped SATS JSON; `sqlRows` decodes them exactly, keyed by column name." },
  schema: { note: "Asks for version 10 by default and falls back to 9 on a 4xx, as the CLI does." },
  logs: {
    data: "LogRecord[]",
    note: "The NDJSON body decoded line by line, read once to its end; `followLogs` follows the log live.",
  },
  getDatabaseEnvironment: { note: "Servers 2.12+ (an older one answers 404). The declarations, the keys that have a value, and the `module_hash` to pass back as `expectedModuleHash`; values are never returned." },
  setDatabaseEnvironment: {
    note: "Servers 2.12+. Replaces the whole environment: keys not in `values` are deleted. Keys, value sizes and the count are checked before sending; values never appear in an error. A missing required value is an `http` error whose `body` names the keys.",
  },
  updateDatabaseEnvironment: {
    note: "Servers 2.12+. Sets `values` and deletes the keys in `remove` (sent as the `spacetime-environment-remove` header); the rest is kept. Checked before sending as for setDatabaseEnvironment, and a key both set and removed is refused.",
  },
  setEnergyBalance: { note: "`balance` is a u128 as a bigint or decimal string." },
  addEnergy: { note: "`amount` is a u128 as a bigint or decimal string; energy goes to the caller's own balance." },
};
