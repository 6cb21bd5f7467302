/**
 * The bindings generator: a module definition (the JSON of `GET …/schema?version=9|10`) in, the text of
 * one TypeScript file out. Same definition → same bytes. The file imports only the package's public
 * entry and calls one of its exports, `bindModule`, with the definition it embeds, so that its calls
 * never fetch the schema.
 *
 * Types follow what the SATS codec decodes (src/sats/types.ts): 64-bit and wider integers are bigint,
 * `Option<T>` is `T | undefined` (`{ some: … } | undefined` when T is an Option too), other sums are
 * `{ tag, value }` unions, Identity/ConnectionId/Uuid are strings, Timestamp is the SDK's class.
 */
import { parseJson } from "../sats/index.js";
import type { AlgebraicType, ProductType, SumType, Typespace } from "../sats/index.js";
import { isOptionType, nameOf, optionOf, specialOf, typeName } from "../sats/shape.js";
import { readModule, type ModuleModel } from "./model.js";
import { NameTable, RESERVED_TYPE_NAMES, camelCase, pascalCase, propertyKey } from "./names.js";

export interface GenerateOptions {
  /** The module specifier the generated file imports from. Default `"spacetimedb-http"`. */
  importFrom?: string;
}

/** The package's public entry, which generated files import. */
export const PACKAGE_NAME = "spacetimedb-http";

const NS = "__stdb";
const MAX_WIDTH = 110;

type Mode = "out" | "in";

interface Ctx {
  ts: Typespace;
  /** Typespace index → the generated type name that stands for it. */
  refNames: Map<number, string>;
}

/** Generates the bindings file for a module definition (an object, or its JSON text). */
export function generate(moduleDef: unknown, options: GenerateOptions = {}): string {
  const def = typeof moduleDef === "string" ? parseJson(moduleDef) : moduleDef;
  const model = readModule(def);
  return new Generator(model, options.importFrom ?? PACKAGE_NAME).run();
}

