/**
 * An index of the Rust items the route reader needs, per module: functions (with their
 * parameters), structs (with their fields and attributes), impl blocks, `use` imports, consts and
 * statics. Items under `#[cfg(test)]` are left out: tests build routers of their own.
 */
import { groupOf, identOf, isGroup, isIdent, isPunct, skipAngles, splitCommas, tokenize, type Token } from "./rust-tokens.js";

export interface Param {
  /** The pattern, e.g. `Query(Params { a, b })`, `self`, `ctx`. */
  pattern: Token[];
  type: Token[];
}

export interface FnDef {
  name: string;
  module: string;
  file: string;
  line: number;
  params: Param[];
  returns: Token[];
  body: Token[];
  /** For methods: the impl's type (for `Self`). */
  selfType?: string;
}

export interface FieldDef {
  name: string;
  type: Token[];
  attrs: Token[][];
  line: number;
}

export interface StructDef {
  name: string;
  module: string;
  file: string;
  line: number;
  attrs: Token[][];
  fields: FieldDef[];
}

export interface ImplDef {
  type: string;
  trait?: string;
  module: string;
  methods: Map<string, FnDef>;
}

export interface Module {
  id: string;
  file: string;
  fns: Map<string, FnDef>;
  structs: Map<string, StructDef>;
  /** `use` imports: local name → full path segments. */
  uses: Map<string, string[]>;
  /** `use path::*` imports. */
  globs: string[][];
  consts: Map<string, Token[]>;
}

export interface Crate {
  modules: Map<string, Module>;
  impls: ImplDef[];
}

/** `crates/client-api/src/routes/database.rs` → `spacetimedb_client_api::routes::database`. */
export function moduleIdOf(file: string): string | undefined {
  const m = /^crates\/([^/]+)\/src\/(.*)\.rs$/.exec(file);
  if (!m) return undefined;
  const crate = `spacetimedb_${m[1]!.replace(/-/g, "_")}`;
  const parts = m[2]!.split("/");
  const last = parts[parts.length - 1];
  if (last === "mod" || (parts.length === 1 && (last === "lib" || last === "main"))) parts.pop();
  return [crate, ...parts].join("::");
}

