/**
 * Database environment values: checked before anything is sent (keys, sizes, counts, a key both set
 * and removed), and written into the publish headers in the server's grammar. Values are secrets:
 * no message here ever quotes one.
 */
import { InputError, SpacetimeHttpError, optionsObject, type Header, type Query, type Result } from "./core/index.js";
import type { EnvironmentOptions, PublishNewOptions, Run, UpdateEnvironmentOptions } from "./client.js";
import type { OperationMethods } from "./generated/methods.js";

/** The result a method's generated signature declares. */
type ResultOf<K extends keyof OperationMethods> = Awaited<ReturnType<OperationMethods[K]>>;
import { schemaRules } from "./generated/operations.js";

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
function encodeValue(value: string): string {
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
  return keys.length ? keys.map((key) => `${key}=${encodeValue(values[key]!)}`).join(", ") : undefined;
}

/** The `spacetime-environment-remove` header. */
export function removeHeader(remove: readonly string[] | "*"): string | undefined {
  return remove === "*" ? "*" : remove.length ? remove.join(", ") : undefined;
}

/** A copy of `text` with every value of 4 characters or more replaced: values are secrets (shorter ones cannot be told from other text). */
export function redactValues(text: string, values: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(values)) if (value.length >= 4) out = out.split(value).join("[redacted]");
  return out;
}

/** The result, with every environment value redacted from a failure's message and body (a server may quote one back). */
export async function hidingValues<R extends Result<unknown, unknown>>(pending: Promise<R>, values: Record<string, string>): Promise<R> {
  const result = await pending;
  if (result.ok) return result;
  const { error } = result;
  const text = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x));
  const shows = (x: unknown) => x !== undefined && redactValues(text(x), values) !== text(x);
  if (!shows(error.message) && !shows(error.body) && !shows((error.cause as Error | undefined)?.message)) return result;
  const body = typeof error.body === "string" ? redactValues(error.body, values) : error.body === undefined ? undefined : (JSON.parse(redactValues(text(error.body), values)) as unknown);
  const clean = new SpacetimeHttpError({ kind: error.kind, operation: error.operation, status: error.status, body, message: redactValues(error.message, values) });
  return { ...result, error: clean };
}

const path = (nameOrIdentity: string) => ({ name_or_identity: nameOrIdentity });

/** The `spacetime-environment` headers of a publish, and the checked values to hide from its errors. */
export function publishHeaders(o: PublishNewOptions) {
  const values = o.environment === undefined ? {} : checkValues(o.environment);
  const remove = o.removeEnvironment === undefined ? [] : checkRemove(o.removeEnvironment, values, true);
  const header = { "spacetime-environment": environmentHeader(values), "spacetime-environment-remove": removeHeader(remove) };
  return { header: header satisfies Header<"publishDatabase"> & Header<"publishNewDatabase">, values, hiding: hidingValues };
}

/** setDatabaseEnvironment: the whole environment replaced by `values`. */
export function setEnvironment(run: Run, nameOrIdentity: string, values: Record<string, string>, options?: EnvironmentOptions) {
  const { expectedModuleHash } = optionsObject(options);
  const checked = checkValues(values);
  const query = { expected_module_hash: expectedModuleHash } satisfies Query<"setDatabaseEnvironment">;
  return hidingValues(
    run<ResultOf<"setDatabaseEnvironment">>("setDatabaseEnvironment", options, (api, init) => api.PUT("/v1/database/{name_or_identity}/environment", { ...init, params: { path: path(nameOrIdentity), query }, body: checked })),
    checked,
  );
}

/** updateDatabaseEnvironment: `values` set and `remove`'s keys deleted, the rest kept. */
export function updateEnvironment(run: Run, nameOrIdentity: string, values: Record<string, string>, options?: UpdateEnvironmentOptions) {
  const { expectedModuleHash, remove = [] } = optionsObject(options);
  const checked = checkValues(values);
  const header = { "spacetime-environment-remove": removeHeader(checkRemove(remove, checked, false)) } satisfies Header<"updateDatabaseEnvironment">;
  const query = { expected_module_hash: expectedModuleHash } satisfies Query<"updateDatabaseEnvironment">;
  return hidingValues(
    run<ResultOf<"updateDatabaseEnvironment">>("updateDatabaseEnvironment", options, (api, init) =>
      api.PATCH("/v1/database/{name_or_identity}/environment", { ...init, params: { path: path(nameOrIdentity), query, header }, body: checked }),
    ),
    checked,
  );
}