const escapeComment = (s: string) => s.replace(/\*\//g, "*\\/");

class Generator {
  private readonly ctx: Ctx;
  private readonly types = new NameTable(RESERVED_TYPE_NAMES);
  /** Declarations, in the order their names were claimed. */
  private readonly decls: string[] = [];
  /** Unnamed types that refer to themselves, named `Type<index>` when first met, declared at the end. */
  private readonly synthetic: { name: string; ref: number }[] = [];

  constructor(
    private readonly model: ModuleModel,
    private readonly importFrom: string,
  ) {
    this.ctx = { ts: model.typespace, refNames: new Map() };
  }

  run(): string {
    const { model } = this;
    const pending: { name: string; ref: number; doc: string }[] = [];

    // 1. One type per table row, named after the table (tables first: they get the plain names).
    for (const table of model.tables) {
      const name = this.types.claim(pascalCase(table.name));
      const doc = [
        `A row of the table \`${table.name}\`${table.isPublic ? "" : " (private: only the owner can read it)"}.`,
        ...(table.scheduledFunction !== undefined ? [`A scheduled table: each row schedules a call of \`${table.scheduledFunction}\`.`] : []),
        ...(table.isEvent === true ? ["An event table: its rows exist only during the transaction that inserts them."] : []),
      ].join(" ");
      pending.push({ name, ref: table.ref, doc });
    }
    // 2. Every named type of the typespace.
    const named = model.types.map((t) => ({ t, name: pascalCase(t.path.join("_")) }));
    for (const p of pending) {
      // A table whose row type is a named type of the same name: one declaration serves both.
      if (!this.ctx.refNames.has(p.ref)) this.ctx.refNames.set(p.ref, p.name);
    }
    const namedDecls: { name: string; ref: number; doc: string }[] = [];
    for (const { t, name: wanted } of named) {
      if (this.ctx.refNames.get(t.ref) === wanted && pending.some((p) => p.name === wanted)) continue;
      const name = this.types.claim(wanted);
      const doc = `The type \`${t.path.join("::")}\` of the module.`;
      if (!this.ctx.refNames.has(t.ref)) this.ctx.refNames.set(t.ref, name);
      namedDecls.push({ name, ref: t.ref, doc });
    }
    for (const p of [...pending, ...namedDecls]) this.declareRef(p.name, p.ref, p.doc);

    // 3. Views: a row type each.
    const viewRows: { member: string; name: string; row: string; selectable: boolean }[] = [];
    for (const view of model.views) {
      const name = this.types.claim(pascalCase(view.name));
      const el = this.viewElement(view.returnType);
      const doc = `A row of the view \`${view.name}\`.`;
      if (el !== undefined && "Ref" in el && !this.ctx.refNames.has(el.Ref)) {
        this.ctx.refNames.set(el.Ref, name);
        this.declareRef(name, el.Ref, doc);
      } else this.declare(name, el ?? view.returnType, doc);
      viewRows.push({ member: "", name: view.name, row: name, selectable: view.params.elements.length === 0 });
    }

    const out: string[] = [];

    // Reducers and procedures.
    const reducerMembers = new NameTable();
    const reducerSpec: [string, string][] = [];
    out.push("/** The module's callable reducers (lifecycle reducers left out). Each resolves to a Result and never throws. */");
    out.push("export interface ModuleReducers {");
    for (const r of this.callableReducers()) {
      const member = reducerMembers.claim(camelCase(r.name));
      reducerSpec.push([member, r.name]);
      out.push(`  /** Calls \`${escapeComment(r.name)}\`${this.signature(r.params)}.${r.isPublic === false ? " Private: only the owner and collaborators may call it." : ""} */`);
      out.push(`  ${propertyKey(member)}(${this.argsParam(r.params)}, options?: ${NS}.CallOptions): Promise<${NS}.Result<undefined>>;`);
    }
    out.push("}", "");

    const procMembers = new NameTable();
    const procSpec: [string, string][] = [];
    out.push("/** The module's procedures, each resolving to its typed return value. */");
    out.push("export interface ModuleProcedures {");
    for (const p of this.model.procedures) {
      const member = procMembers.claim(camelCase(p.name));
      procSpec.push([member, p.name]);
      const ret = this.typeOf(p.returnType, "out");
      out.push(`  /** Calls \`${escapeComment(p.name)}\`${this.signature(p.params)} → ${escapeComment(this.satsName(p.returnType))}. */`);
      out.push(`  ${propertyKey(member)}(${this.argsParam(p.params)}, options?: ${NS}.CallOptions): Promise<${NS}.Result<${ret}>>;`);
    }
    out.push("}", "");

    const tableMembers = new NameTable();
    const tableSpec: [string, string][] = [];
    out.push("/**");
    out.push(" * The module's tables. `select(where?)` runs `SELECT * FROM <table>`, with ` WHERE <where>` when given:");
    out.push(" * `where` is raw SQL sent as is, so pass only a condition you trust, never text from an untrusted user.");
    out.push(" */");
    out.push("export interface ModuleTables {");
    model.tables.forEach((t, i) => {
      const member = tableMembers.claim(camelCase(t.name));
      tableSpec.push([member, t.name]);
      out.push(`  ${propertyKey(member)}: ${NS}.BoundTable<${pending[i]!.name}>;`);
    });
    out.push("}", "");

    const viewMembers = new NameTable();
    const viewSpec: [string, string][] = [];
    out.push("/** The module's views (without parameters), queried by SQL like tables; `where` is raw SQL, as for tables. */");
    out.push("export interface ModuleViews {");
    for (const v of viewRows) {
      if (!v.selectable) continue;
      const member = viewMembers.claim(camelCase(v.name));
      viewSpec.push([member, v.name]);
      out.push(`  ${propertyKey(member)}: ${NS}.BoundTable<${v.row}>;`);
    }
    out.push("}", "");
    // An interface with no members, on one line.
    for (let i = 1; i < out.length; i++) if (out[i] === "}" && out[i - 1]!.endsWith(" {")) out.splice(i - 1, 2, `${out[i - 1]}}`);

    out.push("export interface ModuleBindings {");
    out.push("  reducers: ModuleReducers;", "  procedures: ModuleProcedures;", "  tables: ModuleTables;", "  views: ModuleViews;");
    out.push("}", "");

    out.push("/** The part of the module definition calls are checked and encoded against (no schema is fetched). */");
    out.push(`const moduleDef: unknown = ${printValue(this.embeddedDef(), 0)};`, "");
    const spec = { reducers: reducerSpec, procedures: procSpec, tables: tableSpec, views: viewSpec };
    out.push(`const spec: ${NS}.BindingSpec = ${printValue(spec, 0)};`, "");
    out.push(
      "/**",
      " * Binds the module to a client and a database: typed reducers, procedures, tables and views. Every call",
      " * is one request (the module's types are embedded) and resolves to a Result; none throws.",
      " */",
      `export function connect(client: ${NS}.BindableClient, database: string): ModuleBindings {`,
      "  return __bindModule<ModuleBindings>(client, database, moduleDef, spec);",
      "}",
      "",
    );
    // Unnamed recursive types met on the way get a declaration (and a name) of their own.
    for (let next = this.synthetic.shift(); next !== undefined; next = this.synthetic.shift())
      this.declareRef(next.name, next.ref, `An unnamed recursive type of the module (typespace index ${next.ref}).`);
    const head: string[] = [];
    head.push(
      "// This file was generated by `spacetimedb-http generate`. Do not edit it by hand: regenerate it,",
      "// and check that it is current with `spacetimedb-http generate --check`.",
      `// Module schema version ${model.version}: ${count(model.tables.length, "table")}, ${count(model.views.length, "view")}, ` +
        `${count(this.callableReducers().length, "callable reducer")}, ${count(model.procedures.length, "procedure")}.`,
      "/* eslint-disable */",
      "",
      `import { bindModule as __bindModule } from ${JSON.stringify(this.importFrom)};`,
      `import type * as ${NS} from ${JSON.stringify(this.importFrom)};`,
      "",
    );
    for (const d of this.decls) head.push(d, "");
    return [...head, ...out].join("\n");
  }

  private callableReducers() {
    return this.model.reducers.filter((r) => r.lifecycle === undefined);
  }

  /** The element type of a view's return type: `T`, `Option<T>` or `Vec<T>` → T. */
  private viewElement(t: AlgebraicType): AlgebraicType | undefined {
    if ("Array" in t) return t.Array;
    if ("Sum" in t) return optionOf(t.Sum);
    return t;
  }

  /** A V9-shaped definition with only what calls need: the typespace, callable reducers, procedures. */
  private embeddedDef(): unknown {
    return {
      typespace: this.model.typespace,
      tables: [],
      reducers: this.callableReducers().map((r) => ({ name: r.name, params: r.params, lifecycle: { none: [] } })),
      types: [],
      misc_exports: this.model.procedures.map((p) => ({ Procedure: { name: p.name, params: p.params, return_type: p.returnType } })),
      row_level_security: [],
    };
  }

  private signature(params: ProductType): string {
    return escapeComment(`(${params.elements.map((e, i) => `${nameOf(e.name) ?? i}: ${this.satsName(e.algebraic_type)}`).join(", ")})`);
  }

  /** A SATS type's name for doc comments: `U64`, `Option<String>`, a named type by its generated name. */
  private satsName(t: AlgebraicType, depth = 0): string {
    if ("Ref" in t) {
      const name = this.ctx.refNames.get(t.Ref);
      const target = this.ctx.ts.types[t.Ref];
      return name ?? (target === undefined || depth > 3 ? `Ref(${t.Ref})` : this.satsName(target, depth + 1));
    }
    if ("Array" in t) return `Array<${this.satsName(t.Array, depth + 1)}>`;
    if ("Sum" in t) {
      const some = optionOf(t.Sum);
      if (some !== undefined) return `Option<${this.satsName(some, depth + 1)}>`;
    }
    if ("Product" in t && specialOf(t.Product) === undefined && depth > 2) return "{ … }";
    if ("Product" in t && specialOf(t.Product) === undefined) {
      const els = t.Product.elements.map((e, i) => `${nameOf(e.name) ?? i}: ${this.satsName(e.algebraic_type, depth + 1)}`);
      return els.length === 0 ? "()" : `{ ${els.join(", ")} }`;
    }
    return typeName(t, this.ctx.ts);
  }

  /** `args: { a: T; b?: U | undefined }`; optional when there are no parameters. */
  private argsParam(params: ProductType): string {
    if (params.elements.length === 0) return "args?: Record<string, never>";
    const fields = params.elements.map((e, i) => {
      const key = propertyKey(nameOf(e.name) ?? String(i));
      const optional = isOptionType(e.algebraic_type, this.ctx.ts) ? "?" : "";
      return `${key}${optional}: ${this.typeOf(e.algebraic_type, "in")}`;
    });
    return `args: { ${fields.join("; ")} }`;
  }

  private declareRef(name: string, ref: number, doc: string): void {
    const t = this.ctx.ts.types[ref];
    if (t === undefined) {
      this.decls.push(`/** ${escapeComment(doc)} (type ${ref} is missing from the typespace) */\nexport type ${name} = unknown;`);
      return;
    }
    // The declaration of the ref's own name expands it; any other name is an alias of that one.
    const owner = this.ctx.refNames.get(ref);
    if (owner !== undefined && owner !== name) {
      this.decls.push(`/** ${escapeComment(doc)} */\nexport type ${name} = ${owner};`);
      return;
    }
    this.declare(name, t, doc);
  }

  private declare(name: string, t: AlgebraicType, doc: string): void {
    const head = `/** ${escapeComment(doc)} */\n`;
    if ("Product" in t && specialOf(t.Product) === undefined && t.Product.elements.length > 0) {
      const fields = t.Product.elements.map((e, i) => `  ${propertyKey(nameOf(e.name) ?? String(i))}: ${this.typeOf(e.algebraic_type, "out", new Set())};`);
      this.decls.push(`${head}export interface ${name} {\n${fields.join("\n")}\n}`);
      return;
    }
    if ("Sum" in t && optionOf(t.Sum) === undefined && t.Sum.variants.length > 0) {
      const variants = this.variants(t.Sum, "out", new Set()).map((v) => `  | ${v}`);
      this.decls.push(`${head}export type ${name} =\n${variants.join("\n")};`);
      return;
    }
    this.decls.push(`${head}export type ${name} = ${this.typeOf(t, "out", new Set())};`);
  }

  private variants(s: SumType, mode: Mode, seen: Set<number>): string[] {
    return s.variants.map((v, i) => `{ tag: ${JSON.stringify(nameOf(v.name) ?? String(i))}; value: ${this.typeOf(v.algebraic_type, mode, seen)} }`);
  }

  /** The TypeScript type of a SATS type, as the codec decodes it (`out`) or accepts it in arguments (`in`). */
  typeOf(t: AlgebraicType, mode: Mode, seen: Set<number> = new Set()): string {
    if ("Ref" in t) {
      const name = this.ctx.refNames.get(t.Ref);
      if (name !== undefined) return name;
      const target = this.ctx.ts.types[t.Ref];
      if (target === undefined) return "unknown";
      if (seen.has(t.Ref)) {
        // An unnamed type that refers to itself cannot be written inline: it gets a name.
        const synthetic = this.types.claim(`Type${t.Ref}`);
        this.ctx.refNames.set(t.Ref, synthetic);
        this.synthetic.push({ name: synthetic, ref: t.Ref });
        return synthetic;
      }
      return this.typeOf(target, mode, new Set([...seen, t.Ref]));
    }
    if ("Product" in t) {
      const special = specialOf(t.Product);
      if (special === "Timestamp") return mode === "in" ? `${NS}.Timestamp | Date` : `${NS}.Timestamp`;
      if (special !== undefined) return `${NS}.${special}`;
      if (t.Product.elements.length === 0) return "Record<string, never>";
      const fields = t.Product.elements.map((e, i) => `${propertyKey(nameOf(e.name) ?? String(i))}: ${this.typeOf(e.algebraic_type, mode, seen)}`);
      return `{ ${fields.join("; ")} }`;
    }
    if ("Sum" in t) {
      const some = optionOf(t.Sum);
      if (some !== undefined) {
        const inner = this.typeOf(some, mode, seen);
        return isOptionType(some, this.ctx.ts) ? `{ some: ${inner} } | undefined` : `${inner} | undefined`;
      }
      if (t.Sum.variants.length === 0) return "never";
      return this.variants(t.Sum, mode, seen).join(" | ");
    }
    if ("Array" in t) {
      if ("U8" in t.Array) return "Uint8Array";
      const el = this.typeOf(t.Array, mode, seen);
      return /^[\w$.]+$/.test(el) ? `${el}[]` : `Array<${el}>`;
    }
    if ("Bool" in t) return "boolean";
    if ("String" in t) return "string";
    if ("I64" in t || "U64" in t || "I128" in t || "U128" in t || "I256" in t || "U256" in t) return "bigint";
    return "number"; // I8…U32, F32, F64
  }
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** A JSON-like value as a TypeScript literal: one line when it fits, else one item a line, indented by two. */
export function printValue(v: unknown, indent: number, prefix = 0): string {
  const flat = printFlat(v);
  if (indent + prefix + flat.length <= MAX_WIDTH || typeof v !== "object" || v === null) return flat;
  const pad = " ".repeat(indent + 2);
  const close = " ".repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => `${pad}${printValue(x, indent + 2, 1)},`).join("\n")}\n${close}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${pad}${key(k)}: ${printValue(x, indent + 2, key(k).length + 3)},`).join("\n")}\n${close}}`;
}

/** `__proto__` as a computed key, so that the object gets an own property and keeps its prototype. */
const key = (k: string) => (k === "__proto__" ? '["__proto__"]' : propertyKey(k));

function printFlat(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "object" || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(printFlat).join(", ")}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([k, x]) => `${key(k)}: ${printFlat(x)}`).join(", ")} }`;
}