export function indexSources(files: Map<string, string>): Crate {
  const crate: Crate = { modules: new Map(), impls: [] };
  for (const [file, text] of files) {
    const id = moduleIdOf(file);
    if (!id) continue;
    let tokens: Token[];
    try {
      tokens = tokenize(text);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    readItems(tokens, id, file, crate);
  }
  return crate;
}

function moduleFor(crate: Crate, id: string, file: string): Module {
  let m = crate.modules.get(id);
  if (!m) {
    m = { id, file, fns: new Map(), structs: new Map(), uses: new Map(), globs: [], consts: new Map() };
    crate.modules.set(id, m);
  }
  return m;
}

const QUALIFIERS = new Set(["pub", "async", "const", "unsafe", "extern", "default"]);

/** Past visibility and qualifiers (`pub(crate)`, `async`, `unsafe`, `extern "C"`, `const fn`); `const NAME` is an item. */
function skipQualifiers(tokens: Token[], k: number): number {
  while (QUALIFIERS.has(identOf(tokens[k]) ?? "")) {
    if (isIdent(tokens[k], "const") && !isIdent(tokens[k + 1], "fn") && !isIdent(tokens[k + 1], "async") && !isIdent(tokens[k + 1], "unsafe")) break;
    k++;
    if (isGroup(tokens[k], "(")) k++;
    if (tokens[k]?.kind === "str") k++;
  }
  return k;
}

function readItems(tokens: Token[], moduleId: string, file: string, crate: Crate): void {
  const mod = moduleFor(crate, moduleId, file);
  let attrs: Token[][] = [];
  let k = 0;
  while (k < tokens.length) {
    const t = tokens[k]!;
    if (isPunct(t, "#")) {
      const inner = isPunct(tokens[k + 1], "!") ? 1 : 0;
      const group = groupOf(tokens[k + 1 + inner], "[");
      if (group && !inner) attrs.push(group.children);
      k += 2 + inner;
      continue;
    }
    const skip = attrs.some(isCfgTest);
    const itemAttrs = attrs;
    attrs = [];
    k = skipQualifiers(tokens, k);
    const kw = tokens[k];
    if (!kw) break;
    const end = itemEnd(tokens, k);
    if (!skip && kw.kind === "ident") {
      const item = tokens.slice(k, end);
      switch (kw.text) {
        case "fn": {
          const fn = readFn(item, moduleId, file);
          if (fn) mod.fns.set(fn.name, fn);
          break;
        }
        case "struct": {
          const s = readStruct(item, moduleId, file, itemAttrs);
          if (s) mod.structs.set(s.name, s);
          break;
        }
        case "impl":
          readImpl(item, moduleId, file, crate);
          break;
        case "mod": {
          const body = groupOf(item.find((x) => isGroup(x, "{")), "{");
          const name = identOf(item[1]);
          if (name && body) readItems(body.children, `${moduleId}::${name}`, file, crate);
          break;
        }
        case "use":
          readUse(item.slice(1), [], mod);
          break;
        case "const":
        case "static": {
          const nameAt = isIdent(item[1], "mut") ? 2 : 1;
          const eq = item.findIndex((x) => isPunct(x, "="));
          const name = identOf(item[nameAt]);
          if (name && eq > 0) mod.consts.set(name, item.slice(eq + 1, isPunct(item[item.length - 1], ";") ? -1 : undefined));
          break;
        }
      }
    }
    k = end;
  }
}

function isCfgTest(attr: Token[]): boolean {
  const args = groupOf(attr[1], "(");
  return isIdent(attr[0], "cfg") && args?.children.length === 1 && isIdent(args.children[0], "test");
}

/** The index past the item starting at `k`: after its `;`, or after its body braces. */
function itemEnd(tokens: Token[], k: number): number {
  const kw = tokens[k];
  const braced = isIdent(kw, "fn") || isIdent(kw, "impl") || isIdent(kw, "mod") || isIdent(kw, "trait") || isIdent(kw, "enum") || isIdent(kw, "struct") || isIdent(kw, "union") || isIdent(kw, "macro_rules");
  for (let j = k; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (isPunct(t, ";")) return j + 1;
    if (braced && isGroup(t, "{")) return j + 1;
    // `name! { … }` and `name! ( … );` at item level
    if (!braced && j === k + 2 && isPunct(tokens[k + 1], "!") && isGroup(t, "{")) return j + 1;
  }
  return tokens.length;
}

function readFn(item: Token[], module: string, file: string, selfType?: string): FnDef | undefined {
  const name = identOf(item[1]);
  if (!name) return undefined;
  let j = 2;
  if (isPunct(item[j], "<")) j = skipAngles(item, j);
  const params = groupOf(item[j], "(");
  if (!params) return undefined;
  const body = groupOf(item[item.length - 1], "{");
  const arrow = item.findIndex((x, idx) => idx > j && isPunct(x, "->"));
  const whereAt = item.findIndex((x, idx) => idx > j && isIdent(x, "where"));
  const returns = arrow > 0 ? item.slice(arrow + 1, whereAt > arrow ? whereAt : item.length - 1) : [];
  return {
    name,
    module,
    file,
    line: item[1]!.line,
    params: splitCommas(params.children, "types").map(readParam),
    returns,
    body: body?.children ?? [],
    ...(selfType ? { selfType } : {}),
  };
}

function readParam(tokens: Token[]): Param {
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (isPunct(tokens[k], "<")) depth++;
    else if (isPunct(tokens[k], ">")) depth--;
    else if (depth === 0 && isPunct(tokens[k], ":")) return { pattern: tokens.slice(0, k), type: tokens.slice(k + 1) };
  }
  return { pattern: tokens, type: [] }; // self, &self, mut self
}

