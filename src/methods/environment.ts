/**
 * Database environment values (servers 2.12+): checked before anything is sent (keys, sizes, counts,
 * a key both set and removed) and written into the publish headers in the server's grammar. Values
 * are secrets: no message here quotes one, and the request core redacts them from every answer and
 * never sends them after a redirect. Loaded with the first call that has environment values.
 */
import { InputError } from "../core/errors.js";
import type { ClientContext } from "../core/context.js";
import { optionsObject } from "../core/options.js";
import { schemaRules } from "../generated/schema-rules.js";
import { sendSetDatabaseEnvironment, sendUpdateDatabaseEnvironment } from "../generated/methods.js";
import type { OperationMethods, SetDatabaseEnvironmentOptions, UpdateDatabaseEnvironmentOptions } from "../generated/method-types.js";
import type { PublishEnvironmentOptions } from "./options.js";

const KEY = new RegExp(schemaRules.EnvironmentKey.pattern);
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function checkKey(key: unknown, where: string): string {
  if (typeof key !== "string" || !KEY.test(key) || utf8Length(key) > schemaRules.EnvironmentKey.maxLength) {
    throw new InputError(`${where}: ${JSON.stringify(String(key)).slice(0, 60)} is not an environment key (a letter or _, then letters, digits and _, at most ${schemaRules.EnvironmentKey.maxLength} bytes)`);
  }
  return key;
}

/** The values as a plain object of checked keys and string values (never quoted in an error). */
export function checkValues(values: unknown, where = "environment"): Record<string, string> {
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw new InputError(`${where} must be an object of strings`);
  const { maxProperties, valueMaxLength } = schemaRules.EnvironmentValues;
  const entries = Object.entries(values);
  if (entries.length > maxProperties) throw new InputError(`${where} has ${entries.length} values; a database holds at most ${maxProperties}`);
  const checked: Record<string, string> = {};
  for (const [key, value] of entries) {
    checkKey(key, where);
    if (typeof value !== "string") throw new InputError(`${where}: the value of ${key} must be a string, not ${value === null ? "null" : typeof value}`);
    if (utf8Length(value) > valueMaxLength) throw new InputError(`${where}: the value of ${key} is over ${valueMaxLength} bytes`);
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
      throw new InputError(`${where}: the value of ${key} has a lone UTF-16 surrogate, which has no UTF-8 form`);
    }
    checked[key] = value;
  }
  return checked;
}

/** The keys to remove, checked: no duplicates, none also set, `*` only where allowed. */
export function checkRemove(remove: unknown, values: Record<string, string>, allowAll: boolean): readonly string[] | "*" {
  if (remove === "*" && allowAll) return "*";
  if (!Array.isArray(remove)) throw new InputError(`remove must be an array of environment keys${allowAll ? ' or "*"' : ""}`);
  const seen = new Set<string>();
  for (const key of remove) {
    checkKey(key, "remove");
    if (seen.has(key)) throw new InputError(`remove: ${key} is listed twice`);
    if (Object.hasOwn(values, key)) throw new InputError(`${key} is both set and removed; do one or the other`);
    seen.add(key);
  }
  return [...seen];
}

/** Visible ASCII other than `"`, `'`, `,` and `\`: such a value is written as it is. */
const BARE = /^[\x21\x23-\x26\x28-\x2b\x2d-\x5b\x5d-\x7e]*$/;
const ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One value as the server's own encoder writes it: bare, or double-quoted with JSON escapes and `\uXXXX` for anything not printable ASCII. */
function quoteValue(value: string): string {
  if (BARE.test(value)) return value;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    out += ESCAPES[ch] ?? (code >= 0x20 && code <= 0x7e ? ch : `\\u${code.toString(16).padStart(4, "0")}`);
  }
  return `${out}"`;
}

/** The `spacetime-environment` header: `KEY=value` assignments in key order, comma-separated. */
export function environmentHeader(values: Record<string, string>): string | undefined {
  const keys = Object.keys(values).sort();
  return keys.length ? keys.map((key) => `${key}=${quoteValue(values[key]!)}`).join(", ") : undefined;
}

/** The `spacetime-environment-remove` header. */
export function removeHeader(remove: readonly string[] | "*"): string | undefined {
  return remove === "*" ? "*" : remove.length ? remove.join(", ") : undefined;
}

/** The `spacetime-environment` headers of a publish, and the values that are secrets of its request. */
export function publishHeaders(o: PublishEnvironmentOptions) {
  const values = o.environment === undefined ? {} : checkValues(o.environment);
  const remove = o.removeEnvironment === undefined ? [] : checkRemove(o.removeEnvironment, values, true);
  return { header: { spacetimeEnvironment: environmentHeader(values), spacetimeEnvironmentRemove: removeHeader(remove) }, secrets: Object.values(values) };
}

type ResultOf<K extends keyof OperationMethods> = ReturnType<OperationMethods[K]>;

/** setDatabaseEnvironment: the whole environment replaced by `values`. */
export function setEnvironment(ctx: ClientContext, nameOrIdentity: string, values: Readonly<Record<string, string>>, options?: SetDatabaseEnvironmentOptions): ResultOf<"setDatabaseEnvironment"> {
  const checked = checkValues(values);
  return sendSetDatabaseEnvironment(ctx, { secrets: Object.values(checked) }, nameOrIdentity, checked, options);
}

/** updateDatabaseEnvironment: `values` set and `remove`'s keys deleted, the rest kept. */
export function updateEnvironment(ctx: ClientContext, nameOrIdentity: string, values: Readonly<Record<string, string>>, options?: UpdateDatabaseEnvironmentOptions): ResultOf<"updateDatabaseEnvironment"> {
  const o = optionsObject(options);
  const checked = checkValues(values);
  const spacetimeEnvironmentRemove = removeHeader(checkRemove(o.remove ?? [], checked, false));
  return sendUpdateDatabaseEnvironment(ctx, { secrets: Object.values(checked) }, nameOrIdentity, checked, { ...o, spacetimeEnvironmentRemove });
}
