/**
 * What the generator needs from a module definition (the JSON of `GET …/schema?version=9|10`):
 * named types, tables and views with their row types, callable reducers and procedures.
 * Reducers, procedures, typespace and canonical names come from the SATS module reader.
 */
import { listProcedures, listReducers, typespaceOf } from "../sats/index.js";
import type { AlgebraicType, ProcedureInfo, ProductType, ReducerInfo, Typespace } from "../sats/index.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const variant = (x: unknown): string | undefined => (isObj(x) ? Object.keys(x)[0] : undefined);

export interface NamedType {
  /** Scope then name, e.g. `["game", "Player"]`. */
  path: string[];
  ref: number;
}

export interface TableModel {
  /** The canonical name (what SQL uses). */
  name: string;
  ref: number;
  isPublic: boolean;
  /** The reducer or procedure a scheduled table calls. */
  scheduledFunction?: string;
  isEvent?: boolean;
}

export interface ViewModel {
  name: string;
  params: ProductType;
  returnType: AlgebraicType;
  isPublic: boolean;
}

export interface ModuleModel {
  version: 9 | 10;
  typespace: Typespace;
  types: NamedType[];
  tables: TableModel[];
  views: ViewModel[];
  reducers: ReducerInfo[];
  procedures: ProcedureInfo[];
}

function sectionsOf(def: Obj): Map<string, unknown> {
  const sections = new Map<string, unknown>();
  for (const s of list(def.sections)) {
    const key = variant(s);
    if (key !== undefined && !sections.has(key)) sections.set(key, (s as Obj)[key]);
  }
  return sections;
}

function canonical(sections: Map<string, unknown>, kind: "Table" | "Function"): Map<string, string> {
  const names = new Map<string, string>();
  const explicit = sections.get("ExplicitNames");
  for (const entry of list(isObj(explicit) ? explicit.entries : undefined)) {
    const m = isObj(entry) ? entry[kind] : undefined;
    if (isObj(m) && typeof m.source_name === "string" && typeof m.canonical_name === "string") names.set(m.source_name, m.canonical_name);
  }
  return names;
}

const str = (x: unknown): string | undefined => (typeof x === "string" ? x : undefined);

/** Reads a module definition; throws a `SatsError` when it is neither version. */
export function readModule(def: unknown): ModuleModel {
  const typespace = typespaceOf(def); // throws on something that is not a module def
  const reducers = listReducers(def);
  const procedures = listProcedures(def);
  const d = def as Obj;
  if (Array.isArray(d.sections)) {
    const sections = sectionsOf(d);
    const tableNames = canonical(sections, "Table");
    const fnNames = canonical(sections, "Function");
    const types = list(sections.get("Types")).filter(isObj).flatMap((t): NamedType[] => {
      const n = t.source_name;
      const name = isObj(n) ? str(n.source_name) : undefined;
      return name === undefined || typeof t.ty !== "number" ? [] : [{ path: [...list(isObj(n) ? n.scope : []).map(String), name], ref: t.ty }];
    });
    const schedules = new Map<string, string>();
    for (const s of list(sections.get("Schedules")).filter(isObj)) {
      const table = str(s.table_name);
      const fn = str(s.function_name);
      if (table !== undefined && fn !== undefined) schedules.set(table, fnNames.get(fn) ?? fn);
    }
    const tables = list(sections.get("Tables")).filter(isObj).flatMap((t): TableModel[] => {
      const source = str(t.source_name);
      if (source === undefined || typeof t.product_type_ref !== "number") return [];
      const name = tableNames.get(source) ?? source;
      const table: TableModel = { name, ref: t.product_type_ref, isPublic: variant(t.table_access) === "Public" };
      const fn = schedules.get(name) ?? schedules.get(source);
      if (fn !== undefined) table.scheduledFunction = fn;
      if (t.is_event === true) table.isEvent = true;
      return [table];
    });
    const views = list(sections.get("Views")).filter(isObj).flatMap((v): ViewModel[] => {
      const source = str(v.source_name);
      if (source === undefined || !isObj(v.params) || !isObj(v.return_type)) return [];
      const name = fnNames.get(source) ?? tableNames.get(source) ?? source;
      return [{ name, params: v.params as unknown as ProductType, returnType: v.return_type as AlgebraicType, isPublic: v.is_public === true }];
    });
    return { version: 10, typespace, types, tables, views, reducers, procedures };
  }
  const types = list(d.types).filter(isObj).flatMap((t): NamedType[] => {
    const n = t.name;
    const name = isObj(n) ? str(n.name) : undefined;
    return name === undefined || typeof t.ty !== "number" ? [] : [{ path: [...list(isObj(n) ? n.scope : []).map(String), name], ref: t.ty }];
  });
  const tables = list(d.tables).filter(isObj).flatMap((t): TableModel[] => {
    const name = str(t.name);
    if (name === undefined || typeof t.product_type_ref !== "number") return [];
    const table: TableModel = { name, ref: t.product_type_ref, isPublic: variant(t.table_access) === "Public" };
    const sched = isObj(t.schedule) && isObj(t.schedule.some) ? t.schedule.some : undefined;
    const fn = sched === undefined ? undefined : str(sched.reducer_name) ?? str(sched.function_name);
    if (fn !== undefined) table.scheduledFunction = fn;
    return [table];
  });
  const views = list(d.misc_exports)
    .map((m) => (isObj(m) ? m.View : undefined))
    .filter(isObj)
    .flatMap((v): ViewModel[] => {
      const name = str(v.name);
      if (name === undefined || !isObj(v.params) || !isObj(v.return_type)) return [];
      return [{ name, params: v.params as unknown as ProductType, returnType: v.return_type as AlgebraicType, isPublic: v.is_public === true }];
    });
  return { version: 9, typespace, types, tables, views, reducers, procedures };
}
