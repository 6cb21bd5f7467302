/**
 * openapi-fetch's per-request serializers, driven by the generated operation table: path and query
 * values are checked against the spec's rules and encoded; bodies are written by the spec's media
 * kind. Anything wrong throws an InputError before a request exists.
 */
import { InputError, messageOf } from "./errors.js";
import type { BodyKind, OperationInfo, ValueRule } from "./operation-table.js";
import { escapeRegExp } from "./secrets.js";

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) regexCache.set(pattern, (re = new RegExp(pattern, "u")));
  return re;
}

function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/** Why `value` breaks `rule`, or undefined when it fits. */
export function checkValue(name: string, value: unknown, rule: ValueRule | undefined): string | undefined {
  if (!rule) return undefined;
  const types = rule.type === undefined ? [] : typeof rule.type === "string" ? [rule.type] : rule.type;
  if (types.includes("boolean")) {
    return typeof value === "boolean" ? undefined : `${name} must be true or false, not ${describe(value)}`;
  }
  if (types.includes("integer") || types.includes("number")) {
    const isInt = typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    if (!isInt && types.includes("integer")) return `${name} must be an integer, not ${describe(value)}`;
    if (!isInt && (typeof value !== "number" || Number.isNaN(value))) return `${name} must be a number, not ${describe(value)}`;
    const n = value as number | bigint;
    if (rule.minimum !== undefined && n < rule.minimum) return `${name} must be at least ${rule.minimum}, not ${n}`;
    if (rule.maximum !== undefined && n > rule.maximum) return `${name} must be at most ${rule.maximum}, not ${n}`;
    if (rule.enum && !rule.enum.includes(Number(n))) return `${name} must be one of ${rule.enum.join(", ")}, not ${n}`;
    return undefined;
  }
  // A bigint is written as its digits, as the JSON writer writes it (a u128 given as a bigint).
  const text = typeof value === "bigint" ? String(value) : value;
  if (typeof text !== "string") return `${name} must be a string, not ${describe(value)}`;
  return checkText(name, text, rule);
}

function checkText(name: string, value: string, rule: ValueRule): string | undefined {
  if (rule.enum && !rule.enum.includes(value)) return `${name} must be one of ${rule.enum.join(", ")}, not ${describe(value)}`;
  if (rule.pattern && !regex(rule.pattern).test(value)) return `${name} ${describe(value)} does not match ${rule.pattern}`;
  if (rule.notPattern && regex(rule.notPattern).test(value)) return `${name} ${describe(value)} must not match ${rule.notPattern}`;
  return undefined;
}

/** Throws an InputError when `value` breaks `rule`. */
export function assertValue(name: string, value: unknown, rule: ValueRule | undefined): void {
  const invalid = checkValue(name, value, rule);
  if (invalid) throw new InputError(invalid);
}

/** encodeURIComponent, with a lone UTF-16 surrogate (which has no UTF-8 form) as an InputError. */
function encode(name: string, value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    throw new InputError(`${name} cannot be written in a URL (a lone UTF-16 surrogate has no UTF-8 form)`);
  }
}

/**
 * Percent-encodes one path segment. Empty, `.` and `..` are refused: a URL parser would drop or
 * collapse them, so the request would reach another route.
 */
function encodeSegment(name: string, value: unknown, rule: ValueRule | undefined): string {
  if (typeof value !== "string") throw new InputError(`${name} must be a string, not ${describe(value)}`);
  if (value === "" || value === "." || value === "..") throw new InputError(`${name} must not be ${describe(value)}`);
  assertValue(name, value, rule);
  return encode(name, value);
}

export type PathSerializer = (pathname: string, params: Record<string, unknown>) => string;
export type QuerySerializer = (query: Record<string, unknown>) => string;

const pathSerializers = new WeakMap<OperationInfo, PathSerializer>();
const querySerializers = new WeakMap<OperationInfo, QuerySerializer>();

/**
 * Fills `{name}` in the path (one function per operation). An array value is a parameter that spans
 * segments (a module route's path): each segment is checked and encoded on its own.
 */
export function pathSerializer(op: OperationInfo): PathSerializer {
  let serialize = pathSerializers.get(op);
  if (serialize) return serialize;
  serialize = (pathname, params) => {
    let path = pathname;
    for (const name in op.pathParams) {
      const value = params[name];
      const rule = op.pathParams?.[name];
      const segment = Array.isArray(value) ? value.map((v) => encodeSegment(name, v, rule)).join("/") : encodeSegment(name, value, rule);
      path = path.replace(`{${name}}`, segment);
    }
    return path;
  };
  pathSerializers.set(op, serialize);
  return serialize;
}

