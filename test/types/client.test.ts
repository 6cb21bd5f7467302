/**
 * Type tests: checked by `tsc --noEmit` (npm run typecheck, in .ci/run); the `it` only makes vitest
 * count the file. `@ts-expect-error` lines fail the type check if the misuse ever compiles.
 */
import { expectTypeOf, it } from "vitest";
import { createClient, type Database, type DatabaseNames, type PublishSuccess, type Result, type SetDomainsResult, type SqlStatementResult } from "../../src/index.js";

const client = createClient({ fetch: async () => new Response(null, { status: 204 }) });
type Data<P> = P extends Promise<Result<infer T, unknown>> ? T : never;

it("types each seed method's data from the spec", () => {
  expectTypeOf<Data<ReturnType<typeof client.ping>>>().toEqualTypeOf<undefined>();
  expectTypeOf<Data<ReturnType<typeof client.createIdentity>>>().toEqualTypeOf<{ identity: string; token: string }>();
  expectTypeOf<Data<ReturnType<typeof client.verifyIdentity>>>().toEqualTypeOf<boolean>();
  expectTypeOf<Data<ReturnType<typeof client.getWebsocketToken>>>().toEqualTypeOf<{ token: string }>();
  expectTypeOf<Data<ReturnType<typeof client.getPublicKey>>>().toEqualTypeOf<string>();
  expectTypeOf<Data<ReturnType<typeof client.getDatabases>>>().toEqualTypeOf<{ identities: string[] }>();
  expectTypeOf<Data<ReturnType<typeof client.getDatabase>>>().toEqualTypeOf<Database>();
  expectTypeOf<Data<ReturnType<typeof client.publishDatabase>>>().toEqualTypeOf<PublishSuccess>();
  expectTypeOf<Data<ReturnType<typeof client.deleteDatabase>>>().toEqualTypeOf<undefined>();
  expectTypeOf<Data<ReturnType<typeof client.getDatabaseIdentity>>>().toEqualTypeOf<string>();
  expectTypeOf<Data<ReturnType<typeof client.getDatabaseNames>>>().toEqualTypeOf<DatabaseNames>();
  expectTypeOf<Data<ReturnType<typeof client.setDatabaseNames>>>().toEqualTypeOf<SetDomainsResult>();
  expectTypeOf<Data<ReturnType<typeof client.sql>>>().toEqualTypeOf<SqlStatementResult[]>();
  expectTypeOf<Data<ReturnType<typeof client.logs>>>().items.toHaveProperty("message");
});

it("rejects wrong arguments at compile time", () => {
  // @ts-expect-error an identity is a string
  void client.getDatabases(42);
  // @ts-expect-error the SQL query is a string
  void client.sql("db", { query: "SELECT 1" });
  // @ts-expect-error publish needs the module bytes
  void client.publishDatabase("db");
  // @ts-expect-error the module is bytes, not a JSON object
  void client.publishNewDatabase({ wasm: "…" });
  // @ts-expect-error names are a string array
  void client.setDatabaseNames("db", "name");
  // @ts-expect-error schema versions are 9 and 10
  void client.schema("db", { version: 8 });
  // @ts-expect-error unknown option
  void client.ping({ tokn: "x" });
});
