/**
 * The one reader of module definitions, for the codec and the bindings generator: the schema JSON of
 * `GET …/schema?version=9|10` (RawModuleDefV9 / RawModuleDefV10, typed SATS; crates/lib/src/db/raw_def/
 * v9.rs, v10.rs). Inputs are `unknown` and narrowed as they are read; a value that is neither version,
 * or a table without a product row type, throws a `SatsError`. V10 submodules are not listed.
 *
 * Names are the canonical ones (the names SQL and `call` use). V10 writes each table and function under
 * its `source_name` (the accessor) and maps it to the canonical name in the `ExplicitNames` section
 * (crates/schema/src/def.rs, `From<ModuleDef> for RawModuleDefV10`).
 */
import type { AlgebraicType, ProductType, Typespace } from "../generated/schema.js";
import { nameOf, resolve } from "./shape.js";
import { SatsError } from "./types.js";

export interface ColumnInfo {
  name: string;
  /** As written in the typespace: may be a `Ref` (see `resolveType`). */
  type: AlgebraicType;
}

export interface TableInfo {
  name: string;
  /** The typespace index of its row type (a product). */
  ref: number;
  columns: ColumnInfo[];
  /** The primary key's column names, in key order; empty when the table has none. */
  primaryKey: string[];
  isPublic: boolean;
  /** The reducer or procedure a scheduled table calls. */
  scheduledFunction?: string;
  /** V10 only: an event table, whose rows exist only during the transaction that inserts them. */
  isEvent?: boolean;
}

export type Lifecycle = "Init" | "OnConnect" | "OnDisconnect";

export interface ReducerInfo {
  name: string;
  params: ProductType;
  /** Set for lifecycle reducers, which cannot be called over HTTP. */
  lifecycle?: Lifecycle;
  /** V10 only (`visibility`: `ClientCallable` or `Private`); V9 does not say. */
  isPublic?: boolean;
}

export interface ProcedureInfo {
  name: string;
  params: ProductType;
  returnType: AlgebraicType;
  /** V10 only. */
  isPublic?: boolean;
}

export interface ViewInfo {
  name: string;
  params: ProductType;
  returnType: AlgebraicType;
  isPublic: boolean;
}

/** A named type of the module: its scope then its name (e.g. `["game", "Player"]`), and its typespace index. */
export interface NamedType {
  path: string[];
  ref: number;
}

export interface ModuleInfo {
  version: 9 | 10;
  /** The module's typespace, which `Ref`s index. */
  typespace: Typespace;
  types: NamedType[];
  tables: TableInfo[];
  views: ViewInfo[];
  reducers: ReducerInfo[];
  procedures: ProcedureInfo[];
}

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const objects = (x: unknown): Obj[] => list(x).filter(isObj);
const str = (x: unknown): string | undefined => (typeof x === "string" ? x : undefined);
const named = (x: unknown, what: string): string => str(x) ?? bad(`${what} has no name`);
/** The one key of a typed-SATS enum value such as `{"Public": []}`. */
const variant = (x: unknown): string | undefined => (isObj(x) ? Object.keys(x)[0] : undefined);

function bad(reason: string): never {
  throw new SatsError(reason, "module");
}

/** Reads a module definition, either version; throws a `SatsError` when it is neither. */
export function readModule(def: unknown): ModuleInfo {
  if (isObj(def) && Array.isArray(def.sections)) return readV10(def.sections);
  if (isObj(def) && isObj(def.typespace) && Array.isArray(def.tables)) return readV9(def);
  return bad("is not a module definition (RawModuleDefV9 or RawModuleDefV10)");
}

/** The module's typespace, which `Ref`s index. */
export const typespaceOf = (def: unknown): Typespace => readModule(def).typespace;
export const listTables = (def: unknown): TableInfo[] => readModule(def).tables;
export const listReducers = (def: unknown): ReducerInfo[] => readModule(def).reducers;
export const listProcedures = (def: unknown): ProcedureInfo[] => readModule(def).procedures;

/** Follows `Ref`s to the type they name. */
export function resolveType(typespace: Typespace, type: AlgebraicType): AlgebraicType {
  return resolve(type, typespace);
}

const LIFECYCLES = new Set<string>(["Init", "OnConnect", "OnDisconnect"]);
const lifecycleOf = (x: unknown): Lifecycle | undefined => {
  const v = variant(x);
  return v !== undefined && LIFECYCLES.has(v) ? (v as Lifecycle) : undefined;
};

function readV9(def: Obj): ModuleInfo {
  const typespace = typespaceIn(def.typespace);
  const types = objects(def.types).flatMap((t) => namedType(t.name, "name", t.ty));
  const tables = objects(def.tables).map((t) => {
    const schedule = isObj(t.schedule) && isObj(t.schedule.some) ? t.schedule.some : undefined;
    const fn = schedule === undefined ? undefined : (str(schedule.reducer_name) ?? str(schedule.function_name));
    return table(typespace, t, named(t.name, "a table"), fn, false);
  });
  const reducers = objects(def.reducers).map((r) => {
    const info: ReducerInfo = { name: named(r.name, "a reducer"), params: params(r.params) };
    const lifecycle = isObj(r.lifecycle) && "some" in r.lifecycle ? lifecycleOf(r.lifecycle.some) : undefined;
    if (lifecycle !== undefined) info.lifecycle = lifecycle;
    return info;
  });
  const misc = objects(def.misc_exports);
  const procedures = misc
    .map((m) => m.Procedure)
    .filter(isObj)
    .map((p) => ({ name: named(p.name, "a procedure"), params: params(p.params), returnType: type(p.return_type) }));
  const views = misc
    .map((m) => m.View)
    .filter(isObj)
    .map((v) => view(v, named(v.name, "a view")));
  return { version: 9, typespace, types, tables, views, reducers, procedures };
}

