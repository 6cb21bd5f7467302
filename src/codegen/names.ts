/** Naming for generated bindings: PascalCase types, camelCase members, stable suffixes on clashes. */

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
 */
export class NameTable {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.taken.add(r);
  }

  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}${n}`;
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

/** Whether `name` can be written bare as a property name (`{ name: T }`, `x.name`). */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** A property key as written in a type or object literal: bare or a JSON string. */
export function propertyKey(name: string): string {
  return isIdentifier(name) && name !== "__proto__" ? name : JSON.stringify(name);
}
