/**
 * What a handler reads from the request besides its path: the query parameters of its
 * `Query<…>` extractor (the struct's fields as serde names them: `rename`, `rename_all`, `alias`,
 * `flatten`, `skip`) and the server's own `spacetime-*` request headers (typed headers, and header
 * names read in the handler, its custom extractors and the helpers they call).
 */
import { groupOf, identOf, isGroup, isIdent, isPunct, skipAngles, splitCommas, walk, type Token } from "./rust-tokens.js";
import { typeName, type FnDef, type StructDef } from "./rust-items.js";
import type { Resolver } from "./rust-resolve.js";

export interface Input {
  name: string;
  /** `file:line` where the server declares it. */
  where: string;
}

export interface HandlerInputs {
  query: Input[];
  /** The query is a map (`Query<HashMap<…>>`): any name is accepted. */
  anyQuery: boolean;
  headers: Input[];
}

/** Header names the comparison covers: the server's own (standard ones are the media types' business). */
export const SERVER_HEADER = /^spacetime-[a-z0-9-]+$/;

export function handlerInputs(fn: FnDef, names: Resolver): HandlerInputs {
  const inputs: HandlerInputs = { query: [], anyQuery: false, headers: [] };
  const seen = new Set<string>();
  for (const param of fn.params) {
    const query = wrapped(param.type, "Query");
    if (query) {
      const struct = names.struct(pathOf(query), fn.module);
      if (!struct) inputs.anyQuery = inputs.anyQuery || /Map$/.test(typeName(query) ?? "");
      else inputs.query.push(...serdeFields(struct, names));
    }
    const typed = wrapped(param.type, "TypedHeader");
    if (typed) addHeader(inputs, seen, headerName(pathOf(typed), fn.module, names), `${fn.file}:${fn.line}`);
    // A custom extractor: what its FromRequest/FromRequestParts impl reads counts as the handler's.
    const custom = typeName(param.type);
    if (custom && !query && !typed) {
      for (const impl of names.impls(custom, fn.module)) {
        if (impl.trait !== "FromRequest" && impl.trait !== "FromRequestParts") continue;
        for (const m of impl.methods.values()) headerReads(m, names, inputs, seen, new Set(), 0);
      }
    }
  }
  headerReads(fn, names, inputs, seen, new Set(), 0);
  return inputs;
}

function addHeader(inputs: HandlerInputs, seen: Set<string>, name: string | undefined, where: string): void {
  if (!name || !SERVER_HEADER.test(name) || seen.has(name)) return;
  seen.add(name);
  inputs.headers.push({ name, where });
}

/** The type argument of `Wrapper<…>` anywhere in a type (`Option<Query<T>>` → `T`). */
function wrapped(type: Token[], wrapper: string): Token[] | undefined {
  for (let k = 0; k < type.length; k++) {
    if (isIdent(type[k], wrapper) && isPunct(type[k + 1], "<")) return type.slice(k + 2, skipAngles(type, k + 1) - 1);
  }
  return undefined;
}

function pathOf(type: Token[]): string[] {
  const segments: string[] = [];
  for (const t of type) {
    if (isPunct(t, "<")) break;
    if (t.kind === "ident") segments.push(t.text);
  }
  return segments;
}

/** Deserialized field names of a struct, as serde reads them. */
function serdeFields(struct: StructDef, names: Resolver, depth = 0): Input[] {
  const renameAll = serdeOptions(struct.attrs).get("rename_all");
  const out: Input[] = [];
  for (const field of struct.fields) {
    const opts = serdeOptions(field.attrs);
    const where = `${struct.file}:${field.line}`;
    if (opts.has("skip") || opts.has("skip_deserializing")) continue;
    if (opts.has("flatten")) {
      const inner = names.struct(pathOf(field.type.filter((t) => !isIdent(t, "Option"))).slice(-1), struct.module);
      if (inner && depth < 5) out.push(...serdeFields(inner, names, depth + 1));
      continue;
    }
    out.push({ name: opts.get("rename") ?? renameField(field.name, renameAll), where });
    for (const alias of opts.getAll("alias")) out.push({ name: alias, where });
  }
  return out;
}

class Options {
  constructor(private readonly entries: [string, string][]) {}
  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }
  get(key: string): string | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }
  getAll(key: string): string[] {
    return this.entries.filter(([k]) => k === key).map(([, v]) => v);
  }
}

