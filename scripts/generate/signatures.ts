/**
 * The argument rule (docs/design.md#operations-are-generated): what a client method takes for its spec operation. Path parameters are
 * positional, in the order of the path; then the query parameters the exceptions table names as
 * positional; then the body (a required body is a required argument); then the options: the call
 * options plus every other query and header parameter, camelCased. scripts/method-exceptions.json
 * is the one table of where a method differs; src/generated/signatures.json is this rule's output,
 * read by the docs' code samples (redocly/code-samples.js) and the spec-driven contract test.
 */
import { camel, refName, type Json, type SpecOperation } from "./spec.js";

export interface Exception {
  readonly handWritten?: string;
  readonly servedBy?: string;
  readonly positional?: readonly string[];
  readonly bodyName?: string;
  readonly types?: Readonly<Record<string, string>>;
  readonly rename?: Readonly<Record<string, string>>;
  readonly omit?: readonly string[];
  readonly optional?: readonly string[];
  readonly fixed?: Readonly<Record<string, unknown>>;
  readonly extraOptions?: string;
  readonly data?: string;
  readonly note?: string;
}

export interface Argument {
  /** The argument's name in the method's signature. */
  readonly name: string;
  readonly in: "path" | "query" | "body";
  /** The spec's parameter name (`body` for the request body). */
  readonly param: string;
  readonly required: boolean;
  /** A type the exceptions table gives instead of the spec's. */
  readonly type?: string;
}

export interface OptionArgument {
  readonly name: string;
  readonly in: "query" | "header";
  readonly param: string;
  /** Required by the spec: the send function requires it. */
  readonly required: boolean;
  /** Required by the spec, but the hand-written method supplies a default: optional in its signature. */
  readonly defaulted?: boolean;
  readonly type?: string;
}

export interface Signature {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  /** Why the method is written by hand (src/methods/hand-written.ts), when it is. */
  readonly handWritten?: string;
  readonly args: readonly Argument[];
  readonly options: readonly OptionArgument[];
  /** Parameters sent with a fixed value, by spec name. */
  readonly fixed: Readonly<Record<string, unknown>>;
  readonly extraOptions?: string;
  readonly data?: string;
  readonly note?: string;
}

export type ExceptionTable = Readonly<Record<string, Exception>>;

/** The table's entry for an operation (a key ending in `*` covers every id it begins). */
export function exceptionFor(table: ExceptionTable, id: string): Exception {
  for (const [key, entry] of Object.entries(table)) {
    if (key.startsWith("$")) continue;
    if (key === id || (key.endsWith("*") && id.startsWith(key.slice(0, -1)))) return entry;
  }
  return {};
}

/** The body argument's default name: its schema's, `module` for bytes, `body` otherwise. */
function defaultBodyName(body: Json, deref: (n: Json | undefined) => Json | undefined): string {
  const media = Object.values<Json>(body.content ?? {})[0];
  if (!media) return "body";
  const schema = media.schema as Json | undefined;
  if (deref(schema)?.format === "binary") return "module";
  const named = refName(schema) ?? (deref(schema)?.type === "array" ? refName(deref(schema)?.items) : undefined);
  if (!named) return "body";
  const name = named[0]!.toLowerCase() + named.slice(1);
  return deref(schema)?.type === "array" && !refName(schema) ? `${name}s` : name;
}

/** The method signature the rule gives an operation, or undefined when another member serves it. */
export function signatureOf(operation: SpecOperation, table: ExceptionTable, deref: (n: Json | undefined) => Json | undefined): Signature | undefined {
  const { id, path, op, parameters } = operation;
  const exception = exceptionFor(table, id);
  if (exception.servedBy) return undefined;
  const positional = exception.positional ?? [];
  const omitted = new Set([...(exception.omit ?? []), ...Object.keys(exception.fixed ?? {})]);
  const byName = new Map(parameters.map((p) => [p.name as string, p]));
  const typeOf = (name: string) => exception.types?.[name];

  const args: Argument[] = [];
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    const argName = camel(name!);
    args.push({ name: argName, in: "path", param: name!, required: true, ...(typeOf(argName) ? { type: typeOf(argName) } : {}) });
  }
  for (const name of positional) {
    const p = byName.get(name);
    if (!p || p.in !== "query") throw new Error(`method-exceptions.json: ${id}.positional names ${name}, which is not a query parameter`);
    const argName = camel(name);
    args.push({ name: argName, in: "query", param: name, required: p.required === true, ...(typeOf(argName) ? { type: typeOf(argName) } : {}) });
  }
  const body = deref(op.requestBody);
  if (body) {
    const name = exception.bodyName ?? defaultBodyName(body, deref);
    args.push({ name, in: "body", param: "body", required: body.required === true, ...(typeOf(name) ? { type: typeOf(name) } : {}) });
  }
  const options: OptionArgument[] = [];
  for (const p of parameters) {
    if ((p.in !== "query" && p.in !== "header") || positional.includes(p.name) || omitted.has(p.name)) continue;
    const name = exception.rename?.[p.name] ?? camel(p.name);
    const defaulted = p.required === true && (exception.optional ?? []).includes(p.name);
    options.push({ name, in: p.in, param: p.name, required: p.required === true, ...(defaulted ? { defaulted } : {}), ...(typeOf(name) ? { type: typeOf(name) } : {}) });
  }
  for (const name of exception.optional ?? []) if (!options.some((o) => o.param === name && o.defaulted)) throw new Error(`method-exceptions.json: ${id}.optional names ${name}, which is not a required option`);
  for (const name of omitted) if (!byName.has(name)) throw new Error(`method-exceptions.json: ${id} omits or fixes ${name}, which is not a parameter`);
  return {
    id,
    method: operation.method.toUpperCase(),
    path,
    ...(exception.handWritten ? { handWritten: exception.handWritten } : {}),
    args,
    options,
    fixed: exception.fixed ?? {},
    ...(exception.extraOptions ? { extraOptions: exception.extraOptions } : {}),
    ...(exception.data ? { data: exception.data } : {}),
    ...(exception.note ? { note: exception.note } : {}),
  };
}
