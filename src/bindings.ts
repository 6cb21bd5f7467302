/**
 * The runtime of generated module bindings (`spacetimedb-http generate`): `bindModule` turns the module
 * definition and name table a generated file embeds into `reducers`, `procedures`, `tables` and `views`
 * objects whose methods call the client's public `callReducerWith` and `sqlRows`. It holds no codec:
 * those two methods load the SATS codec on first use, so this stays out of the way of the main bundle.
 */
import { SpacetimeHttpError } from "./errors.js";
import type { Result } from "./result.js";
import type { CallOptions } from "./transport.js";
import type { Row } from "./typed.js";

export type { Timestamp, Identity, ConnectionId, Uuid, TimeDuration, TaggedSum, Some } from "./sats/types.js";

/** The client methods bindings use (any `createClient` client has them). */
export interface BindableClient {
  sqlRows(database: string, query: string, options?: CallOptions & { confirmed?: boolean }): Promise<Result<Row[][], unknown>>;
  callReducerWith(database: string, name: string, args: Record<string, unknown>, options?: CallOptions & { moduleDef?: unknown }): Promise<Result<unknown, unknown>>;
}

/** Options of a generated `select`: call options, and `confirmed` reads as the `sql` route has them. */
export type SelectOptions = CallOptions & { confirmed?: boolean };

/** The name table of a generated file: `[member name, name on the server]` pairs. */
export interface BindingSpec {
  reducers: readonly (readonly [string, string])[];
  procedures: readonly (readonly [string, string])[];
  tables: readonly (readonly [string, string])[];
  views: readonly (readonly [string, string])[];
}

const SIMPLE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table or view name as SQL: bare when it is a plain identifier, else double-quoted. */
export function sqlName(name: string): string {
  return SIMPLE_IDENT.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function invalid(operation: string, message: string): Result<never, unknown> {
  return { ok: false, error: new SpacetimeHttpError({ kind: "invalid-input", operation, message: `${operation}: ${message}; no request was sent` }) };
}

function record<F>(pairs: readonly (readonly [string, string])[], make: (name: string, member: string) => F): Record<string, F> {
  const out: Record<string, F> = Object.create(null) as Record<string, F>;
  for (const [member, name] of pairs) Object.defineProperty(out, member, { value: make(name, member), enumerable: true });
  return out;
}

/**
 * Binds a generated module to a client and a database. `moduleDef` is the module definition (as
 * `schema()` returns it, or the part of it a generated file embeds); `spec` maps member names to
 * server names. Every method returns a `Result` and never throws; none fetches the schema.
 */
export function bindModule<M>(client: BindableClient, database: string, moduleDef: unknown, spec: BindingSpec): M {
  const call = (name: string, member: string) => (args?: Record<string, unknown>, options?: CallOptions) => {
    if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args)))
      return Promise.resolve(invalid(member, "the arguments must be an object keyed by parameter name"));
    return client.callReducerWith(database, name, args ?? {}, { ...options, moduleDef });
  };
  const selectable = (name: string, member: string) => ({
    name,
    /**
     * `SELECT * FROM <name>`, with ` WHERE <where>` when given. `where` is raw SQL, sent as is: pass
     * only a condition you trust (never text from an untrusted user). Resolves to the rows.
     */
    select: async (where?: string, options?: SelectOptions): Promise<Result<Row[], unknown>> => {
      if (where !== undefined && typeof where !== "string") return invalid(`${member}.select`, "where must be a string of SQL");
      const sql = `SELECT * FROM ${sqlName(name)}${where === undefined || where.trim() === "" ? "" : ` WHERE ${where}`}`;
      const result = await client.sqlRows(database, sql, options);
      return result.ok ? { ok: true, data: result.data[0] ?? [], meta: result.meta } : result;
    },
  });
  return {
    reducers: record(spec.reducers, call),
    procedures: record(spec.procedures, call),
    tables: record(spec.tables, selectable),
    views: record(spec.views, selectable),
  } as M;
}

/** A table or view of generated bindings. */
export interface BoundTable<R> {
  /** The name SQL uses. */
  readonly name: string;
  /**
   * `SELECT * FROM <name>`, with ` WHERE <where>` when given, resolving to the rows (the statement's
   * only result). `where` is raw SQL sent as is: pass only a condition you trust.
   */
  select(where?: string, options?: SelectOptions): Promise<Result<R[], unknown>>;
}
