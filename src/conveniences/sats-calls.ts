/** The SATS-aware conveniences: SQL rows decoded by their schema, reducer calls checked by theirs. */
import type { ClientContext } from "../core/context.js";
import { InputError } from "../core/errors.js";
import { optionsObject, type CallOptions } from "../core/options.js";
import { withCall, type CallPlan } from "../core/request.js";
import { failure, type Result } from "../core/result.js";
import { sendCallReducer, sendSql } from "../generated/methods.js";
import type { SqlOptions } from "../generated/method-types.js";
import { decodeSql, decodeValue, encodeArgs, listProcedures, listReducers, parseJson, typespaceOf } from "../sats/index.js";
import { fetchSchema } from "../methods/hand-written.js";

/** A decoded SQL row: column name → value (the README says how each SATS type is represented). */
export type Row = Record<string, unknown>;

export interface CallReducerWithOptions extends CallOptions {
  /** Fetch the module's schema again instead of using the one cached for this database. */
  refreshSchema?: boolean | undefined;
  /**
   * The module's schema (as `schema()` returns it) to check and encode against, so that no schema is
   * fetched: generated bindings pass the one they embed.
   */
  moduleDef?: unknown;
}

export type SatsCalls = ReturnType<typeof satsCalls>;

/** Parses the response text losslessly, then decodes it; the call turns a throw into a parse failure. */
const decoding = (as: string, parseJson: (text: string) => unknown, decode: (json: unknown) => unknown): CallPlan["decode"] => ({
  as,
  run: (text) => decode(text === undefined ? undefined : parseJson(text as string)),
});

export function satsCalls(ctx: ClientContext) {
  const schemas = new Map<string, unknown>();

  return {
    /**
     * Runs one SQL statement and decodes its rows into objects keyed by column name, exactly:
     * 64-bit and wider integers become bigint, read from the response text (never through a float).
     * One array of rows per statement result (the server sends one).
     */
    sqlRows: async (database: string, query: string, options?: SqlOptions): Promise<Result<Row[][], string>> => {
      // One pass over the text, by each statement's schema; a text it does not read goes the general way.
      const decode: CallPlan["decode"] = {
        as: "sqlRows",
        run: (text) => {
          if (text === undefined) throw new Error("it is empty, where the server sends one result per statement");
          return decodeSql(text as string);
        },
      };
      return sendSql(ctx, { responseAs: "text", decode }, database, query, options) as Promise<Result<Row[][], string>>;
    },

    /**
     * Calls a reducer or procedure with arguments by name, checked and encoded against the module's
     * schema (fetched once per database and cached, or given as `moduleDef`): bigints stay exact,
     * Identity from hex, Option from `undefined`, sums from `{ tag, value }`. A procedure's return
     * value is decoded the same way.
     */
    callReducerWith: async (database: string, name: string, args: Record<string, unknown>, options?: CallReducerWithOptions): Promise<Result<unknown, string>> => {
      const { refreshSchema, moduleDef } = optionsObject(options);
      // One deadline and one token cover the schema's request and the call's.
      return withCall(ctx, "callReducerWith", options, async (call) => {
        let def = moduleDef ?? (refreshSchema ? undefined : schemas.get(database));
        let notCalled = "no request was sent";
        if (def === undefined) {
          const fetched = await fetchSchema(ctx, database, undefined, call);
          if (!fetched.ok) return fetched as Result<never, string>;
          schemas.set(database, (def = fetched.data));
          notCalled = "the schema was read, but the reducer was not called";
        }
        const refuse = (reason: string, cause?: unknown) => failure("callReducerWith", "invalid-input", `${reason}; ${notCalled}`, { cause });
        const reducer = listReducers(def).find((r) => r.name === name);
        const procedure = reducer ? undefined : listProcedures(def).find((p) => p.name === name);
        const target = reducer ?? procedure;
        if (!target) return refuse(`the module has no reducer or procedure "${name}"`);
        if (reducer?.lifecycle) return refuse(`"${name}" is the ${reducer.lifecycle} lifecycle reducer, which cannot be called`);
        const typespace = typespaceOf(def);
        let encoded: unknown[];
        try {
          encoded = encodeArgs(target.params, args, typespace);
        } catch (e) {
          if (e instanceof InputError || e instanceof Error) return refuse(e.message, e);
          throw e;
        }
        // A reducer's 200 is empty; a procedure's is its return value, decoded against its type.
        const decode = decoding("callReducerWith", parseJson, (json) => (procedure ? decodeValue(procedure.returnType, json, typespace) : undefined));
        return sendCallReducer(ctx, { call, responseAs: "text", decode }, database, name, encoded, options) as Promise<Result<unknown, string>>;
      }) as Promise<Result<unknown, string>>;
    },
  };
}