/** `name=value&…` for the values that are set, each checked against the spec's rule (one function per operation). */
export function querySerializer(op: OperationInfo): QuerySerializer {
  let serialize = querySerializers.get(op);
  if (serialize) return serialize;
  serialize = (query) => {
    let search = "";
    for (const name in query) {
      const value = query[name];
      if (value === undefined) continue;
      assertValue(name, value, op.query?.[name]);
      search += `${search ? "&" : ""}${encode(name, name)}=${encode(name, String(value))}`;
    }
    return search;
  };
  querySerializers.set(op, serialize);
  return serialize;
}

/** Module bytes and other binary bodies. Any async iterable of bytes (e.g. a Node `Readable`) works too. */
export type BinaryBody = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export const isStreamBody = (value: unknown): value is ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> =>
  (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) ||
  (typeof value === "object" && value !== null && Symbol.asyncIterator in value);

/**
 * The one JSON writer: text as the server reads it, bigints as their exact digits and -0 as `-0`
 * (JSON.stringify refuses a bigint and writes -0 as 0; serde_json reads `-0` as the float -0.0).
 * Each such number becomes a marker string that no value can contain, then is replaced by its text.
 * `undefined` where JSON.stringify gives it (the value itself is undefined, a function or a symbol).
 */
export function writeJson(value: unknown, space?: number | string): string | undefined {
  // JSON.stringify without a replacer, where it writes the same text: several times faster.
  if (plain(value, 0)) return JSON.stringify(value, undefined, space);
  const numbers: string[] = [];
  const marker = `\u0000${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === "bigint" ? marker + (numbers.push(v.toString()) - 1) : v === 0 && Object.is(v, -0) ? marker + (numbers.push("-0") - 1) : v),
    space,
  );
  if (text === undefined || numbers.length === 0) return text;
  const quoted = escapeRegExp(JSON.stringify(marker).slice(1, -1));
  return text.replace(new RegExp(`"${quoted}(\\d+)"`, "g"), (_m, i: string) => numbers[Number(i)]!);
}

function json(value: unknown): string {
  let text: string | undefined;
  try {
    text = writeJson(value);
  } catch (e) {
    throw new InputError("the body cannot be written as JSON", { detail: messageOf(e) });
  }
  if (text === undefined) throw new InputError("the body must be a JSON value");
  return text;
}

/** Whether `value` is of JSON type `type` (as a schema's `type` names it). */
function isJsonOfType(value: unknown, type: string): boolean {
  switch (type) {
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));
    case "integer":
      return typeof value === "bigint" || Number.isInteger(value);
    case "number":
      return typeof value === "number" || typeof value === "bigint";
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

/**
 * The body as fetch takes it, by the spec's media kind, checked against the spec's rules for it (a
 * text body's pattern, a JSON body's top-level types and its items' rule). A stream is handed over by
 * `toStream`; anything else that is not bytes is an InputError.
 */
export function serializeBody(kind: BodyKind, value: unknown, spec: OperationInfo["body"], toStream: (value: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>) => BodyInit): BodyInit {
  const name = spec?.name ?? "the body";
  switch (kind) {
    case "text":
      if (typeof value !== "string") throw new InputError(`${name} must be a string, not ${describe(value)}`);
      assertValue(name, value, spec?.rule);
      return value;
    case "json":
      if (spec?.types?.length && !spec.types.some((type) => isJsonOfType(value, type))) {
        throw new InputError(`${name} must be ${spec.types.map((t) => (t === "object" ? "a plain object" : t === "array" ? "an array" : `a ${t}`)).join(" or ")}, not ${describe(value)}`);
      }
      if (spec?.items && Array.isArray(value)) value.forEach((item, i) => assertValue(`${name}[${i}]`, item, spec.items));
      return json(value);
    case "binary":
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value as BodyInit;
      if (typeof Blob !== "undefined" && value instanceof Blob) return value;
      if (isStreamBody(value)) return toStream(value);
      throw new InputError(`${name} must be a Uint8Array, ArrayBuffer, Blob, ReadableStream or async iterable of bytes`);
  }
}

/**
 * Whether JSON.stringify alone writes `value` as writeJson does: no bigint, no -0, and no `toJSON`
 * (on an object or a function; its result is not looked into here), over what JSON.stringify reads
 * (array indices, own enumerable keys). Past 64 levels it says no, and the careful path decides (and
 * refuses a cycle as JSON.stringify does). A getter or Proxy is read here and again by JSON.stringify.
 */
function plain(value: unknown, depth: number): boolean {
  if (typeof value === "number") return value !== 0 || !Object.is(value, -0);
  if (typeof value === "function") return typeof (value as { toJSON?: unknown }).toJSON !== "function";
  if (typeof value !== "object" || value === null) return typeof value !== "bigint";
  if (depth > 64 || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!plain(value[i], depth + 1)) return false;
    return true;
  }
  for (const key of Object.keys(value)) if (!plain((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}
