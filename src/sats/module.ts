/**
 * Reading the schema JSON of `GET …/schema?version=9|10` (RawModuleDefV9 / RawModuleDefV10, typed SATS;
 * crates/lib/src/db/raw_def/v9.rs, v10.rs). Inputs are `unknown` and narrowed as they are read; a value
 * that is neither version throws a `SatsError`. V10 submodules are not listed.
 *
 * Names are the canonical ones (the names SQL and `call` use). V10 writes each table and function under
 * its `source_name` (the accessor) and maps it to the canonical name in the `ExplicitNames` section
 * (crates/schema/src/def.rs, `From<ModuleDef> for RawModuleDefV10`).
 */
import { nameOf, resolve } from "./shape.js";
import type { AlgebraicType, ProductType, Typespace } from "./types.js";
import { SatsError } from "./types.js";

export interface ColumnInfo {
  name: string;
  /** As written in the typespace: may be a `Ref` (see `resolveType`). */
  type: AlgebraicType;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** The primary key's column names, in key order; empty when the table has none. */
  primaryKey: string[];
  isPublic: boolean;
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

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown, what: string): string => (typeof x === "string" ? x : bad(`${what} has no name`));
/** The one key of a typed-SATS enum value such as `{"Public": []}`. */
const variant = (x: unknown): string | undefined => (isObj(x) ? Object.keys(x)[0] : undefined);

function bad(reason: string): never {
  throw new SatsError(reason, "module");
}

interface Def {
  version: 9 | 10;
  def: Obj;
  sections: Map<string, unknown>;
}

function read(def: unknown): Def {
  if (isObj(def) && Array.isArray(def.sections)) {
    const sections = new Map<string, unknown>();
    for (const s of def.sections) {
      const key = variant(s);
      if (key !== undefined && !sections.has(key)) sections.set(key, (s as Obj)[key]);
    }
    return { version: 10, def, sections };
  }
  if (isObj(def) && isObj(def.typespace) && Array.isArray(def.tables)) return { version: 9, def, sections: new Map() };
  return bad("is not a module definition (RawModuleDefV9 or RawModuleDefV10)");
}

/** The module's typespace, which `Ref`s index. */
export function typespaceOf(def: unknown): Typespace {
  const d = read(def);
  const ts = d.version === 10 ? d.sections.get("Typespace") : d.def.typespace;
  return isObj(ts) && Array.isArray(ts.types) ? (ts as unknown as Typespace) : { types: [] };
}

/** Follows `Ref`s to the type they name. */
export function resolveType(typespace: Typespace, type: AlgebraicType): AlgebraicType {
  return resolve(type, typespace);
}

/** source name → canonical name, for `kind` "Table" or "Function" (V10 `ExplicitNames`). */
function canonicalNames(d: Def, kind: "Table" | "Function"): Map<string, string> {
  const names = new Map<string, string>();
  const explicit = d.sections.get("ExplicitNames");
  for (const entry of list(isObj(explicit) ? explicit.entries : undefined)) {
    const mapping = isObj(entry) ? entry[kind] : undefined;
    if (isObj(mapping) && typeof mapping.source_name === "string" && typeof mapping.canonical_name === "string")
      names.set(mapping.source_name, mapping.canonical_name);
  }
  return names;
}

export function listTables(def: unknown): TableInfo[] {
  const d = read(def);
  const ts = typespaceOf(def);
  const canonical = canonicalNames(d, "Table");
  const tables = d.version === 10 ? list(d.sections.get("Tables")) : list(d.def.tables);
  return tables.filter(isObj).map((t) => {
    const source = str(d.version === 10 ? t.source_name : t.name, "a table");
    const ref = t.product_type_ref;
    const row = typeof ref === "number" ? ts.types[ref] : undefined;
    if (row === undefined || !("Product" in row)) bad(`table ${JSON.stringify(source)} has no product row type`);
    const columns = row.Product.elements.map((e, i) => ({ name: nameOf(e.name) ?? String(i), type: e.algebraic_type }));
    return {
      name: canonical.get(source) ?? source,
      columns,
      primaryKey: list(t.primary_key).map((col) => columns[col as number]?.name ?? String(col)),
      isPublic: variant(t.table_access) === "Public",
    };
  });
}

const LIFECYCLES = new Set<string>(["Init", "OnConnect", "OnDisconnect"]);

export function listReducers(def: unknown): ReducerInfo[] {
  const d = read(def);
  if (d.version === 9) {
    return list(d.def.reducers)
      .filter(isObj)
      .map((r) => {
        const info: ReducerInfo = { name: str(r.name, "a reducer"), params: params(r.params) };
        const lifecycle = isObj(r.lifecycle) && "some" in r.lifecycle ? variant(r.lifecycle.some) : undefined;
        if (lifecycle !== undefined && LIFECYCLES.has(lifecycle)) info.lifecycle = lifecycle as Lifecycle;
        return info;
      });
  }
  const canonical = canonicalNames(d, "Function");
  const lifecycles = new Map<string, Lifecycle>();
  for (const l of list(d.sections.get("LifeCycleReducers"))) {
    const spec = isObj(l) ? variant(l.lifecycle_spec) : undefined;
    if (isObj(l) && typeof l.function_name === "string" && spec !== undefined && LIFECYCLES.has(spec))
      lifecycles.set(l.function_name, spec as Lifecycle);
  }
  return list(d.sections.get("Reducers"))
    .filter(isObj)
    .map((r) => {
      const source = str(r.source_name, "a reducer");
      const name = canonical.get(source) ?? source;
      const info: ReducerInfo = { name, params: params(r.params), isPublic: variant(r.visibility) === "ClientCallable" };
      const lifecycle = lifecycles.get(name) ?? lifecycles.get(source);
      if (lifecycle !== undefined) info.lifecycle = lifecycle;
      return info;
    });
}

export function listProcedures(def: unknown): ProcedureInfo[] {
  const d = read(def);
  if (d.version === 9) {
    return list(d.def.misc_exports)
      .map((m) => (isObj(m) ? m.Procedure : undefined))
      .filter(isObj)
      .map((p) => ({ name: str(p.name, "a procedure"), params: params(p.params), returnType: type(p.return_type) }));
  }
  const canonical = canonicalNames(d, "Function");
  return list(d.sections.get("Procedures"))
    .filter(isObj)
    .map((p) => {
      const source = str(p.source_name, "a procedure");
      return {
        name: canonical.get(source) ?? source,
        params: params(p.params),
        returnType: type(p.return_type),
        isPublic: variant(p.visibility) === "ClientCallable",
      };
    });
}

function params(x: unknown): ProductType {
  return isObj(x) && Array.isArray(x.elements) ? (x as unknown as ProductType) : bad("has a function without a params product type");
}

function type(x: unknown): AlgebraicType {
  return isObj(x) && Object.keys(x).length === 1 ? (x as AlgebraicType) : bad("has a procedure without a return type");
}
