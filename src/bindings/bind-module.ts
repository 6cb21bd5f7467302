/**
 * The runtime of generated module bindings (`spacetimedb-http generate`): `bindModule` turns the module
 * definition and name table a generated file embeds into `reducers`, `procedures`, `tables` and `views`
 * objects whose methods call the client's public `callReducerWith` and `sqlRows` (which load the
 * SATS codec on first use): this binder is all the main entry holds of it.
 */
import type { CallOptions } from "../core/options.js";
import type { Result } from "../core/result.js";
import type { Row } from "../conveniences/sats-calls.js";

export type { Identity, ConnectionId, Uuid, TimeDuration, TaggedSum, Some } from "../sats/types.js";

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

/**
 * Binds a generated module to a client and a database. `moduleDef` is the module definition (as
 * `schema()` returns it, or the part of it a generated file embeds); `spec` maps member names to
 * server names. Every method returns a `Result` and never throws; none fetches the schema. Bad
 * arguments from untyped code are the client's own `invalid-input` results: nothing is sent.
 */
export function bindModule<M>(client: BindableClient, database: string, moduleDef: unknown, spec: BindingSpec): M {
  const bind = (pairs: BindingSpec["reducers"], table?: 1) =>
    Object.fromEntries(
      pairs.map(([member, name]) => [
        member,
        table
          ? {
              name,
              select: (where?: string, o?: SelectOptions) => {
                const from = `SELECT * FROM ${/^[A-Za-z_]\w*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`}`;
                // `where` is raw SQL the caller trusts. Anything but a string goes to sqlRows as is, which rejects it.
                const sql = typeof where !== "string" ? (where ?? from) : where.trim() ? `${from} WHERE ${where}` : from;
                return client.sqlRows(database, sql, o).then((r) => (r.ok ? { ...r, data: r.data[0] ?? [] } : r));
              },
            }
          : (args?: Record<string, unknown>, o?: CallOptions) => client.callReducerWith(database, name, args === undefined ? {} : args, { ...o, moduleDef }),
      ]),
    );
  return { reducers: bind(spec.reducers), procedures: bind(spec.procedures), tables: bind(spec.tables, 1), views: bind(spec.views, 1) } as M;
}
