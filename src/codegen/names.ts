/** Naming for generated bindings: PascalCase types, camelCase members, stable suffixes on clashes. */
import { stringLiteral } from "./escape.js";

/** Words split on `_`, `-`, spaces, other non-identifier characters and lower→upper case changes. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** `player_state` → `PlayerState`; a name that would start with a digit gets a `T` in front. */
export function pascalCase(name: string): string {
  const out = words(name).map(cap).join("");
  if (out === "") return "T";
  return /^[0-9]/.test(out) ? `T${out}` : out;
}

/** `send_message` → `sendMessage`; a name that would start with a digit gets a `_` in front. */
export function camelCase(name: string): string {
  const ws = words(name);
  if (ws.length === 0) return "_";
  const out = ws[0]!.charAt(0).toLowerCase() + ws[0]!.slice(1) + ws.slice(1).map(cap).join("");
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/**
 * Hands out unique names in the order asked: the first to ask for a name gets it, later ones get
 * `Name2`, `Name3`… (so a given schema always yields the same names). Reserved names are never given.
 * Each name remembers the next suffix to try, so claiming n names costs O(n), however many clash.
 */
export class NameTable {
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }

  claim(wanted: string): string {
    let name = wanted;
    if (this.taken.has(name)) {
      let n = this.nextSuffix.get(wanted) ?? 2;
      while (this.taken.has(`${wanted}${n}`)) n++;
      name = `${wanted}${n}`;
      this.nextSuffix.set(wanted, n + 1);
    }
    this.taken.add(name);
    return name;
  }
}

/** Type names a generated file uses itself or that would shadow a global the generated types use. */
export const RESERVED_TYPE_NAMES = [
  "Array", "Record", "Uint8Array", "Promise", "Date", "Partial", "Readonly", "Object", "String", "Number",
  "Boolean", "BigInt", "Symbol", "Function", "Error", "Map", "Set", "Omit", "Pick",
  // the generated file's own exports
  "ModuleBindings", "ModuleReducers", "ModuleProcedures", "ModuleTables", "ModuleViews", "Table",
];

/**
 * Member names of the `reducers`, `procedures`, `tables` and `views` objects that are never given: `then`
 * would make the object a thenable (`await` on it would call the member), the others are what every
 * object inherits from `Object.prototype`. A reducer named so gets a suffix: `then2`, `constructor2`.
 */
export const RESERVED_MEMBER_NAMES = [
  "then", "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf",
  "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
];

/** Whether `name` can be written bare as a property name (`{ name: T }`, `x.name`). */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** A property key as written in a type or object literal: bare or a string literal. */
export function propertyKey(name: string): string {
  return isIdentifier(name) && name !== "__proto__" ? name : stringLiteral(name);
}
