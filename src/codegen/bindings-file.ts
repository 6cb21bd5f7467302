/**
 * The bindings generator: a module definition (the JSON of `GET …/schema?version=9|10`) in, the text of
 * one TypeScript file out. Same definition → same bytes. The file imports only the package's public
 * entry and calls one of its exports, `bindModule`, with the definition it embeds, so that its calls
 * never fetch the schema.
 *
 * Types follow what the SATS codec decodes (src/sats/types.ts): 64-bit and wider integers are bigint,
 * `Option<T>` is `T | undefined` (`{ some: … } | undefined` when T is an Option too), other sums are
 * `{ tag, value }` unions, Identity/ConnectionId/Uuid are strings, Timestamp is the SDK's class.
 *
 * A definition comes from a server, so the output stays sound whatever it holds: survey.ts refuses what
 * cannot be written (naming why), an unnamed type is written inline only where it is used once and
 * not deep inside another (else it is declared once, as `Type<index>`), member names never make an
 * object thenable, and names and tags are escaped in comments and strings (escape.ts).
 */
import type { AlgebraicType, ModuleInfo, ProductType, SumType } from "../sats/index.js";
import { MAX_JSON_DEPTH, SatsError, parseJson, readModule, valueDepthExceeds } from "../sats/index.js";
import { isOptionType, nameOf, optionOf, specialOf, typeName } from "../sats/shape.js";
import { commentText, stringLiteral } from "./escape.js";
import { NameTable, RESERVED_MEMBER_NAMES, RESERVED_TYPE_NAMES, camelCase, pascalCase, propertyKey } from "./names.js";
import { printValue } from "./print-value.js";
import { surveyModule } from "./survey.js";

export interface GenerateOptions {
  /** The module specifier the generated file imports from. Default `"spacetimedb-http"`. */
  importFrom?: string;
}

/** The package's public entry, which generated files import. */
export const PACKAGE_NAME = "spacetimedb-http";

const NS = "__stdb";
/** How deep an unnamed type is still written inline; one deeper gets a declaration of its own. */
const INLINE_DEPTH = 16;

type Mode = "out" | "in";