/** The `#[serde(…)]` options: `key = "value"`, flags, and `rename(deserialize = "…")`. */
function serdeOptions(attrs: Token[][]): Options {
  const entries: [string, string][] = [];
  for (const attr of attrs) {
    const args = isIdent(attr[0], "serde") ? groupOf(attr[1], "(") : undefined;
    if (!args) continue;
    for (const part of splitCommas(args.children, "types")) {
      const key = identOf(part[0]);
      if (!key) continue;
      if (isPunct(part[1], "=") && part[2]?.kind === "str") entries.push([key, part[2].text]);
      else if (isGroup(part[1], "(")) {
        const inner = splitCommas(groupOf(part[1], "(")!.children, "types").find((p) => isIdent(p[0], "deserialize"));
        if (inner?.[2]?.kind === "str") entries.push([key, inner[2].text]);
      } else entries.push([key, ""]);
    }
  }
  return new Options(entries);
}

/** serde's `rename_all` applied to a snake_case field name. */
export function renameField(name: string, rule: string | undefined): string {
  const words = name.split("_").filter(Boolean);
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  switch (rule) {
    case "lowercase":
      return name.toLowerCase();
    case "UPPERCASE":
      return name.toUpperCase();
    case "PascalCase":
      return words.map(cap).join("");
    case "camelCase":
      return words.map((w, i) => (i === 0 ? w : cap(w))).join("");
    case "SCREAMING_SNAKE_CASE":
      return name.toUpperCase();
    case "kebab-case":
      return words.join("-");
    case "SCREAMING-KEBAB-CASE":
      return words.join("-").toUpperCase();
    default:
      return name;
  }
}

/** The name a typed header declares: the string in its `Header::name()` (directly or via a const). */
function headerName(path: string[], from: string, names: Resolver): string | undefined {
  const type = path[path.length - 1];
  if (!type) return undefined;
  const nameFn = names.impls(type, from, "Header").map((i) => i.methods.get("name")).find(Boolean);
  if (!nameFn) return undefined;
  return firstString(nameFn.body, nameFn.module, names);
}

function firstString(tokens: Token[], module: string, names: Resolver, depth = 0): string | undefined {
  for (const { token } of walk(tokens)) if (token.kind === "str") return token.text;
  if (depth > 2) return undefined;
  for (const { token } of walk(tokens)) {
    const constant = token.kind === "ident" && /^[A-Z][A-Z0-9_]*$/.test(token.text) ? names.constant([token.text], module) : undefined;
    const found = constant && firstString(constant, module, names, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const READS = new Set(["get", "get_all", "contains_key", "typed_get", "typed_try_get"]);

/**
 * Header names a function reads: `headers.get("spacetime-…")` (or a const, or `X::name()`),
 * `headers.typed_get::<X>()`; and, two calls deep, what the crate's helpers it calls read.
 */
function headerReads(fn: FnDef, names: Resolver, inputs: HandlerInputs, seen: Set<string>, visited: Set<FnDef>, depth: number): void {
  if (visited.has(fn) || depth > 2) return;
  visited.add(fn);
  const where = (t: Token) => `${fn.file}:${t.line}`;
  for (const { token, siblings, index } of walk(fn.body)) {
    if (token.kind !== "ident") continue;
    const call = READS.has(token.text) && isPunct(siblings[index - 1], ".");
    if (call && token.text.startsWith("typed_") && isPunct(siblings[index + 1], "::") && isPunct(siblings[index + 2], "<")) {
      const type = siblings.slice(index + 3, skipAngles(siblings, index + 2) - 1);
      addHeader(inputs, seen, headerName(pathOf(type), fn.module, names), where(token));
      continue;
    }
    const args = call ? groupOf(siblings[index + 1], "(") : undefined;
    if (args) {
      const arg = args.children;
      if (arg[0]?.kind === "str") addHeader(inputs, seen, arg[0].text, where(token));
      else if (isIdent(arg[0]) && isPunct(arg[1], "::") && isIdent(arg[2], "name")) addHeader(inputs, seen, headerName([identOf(arg[0])!], fn.module, names), where(token));
      else if (isIdent(arg[0]) && arg.length === 1) {
        const constant = names.constant([identOf(arg[0])!], fn.module);
        if (constant) addHeader(inputs, seen, firstString(constant, fn.module, names), where(token));
      }
      continue;
    }
    // A helper in the indexed crates: `parse_env(&headers)`, `publish::read_headers(…)`.
    if (isGroup(siblings[index + 1], "(") && !isPunct(siblings[index - 1], ".")) {
      const path = [token.text];
      for (let j = index - 1; isPunct(siblings[j], "::") && isIdent(siblings[j - 1]); j -= 2) path.unshift(identOf(siblings[j - 1])!);
      const helper = names.fn(path, fn.module);
      if (helper) headerReads(helper, names, inputs, seen, visited, depth + 1);
    }
  }
}