function readStruct(item: Token[], module: string, file: string, attrs: Token[][]): StructDef | undefined {
  const name = identOf(item[1]);
  if (!name) return undefined;
  const body = groupOf(item.find((x) => isGroup(x, "{")), "{");
  const fields: FieldDef[] = [];
  if (body) {
    for (const part of splitCommas(body.children, "types")) {
      const fieldAttrs: Token[][] = [];
      let k = 0;
      for (let g = groupOf(part[k + 1], "["); isPunct(part[k], "#") && g; g = groupOf(part[k + 1], "[")) {
        fieldAttrs.push(g.children);
        k += 2;
      }
      if (isIdent(part[k], "pub")) k += isGroup(part[k + 1], "(") ? 2 : 1;
      const field = identOf(part[k]);
      if (field && isPunct(part[k + 1], ":")) {
        fields.push({ name: field, type: part.slice(k + 2), attrs: fieldAttrs, line: part[k]!.line });
      }
    }
  }
  return { name, module, file, line: item[1]!.line, attrs, fields };
}

/** The last identifier of a type path before its generics: `crate::x::Foo<S>` → `Foo`. */
export function typeName(tokens: Token[]): string | undefined {
  let last: string | undefined;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, "<")) break;
    if (t.kind === "ident" && t.text !== "dyn" && t.text !== "impl" && t.text !== "mut") last = t.text;
  }
  return last;
}

function readImpl(item: Token[], module: string, file: string, crate: Crate): void {
  const bodyAt = item.length - 1;
  const body = groupOf(item[bodyAt], "{");
  if (!body) return;
  let j = 1;
  if (isPunct(item[j], "<")) j = skipAngles(item, j);
  const whereAt = item.findIndex((x, idx) => idx >= j && isIdent(x, "where"));
  const head = item.slice(j, whereAt > 0 ? whereAt : bodyAt);
  const forAt = head.findIndex((x) => isIdent(x, "for"));
  const type = typeName(forAt >= 0 ? head.slice(forAt + 1) : head);
  if (!type) return;
  const impl: ImplDef = { type, module, methods: new Map() };
  if (forAt >= 0) {
    const trait = typeName(head.slice(0, forAt));
    if (trait) impl.trait = trait;
  }
  let attrs: Token[][] = [];
  const inner = body.children;
  let k = 0;
  while (k < inner.length) {
    const attr = isPunct(inner[k], "#") ? groupOf(inner[k + 1], "[") : undefined;
    if (attr) {
      attrs.push(attr.children);
      k += 2;
      continue;
    }
    const skip = attrs.some(isCfgTest);
    attrs = [];
    k = skipQualifiers(inner, k);
    const end = itemEnd(inner, k);
    if (!skip && isIdent(inner[k], "fn")) {
      const fn = readFn(inner.slice(k, end), module, file, type);
      if (fn) impl.methods.set(fn.name, fn);
    }
    k = end === k ? k + 1 : end;
  }
  crate.impls.push(impl);
}

/** `use a::b::{c, d as e, f::*};` → imports under their local names. */
function readUse(tokens: Token[], prefix: string[], mod: Module): void {
  const path = [...prefix];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === "ident") {
      const alias = isIdent(tokens[k + 1], "as") ? identOf(tokens[k + 2]) : undefined;
      if (alias) {
        mod.uses.set(alias, [...path, t.text]);
        return;
      }
      path.push(t.text);
    } else if (isPunct(t, "*")) {
      mod.globs.push(path);
      return;
    } else if (t.kind === "group") {
      for (const part of splitCommas(t.children, "types")) readUse(part, path, mod);
      return;
    } else if (isPunct(t, ";")) break;
  }
  const last = path[path.length - 1];
  if (last === "self") path.pop();
  if (path.length) mod.uses.set(path[path.length - 1]!, path);
}