/** Generates the bindings file for a module definition (an object, or its JSON text). */
export function generate(moduleDef: unknown, options: GenerateOptions = {}): string {
  const def = typeof moduleDef === "string" ? parseJson(moduleDef) : moduleDef;
  // An object is held to what parseJson holds a text to; then neither this generator's recursion nor
  // the compiler's, on the file it writes, goes deeper than that.
  if (valueDepthExceeds(def, MAX_JSON_DEPTH)) throw new SatsError(`the module definition nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
  return new BindingsFile(readModule(def), options.importFrom ?? PACKAGE_NAME).text();
}

class BindingsFile {
  private readonly types = new NameTable(RESERVED_TYPE_NAMES);
  /** Typespace index → the generated type name that stands for it. */
  private readonly refNames = new Map<number, string>();
  /** How many `Ref`s name each typespace index. */
  private readonly uses: number[];
  /** Declarations, in the order their names were claimed. */
  private readonly decls: string[] = [];
  /** Unnamed types given a name where they were met (`Type<index>`), declared at the end. */
  private readonly synthetic: { name: string; ref: number }[] = [];

  constructor(
    private readonly module: ModuleInfo,
    private readonly importFrom: string,
  ) {
    this.uses = surveyModule(module);
  }

  text(): string {
    const { module } = this;
    const tableRows: { name: string; ref: number; doc: string }[] = [];

    // 1. One type per table row, named after the table (tables first: they get the plain names).
    for (const table of module.tables) {
      const name = this.types.claim(pascalCase(table.name));
      const doc = [
        `A row of the table \`${table.name}\`${table.isPublic ? "" : " (private: only the owner can read it)"}.`,
        ...(table.scheduledFunction !== undefined ? [`A scheduled table: each row schedules a call of \`${table.scheduledFunction}\`.`] : []),
        ...(table.isEvent === true ? ["An event table: its rows exist only during the transaction that inserts them."] : []),
      ].join(" ");
      tableRows.push({ name, ref: table.ref, doc });
      if (!this.refNames.has(table.ref)) this.refNames.set(table.ref, name);
    }
    // 2. Every named type of the typespace.
    const tableNames = new Set(tableRows.map((t) => t.name));
    const namedTypes: { name: string; ref: number; doc: string }[] = [];
    for (const t of module.types) {
      const wanted = pascalCase(t.path.join("_"));
      // A table whose row type is a named type of the same name: one declaration serves both.
      if (this.refNames.get(t.ref) === wanted && tableNames.has(wanted)) continue;
      const name = this.types.claim(wanted);
      if (!this.refNames.has(t.ref)) this.refNames.set(t.ref, name);
      namedTypes.push({ name, ref: t.ref, doc: `The type \`${t.path.join("::")}\` of the module.` });
    }
    for (const d of [...tableRows, ...namedTypes]) this.declareRef(d.name, d.ref, d.doc);

    // 3. Views: a row type each.
    const viewRows: { name: string; row: string; selectable: boolean }[] = [];
    for (const view of module.views) {
      const name = this.types.claim(pascalCase(view.name));
      const el = this.viewElement(view.returnType);
      const doc = `A row of the view \`${view.name}\`.`;
      if (el !== undefined && "Ref" in el && !this.refNames.has(el.Ref)) {
        this.refNames.set(el.Ref, name);
        this.declareRef(name, el.Ref, doc);
      } else this.declare(name, el ?? view.returnType, doc);
      viewRows.push({ name: view.name, row: name, selectable: view.params.elements.length === 0 });
    }

    const out: string[] = [];

    // Reducers and procedures.
    const reducerMembers = new NameTable(RESERVED_MEMBER_NAMES);
    const reducerSpec: [string, string][] = [];
    out.push("/** The module's callable reducers (lifecycle reducers left out). Each resolves to a Result and never throws. */");
    out.push("export interface ModuleReducers {");
    for (const r of this.callableReducers()) {
      const member = reducerMembers.claim(camelCase(r.name));
      reducerSpec.push([member, r.name]);
      out.push(`  /** Calls \`${commentText(r.name)}\`${this.signature(r.params)}.${r.isPublic === false ? " Private: only the owner and collaborators may call it." : ""} */`);
      out.push(`  ${propertyKey(member)}(${this.argsParam(r.params)}, options?: ${NS}.CallOptions): Promise<${NS}.Result<undefined>>;`);
    }
    out.push("}", "");

    const procMembers = new NameTable(RESERVED_MEMBER_NAMES);
    const procSpec: [string, string][] = [];
    out.push("/** The module's procedures, each resolving to its typed return value. */");
    out.push("export interface ModuleProcedures {");
    for (const p of module.procedures) {
      const member = procMembers.claim(camelCase(p.name));
      procSpec.push([member, p.name]);
      const ret = this.typeOf(p.returnType, "out", 0);
      out.push(`  /** Calls \`${commentText(p.name)}\`${this.signature(p.params)} → ${commentText(this.satsName(p.returnType))}. */`);
      out.push(`  ${propertyKey(member)}(${this.argsParam(p.params)}, options?: ${NS}.CallOptions): Promise<${NS}.Result<${ret}>>;`);
    }
    out.push("}", "");

    const tableMembers = new NameTable(RESERVED_MEMBER_NAMES);
    const tableSpec: [string, string][] = [];
    out.push("/**");
    out.push(" * The module's tables. `select(where?)` runs `SELECT * FROM <table>`, with ` WHERE <where>` when given:");
    out.push(" * `where` is raw SQL sent as is, so pass only a condition you trust, never text from an untrusted user.");
    out.push(" */");
    out.push("export interface ModuleTables {");
    module.tables.forEach((t, i) => {
      const member = tableMembers.claim(camelCase(t.name));
      tableSpec.push([member, t.name]);
      out.push(`  ${propertyKey(member)}: ${NS}.BoundTable<${tableRows[i]!.name}>;`);
    });
    out.push("}", "");

    const viewMembers = new NameTable(RESERVED_MEMBER_NAMES);
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
    // Unnamed types named on the way get their declarations (which may name more).
    for (let i = 0; i < this.synthetic.length; i++) {
      const { name, ref } = this.synthetic[i]!;
      this.declareRef(name, ref, `An unnamed type of the module (typespace index ${ref}).`);
    }
    const head: string[] = [];
    head.push(
      "// This file was generated by `spacetimedb-http generate`. Do not edit it by hand: regenerate it,",
      "// and check that it is current with `spacetimedb-http generate --check`.",
      `// Module schema version ${module.version}: ${count(module.tables.length, "table")}, ${count(module.views.length, "view")}, ` +
        `${count(this.callableReducers().length, "callable reducer")}, ${count(module.procedures.length, "procedure")}.`,
      "/* eslint-disable */",
      "",
      `import { bindModule as __bindModule } from ${stringLiteral(this.importFrom)};`,
      `import type * as ${NS} from ${stringLiteral(this.importFrom)};`,
      "",
    );
    for (const d of this.decls) head.push(d, "");
    return [...head, ...out].join("\n");
  }

  private callableReducers() {
    return this.module.reducers.filter((r) => r.lifecycle === undefined);
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
      typespace: this.module.typespace,
      tables: [],
      reducers: this.callableReducers().map((r) => ({ name: r.name, params: r.params, lifecycle: { none: [] } })),
      types: [],
      misc_exports: this.module.procedures.map((p) => ({ Procedure: { name: p.name, params: p.params, return_type: p.returnType } })),
      row_level_security: [],
    };
  }

  private signature(params: ProductType): string {
    return commentText(`(${params.elements.map((e, i) => `${nameOf(e.name) ?? i}: ${this.satsName(e.algebraic_type)}`).join(", ")})`);
  }

  /** A SATS type's name for doc comments: `U64`, `Option<String>`, a named type by its generated name. */
  private satsName(t: AlgebraicType, depth = 0): string {
    if ("Ref" in t) {
      const name = this.refNames.get(t.Ref);
      return name ?? (depth > 3 ? `Ref(${t.Ref})` : this.satsName(this.module.typespace.types[t.Ref]!, depth + 1));
    }
    if (depth > 3) return "…";
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
    return typeName(t, this.module.typespace);
  }

  /** `args: { a: T; b?: U | undefined }`; optional when there are no parameters. */
  private argsParam(params: ProductType): string {
    if (params.elements.length === 0) return "args?: Record<string, never>";
    const fields = params.elements.map((e, i) => {
      const key = propertyKey(nameOf(e.name) ?? String(i));
      const optional = isOptionType(e.algebraic_type, this.module.typespace) ? "?" : "";
      return `${key}${optional}: ${this.typeOf(e.algebraic_type, "in", 1)}`;
    });
    return `args: { ${fields.join("; ")} }`;
  }

  private declareRef(name: string, ref: number, doc: string): void {
    // The declaration of the ref's own name expands it; any other name is an alias of that one.
    const owner = this.refNames.get(ref);
    if (owner !== undefined && owner !== name) {
      this.decls.push(`/** ${commentText(doc)} */\nexport type ${name} = ${owner};`);
      return;
    }
    this.declare(name, this.module.typespace.types[ref]!, doc);
  }

  private declare(name: string, t: AlgebraicType, doc: string): void {
    const head = `/** ${commentText(doc)} */\n`;
    if ("Product" in t && specialOf(t.Product) === undefined && t.Product.elements.length > 0) {
      const fields = t.Product.elements.map((e, i) => `  ${propertyKey(nameOf(e.name) ?? String(i))}: ${this.typeOf(e.algebraic_type, "out", 1)};`);
      this.decls.push(`${head}export interface ${name} {\n${fields.join("\n")}\n}`);
      return;
    }
    if ("Sum" in t && optionOf(t.Sum) === undefined && t.Sum.variants.length > 0) {
      const variants = this.variants(t.Sum, "out", 1).map((v) => `  | ${v}`);
      this.decls.push(`${head}export type ${name} =\n${variants.join("\n")};`);
      return;
    }
    this.decls.push(`${head}export type ${name} = ${this.typeOf(t, "out", 0)};`);
  }

  private variants(s: SumType, mode: Mode, depth: number): string[] {
    return s.variants.map((v, i) => `{ tag: ${stringLiteral(nameOf(v.name) ?? String(i))}; value: ${this.typeOf(v.algebraic_type, mode, depth)} }`);
  }

  /**
   * The TypeScript type of a SATS type, as the codec decodes it (`out`) or accepts it in arguments (`in`),
   * `depth` levels inside the declaration being written.
   */
  private typeOf(t: AlgebraicType, mode: Mode, depth: number): string {
    if ("Ref" in t) return this.refNames.get(t.Ref) ?? this.inlineOrName(t.Ref, mode, depth);
    if ("Product" in t) {
      const special = specialOf(t.Product);
      if (special === "Timestamp") return mode === "in" ? `${NS}.Timestamp | Date` : `${NS}.Timestamp`;
      if (special !== undefined) return `${NS}.${special}`;
      if (t.Product.elements.length === 0) return "Record<string, never>";
      const fields = t.Product.elements.map((e, i) => `${propertyKey(nameOf(e.name) ?? String(i))}: ${this.typeOf(e.algebraic_type, mode, depth + 1)}`);
      return `{ ${fields.join("; ")} }`;
    }
    if ("Sum" in t) {
      const some = optionOf(t.Sum);
      if (some !== undefined) {
        const inner = this.typeOf(some, mode, depth + 1);
        return isOptionType(some, this.module.typespace) ? `{ some: ${inner} } | undefined` : `${inner} | undefined`;
      }
      if (t.Sum.variants.length === 0) return "never";
      return this.variants(t.Sum, mode, depth + 1).join(" | ");
    }
    if ("Array" in t) {
      if ("U8" in t.Array) return "Uint8Array";
      const el = this.typeOf(t.Array, mode, depth + 1);
      return /^[\w$.]+$/.test(el) ? `${el}[]` : `Array<${el}>`;
    }
    if ("Bool" in t) return "boolean";
    if ("String" in t) return "string";
    if ("I64" in t || "U64" in t || "I128" in t || "U128" in t || "I256" in t || "U256" in t) return "bigint";
    return "number"; // I8…U32, F32, F64
  }

  /** An unnamed type is written where it is used if it is a primitive, or if that is its only use, and
   *  not too deep; else it gets a name (which also ends any recursion: a type that contains itself is
   *  used twice). */
  private inlineOrName(ref: number, mode: Mode, depth: number): string {
    const t = this.module.typespace.types[ref]!;
    const primitive = !("Product" in t || "Sum" in t || "Array" in t || "Ref" in t);
    if ((primitive || this.uses[ref] === 1) && depth < INLINE_DEPTH) return this.typeOf(t, mode, depth + 1);
    const name = this.types.claim(`Type${ref}`);
    this.refNames.set(ref, name);
    this.synthetic.push({ name, ref });
    return name;
  }
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
