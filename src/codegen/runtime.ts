/**
 * The part of `bindModule` (src/bindings.ts) loaded on the first call of bound bindings: argument
 * checks, the SQL of `select`, and the calls to the client's public `callReducerWith` and `sqlRows`
 * (which load the SATS codec in turn).
 */
import { SpacetimeHttpError } from "../errors.js";
import type { BindableClient, SelectOptions } from "../bindings.js";
import type { Result } from "../result.js";
import type { CallOptions } from "../transport.js";
import type { Row } from "../typed.js";

const SIMPLE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A table or view name as SQL: bare when it is a plain identifier, else double-quoted. */
export function sqlName(name: string): string {
  return SIMPLE_IDENT.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function invalid(operation: string, message: string): Result<never, unknown> {
  return { ok: false, error: new SpacetimeHttpError({ kind: "invalid-input", operation, message: `${operation}: ${message}; no request was sent` }) };
}

/** A reducer or procedure call with named arguments, checked and encoded against the embedded definition. */
export function call(
  client: BindableClient,
  database: string,
  moduleDef: unknown,
  name: string,
  member: string,
  args: unknown,
  options: CallOptions | undefined,
): Promise<Result<unknown, unknown>> {
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args)))
    return Promise.resolve(invalid(member, "the arguments must be an object keyed by parameter name"));
  return client.callReducerWith(database, name, (args ?? {}) as Record<string, unknown>, { ...options, moduleDef });
}

/** `SELECT * FROM <name>` (with ` WHERE <where>` when given, raw SQL the caller trusts) → the rows. */
export async function select(
  client: BindableClient,
  database: string,
  name: string,
  member: string,
  where: unknown,
  options: SelectOptions | undefined,
): Promise<Result<Row[], unknown>> {
  if (where !== undefined && typeof where !== "string") return invalid(`${member}.select`, "where must be a string of SQL");
  const sql = `SELECT * FROM ${sqlName(name)}${where === undefined || where.trim() === "" ? "" : ` WHERE ${where}`}`;
  const result = await client.sqlRows(database, sql, options);
  return result.ok ? { ok: true, data: result.data[0] ?? [], meta: result.meta } : result;
}
