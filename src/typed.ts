/** The SATS-aware conveniences: SQL rows decoded by their schema, reducer calls checked by theirs. */
import type { ErrorBodyOf } from "./types.js";
import type { Result } from "./result.js";
import type { ProductType } from "./sats/index.js";
import { failure, pickCallOptions, send, type CallOptions, type RequestParts, type TransportConfig } from "./transport.js";

/** A decoded SQL row: column name → value (the README says how each SATS type is represented). */
export type Row = Record<string, unknown>;

export interface CallReducerWithOptions extends CallOptions {
  /** Fetch the module's schema again instead of using the one cached for this database. */
  refreshSchema?: boolean;
  /**
   * The module's schema (as `schema()` returns it) to check and encode against, so that no schema is
   * fetched: generated bindings pass the one they embed.
   */
  moduleDef?: unknown;
}

type SchemaCall = (database: string, o: CallOptions) => Promise<Result<unknown, unknown>>;

export type TypedCalls = ReturnType<typeof typedCalls>;

export function typedCalls(config: TransportConfig, schema: SchemaCall) {
  const schemas = new Map<string, unknown>();
  const db = (nameOrIdentity: string) => ({ name_or_identity: nameOrIdentity });

  /** The SATS codec, loaded on first use: most programs never need it, so it stays out of the main bundle. */
  const codec = () => import("./sats/index.js");

  /** Parses the response text losslessly, then decodes it; the transport turns a throw into a parse failure. */
  const decoding = <T>(as: string, parseJson: (text: string) => unknown, decode: (json: unknown) => T): RequestParts["decode"] => ({
    as,
    run: (text) => decode(text === undefined ? undefined : parseJson(text as string)),
  });

  return {
    /**
     * Runs one SQL statement and decodes its rows into objects keyed by column name, exactly:
     * 64-bit and wider integers become bigint, read from the response text (never through a float).
     * One array of rows per statement result (the server sends one).
     */
    sqlRows: async (database: string, query: string, o: CallOptions & { confirmed?: boolean } = {}): Promise<Result<Row[][], ErrorBodyOf<"sql">>> => {
      const { decodeRows, parseJson } = await codec();
      const decode = decoding("sqlRows", parseJson, (json) => (json as { schema: ProductType; rows: unknown[] }[]).map((s) => decodeRows(s.schema, s.rows)));
      const parts: RequestParts = { path: db(database), query: { confirmed: o.confirmed }, body: query, responseAs: "text", decode };
      return send(config, "sql", parts, pickCallOptions(o)) as Promise<Result<Row[][], ErrorBodyOf<"sql">>>;
    },

    /**
     * Calls a reducer or procedure with arguments by name, checked and encoded against the module's
     * schema (fetched once per database and cached): bigints stay exact, Identity from hex, Option from
     * `undefined`, sums from `{ tag, value }`. A procedure's return value is decoded the same way.
     */
    callReducerWith: async (database: string, name: string, args: Record<string, unknown>, o: CallReducerWithOptions = {}): Promise<Result<unknown, ErrorBodyOf<"callReducer">>> => {
      const { decodeValue, encodeArgs, listProcedures, listReducers, parseJson, typespaceOf } = await codec();
      let def = o.moduleDef ?? (o.refreshSchema ? undefined : schemas.get(database));
      if (def === undefined) {
        const fetched = await schema(database, pickCallOptions(o));
        if (!fetched.ok) return fetched as Result<never, ErrorBodyOf<"callReducer">>;
        schemas.set(database, (def = fetched.data));
      }
      const reducer = listReducers(def).find((r) => r.name === name);
      const procedure = reducer ? undefined : listProcedures(def).find((p) => p.name === name);
      const target = reducer ?? procedure;
      if (!target) return failure("callReducerWith", "invalid-input", `the module has no reducer or procedure "${name}"; no request was sent`);
      if (reducer?.lifecycle) {
        return failure("callReducerWith", "invalid-input", `"${name}" is the ${reducer.lifecycle} lifecycle reducer, which cannot be called; no request was sent`);
      }
      const typespace = typespaceOf(def);
      let encoded: unknown[];
      try {
        encoded = encodeArgs(target.params, args, typespace);
      } catch (e) {
        return failure("callReducerWith", "invalid-input", `${(e as Error).message}; no request was sent`, { cause: e });
      }
      // A reducer's 200 is empty; a procedure's is its return value, decoded against its type.
      const decode = decoding("callReducerWith", parseJson, (json) => (procedure ? decodeValue(procedure.returnType, json, typespace) : undefined));
      const parts: RequestParts = { path: { ...db(database), reducer: name }, body: encoded, responseAs: "text", decode };
      return send(config, "callReducer", parts, pickCallOptions(o)) as Promise<Result<unknown, ErrorBodyOf<"callReducer">>>;
    },
  };
}