function readV10(sectionList: unknown[]): ModuleInfo {
  const sections = new Map<string, unknown>();
  for (const s of sectionList) {
    const key = variant(s);
    if (key !== undefined && !sections.has(key)) sections.set(key, (s as Obj)[key]);
  }
  const typespace = typespaceIn(sections.get("Typespace"));
  const tableNames = canonicalNames(sections, "Table");
  const fnNames = canonicalNames(sections, "Function");
  const canonicalFn = (source: string) => fnNames.get(source) ?? source;

  const types = objects(sections.get("Types")).flatMap((t) => namedType(t.source_name, "source_name", t.ty));
  const schedules = new Map<string, string>();
  for (const s of objects(sections.get("Schedules"))) {
    const table = str(s.table_name);
    const fn = str(s.function_name);
    if (table !== undefined && fn !== undefined) schedules.set(table, canonicalFn(fn));
  }
  const tables = objects(sections.get("Tables")).map((t) => {
    const source = named(t.source_name, "a table");
    const name = tableNames.get(source) ?? source;
    return table(typespace, t, name, schedules.get(name) ?? schedules.get(source), t.is_event === true);
  });
  const lifecycles = new Map<string, Lifecycle>();
  for (const l of objects(sections.get("LifeCycleReducers"))) {
    const lifecycle = lifecycleOf(l.lifecycle_spec);
    if (typeof l.function_name === "string" && lifecycle !== undefined) lifecycles.set(l.function_name, lifecycle);
  }
  const reducers = objects(sections.get("Reducers")).map((r) => {
    const source = named(r.source_name, "a reducer");
    const name = canonicalFn(source);
    const info: ReducerInfo = { name, params: params(r.params), isPublic: variant(r.visibility) === "ClientCallable" };
    const lifecycle = lifecycles.get(name) ?? lifecycles.get(source);
    if (lifecycle !== undefined) info.lifecycle = lifecycle;
    return info;
  });
  const procedures = objects(sections.get("Procedures")).map((p) => ({
    name: canonicalFn(named(p.source_name, "a procedure")),
    params: params(p.params),
    returnType: type(p.return_type),
    isPublic: variant(p.visibility) === "ClientCallable",
  }));
  const views = objects(sections.get("Views")).map((v) => {
    const source = named(v.source_name, "a view");
    return view(v, fnNames.get(source) ?? tableNames.get(source) ?? source);
  });
  return { version: 10, typespace, types, tables, views, reducers, procedures };
}

function typespaceIn(x: unknown): Typespace {
  return isObj(x) && Array.isArray(x.types) ? (x as unknown as Typespace) : { types: [] };
}

/** source name → canonical name, for `kind` "Table" or "Function" (V10 `ExplicitNames`). */
function canonicalNames(sections: Map<string, unknown>, kind: "Table" | "Function"): Map<string, string> {
  const names = new Map<string, string>();
  const explicit = sections.get("ExplicitNames");
  for (const entry of objects(isObj(explicit) ? explicit.entries : undefined)) {
    const mapping = entry[kind];
    if (isObj(mapping) && typeof mapping.source_name === "string" && typeof mapping.canonical_name === "string")
      names.set(mapping.source_name, mapping.canonical_name);
  }
  return names;
}

/** A named type: V9 `{ scope, name }`, V10 `{ scope, source_name }`; one without a name or index is left out. */
function namedType(n: unknown, key: string, ref: unknown): NamedType[] {
  const name = isObj(n) ? str(n[key]) : undefined;
  return name === undefined || typeof ref !== "number" ? [] : [{ path: [...list(isObj(n) ? n.scope : []).map(String), name], ref }];
}

function table(typespace: Typespace, t: Obj, name: string, scheduledFunction: string | undefined, isEvent: boolean): TableInfo {
  const ref = t.product_type_ref;
  const row: unknown = typeof ref === "number" ? typespace.types[ref] : undefined;
  const elements = isObj(row) && isObj(row.Product) ? row.Product.elements : undefined;
  if (!Array.isArray(elements) || !elements.every(isObj)) return bad(`table ${JSON.stringify(name)} has no product row type`);
  const columns = (elements as ProductType["elements"]).map((e, i) => ({ name: nameOf(e.name) ?? String(i), type: e.algebraic_type }));
  const info: TableInfo = {
    name,
    ref: ref as number,
    columns,
    primaryKey: list(t.primary_key).map((col) => columns[col as number]?.name ?? String(col)),
    isPublic: variant(t.table_access) === "Public",
  };
  if (scheduledFunction !== undefined) info.scheduledFunction = scheduledFunction;
  if (isEvent) info.isEvent = true;
  return info;
}

function view(v: Obj, name: string): ViewInfo {
  return { name, params: params(v.params), returnType: type(v.return_type), isPublic: v.is_public === true };
}

function params(x: unknown): ProductType {
  return isObj(x) && Array.isArray(x.elements) ? (x as unknown as ProductType) : bad("has a function without a params product type");
}

function type(x: unknown): AlgebraicType {
  return isObj(x) && Object.keys(x).length === 1 ? (x as AlgebraicType) : bad("has a function without a return type");
}
