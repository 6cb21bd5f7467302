/**
 * One OpenAPI 3.1 schema (JSON Schema 2020-12) → an OpenAPI 3.0 Schema Object. SCHEMA_KEYWORDS lists
 * every keyword the converter knows and what becomes of it; any other keyword (but `x-` extensions,
 * copied as they are) is recorded as unhandled with its JSON pointer.
 */
import { child, type Context, isObject, plain } from "./context.js";

type Rule =
  /** 3.0 has it, with the same meaning: copied. */
  | "keep"
  /** A subschema; a map of name → subschema; a composition's subschema (`not`) or list of them (`allOf`…). */
  | "schema"
  | "schemaMap"
  | "branch"
  | "branches"
  /** A 3.1 form with a 3.0 equivalent: converted once the whole schema is read (see `finish`). */
  | "convert"
  /** No 3.0 form: dropped, and quoted in the schema's description so that readers still see it. */
  | "quote"
  /** Dropped without loss of meaning. */
  | "comment"
  /** Checked object copied as it is (`discriminator`, `xml`, `externalDocs`). */
  | ((value: unknown, ctx: Context, pointer: string) => unknown)
  /** No faithful 3.0 form: the conversion fails, saying why. */
  | { refuse: string };

const RESOLUTION = "changes how references resolve; this converter does not rewrite them";

const SCHEMA_KEYWORDS: Record<string, Rule> = {
  title: "keep",
  description: "keep",
  default: "keep",
  example: "keep",
  deprecated: "keep",
  readOnly: "keep",
  writeOnly: "keep",
  format: "keep",
  enum: "keep",
  required: "keep",
  multipleOf: "keep",
  maximum: "keep",
  minimum: "keep",
  maxLength: "keep",
  minLength: "keep",
  pattern: "keep",
  maxItems: "keep",
  minItems: "keep",
  uniqueItems: "keep",
  maxProperties: "keep",
  minProperties: "keep",
  allOf: "branches",
  anyOf: "branches",
  oneOf: "branches",
  not: "branch",
  properties: "schemaMap",
  additionalProperties: "schema",
  discriminator: plain("discriminator", ["propertyName", "mapping"]),
  xml: plain("xml", ["name", "namespace", "prefix", "attribute", "wrapped"]),
  externalDocs: plain("externalDocs", ["description", "url"]),
  $ref: "convert",
  type: "convert",
  const: "convert",
  examples: "convert",
  exclusiveMinimum: "convert",
  exclusiveMaximum: "convert",
  items: "convert",
  prefixItems: "convert",
  contentMediaType: "convert",
  contentEncoding: "convert",
  contentSchema: "convert",
  propertyNames: "quote",
  patternProperties: "quote",
  if: "quote",
  then: "quote",
  else: "quote",
  dependentRequired: "quote",
  dependentSchemas: "quote",
  unevaluatedItems: "quote",
  unevaluatedProperties: "quote",
  contains: "quote",
  minContains: "quote",
  maxContains: "quote",
  $comment: "comment",
  $schema: "comment",
  $id: { refuse: RESOLUTION },
  $anchor: { refuse: RESOLUTION },
  $dynamicRef: { refuse: RESOLUTION },
  $dynamicAnchor: { refuse: RESOLUTION },
  $defs: { refuse: RESOLUTION },
  $vocabulary: { refuse: "declares a vocabulary 3.0 does not have" },
};

const JSON_TYPES = ["null", "boolean", "object", "array", "number", "integer", "string"];

type Schema = Record<string, unknown>;

/**
 * Where a schema sits. A validator checks a `value` schema against the instance itself; a `branch`
 * (of `allOf`, `anyOf`, `oneOf`, `not`) only after its parent admitted the value. kin-openapi decides
 * `null` on the parent alone (`nullable`), so a branch needs no `nullable` of its own.
 */
type Position = "value" | "branch";

export function convertSchema(source: unknown, ctx: Context, pointer: string, position: Position = "value"): Schema {
  if (source === true || source === false) {
    ctx.record("booleanSchema", pointer);
    return source ? convertSchema({}, ctx, pointer, position) : { not: {} };
  }
  if (!isObject(source)) {
    ctx.unknown(pointer, "schema", "a schema must be an object or a boolean");
    return {};
  }
  const out: Schema = {};
  const quoted: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    const at = child(pointer, key);
    if (key.startsWith("x-")) {
      out[key] = structuredClone(value);
      continue;
    }
    const rule = Object.hasOwn(SCHEMA_KEYWORDS, key) ? SCHEMA_KEYWORDS[key] : undefined;
    if (rule === undefined) ctx.unknown(at, "schema");
    else if (typeof rule === "object") ctx.unknown(at, "schema", `no 3.0 form: ${key} ${rule.refuse}`);
    else if (typeof rule === "function") out[key] = rule(value, ctx, at);
    else if (rule === "keep") out[key] = structuredClone(value);
    else if (rule === "schema") out[key] = typeof value === "boolean" && key === "additionalProperties" ? value : convertSchema(value, ctx, at);
    else if (rule === "branch") out[key] = convertSchema(value, ctx, at, "branch");
    else if (rule === "branches") out[key] = list(value, ctx, at).map((s, i) => convertSchema(s, ctx, child(at, i), "branch"));
    else if (rule === "schemaMap") out[key] = map(value, ctx, at, (s, p) => convertSchema(s, ctx, p));
    else if (rule === "quote") quoted.push(`\`${key}: ${JSON.stringify(value)}\``);
    else if (rule === "comment") ctx.record("comment", at);
    else out[key] = undefined; // "convert": keeps the keyword's place for what it becomes (`type` stays `type`)
  }
  finish(source, out, ctx, pointer, position);
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  if (quoted.length > 0) {
    ctx.record("dropped", pointer);
    const note = `OpenAPI 3.1 constraints this 3.0 rendition cannot express: ${quoted.join(", ")}.`;
    out.description = typeof out.description === "string" ? `${out.description.trimEnd()}\n\n${note}` : note;
  }
  return wrapRef(source, out, ctx, pointer);
}

/** The 3.1 forms with a 3.0 equivalent, which may need several keywords at once. */
function finish(source: Schema, out: Schema, ctx: Context, pointer: string, position: Position): void {
  const types = typeList(source.type, ctx, child(pointer, "type"));
  const named = types?.filter((t) => t !== "null");
  if (types && named) {
    if (named.length === 1) {
      out.type = named[0];
      if (types.length > 1) ctx.record("typeNull", pointer);
    } else if (named.length === 0) {
      out.enum = [null];
      ctx.record("typeOnlyNull", pointer);
    } else {
      out.anyOf = [...(Array.isArray(out.anyOf) ? out.anyOf : []), ...named.map((type) => ({ type }))];
      ctx.record("typeMany", pointer);
    }
  }

  if ("const" in source) {
    if (Array.isArray(source.enum) && !source.enum.some((v) => JSON.stringify(v) === JSON.stringify(source.const)))
      ctx.unknown(child(pointer, "const"), "schema", "`const` outside `enum`: the schema accepts nothing");
    out.enum = [structuredClone(source.const)];
    ctx.record("const", pointer);
  }

  if ("examples" in source) {
    const examples = list(source.examples, ctx, child(pointer, "examples"));
    if (!("example" in source) && examples.length > 0) out.example = structuredClone(examples[0]);
    ctx.record("examples", pointer);
  }

  exclusiveBound(source, out, ctx, pointer, "exclusiveMinimum", "minimum", (a, b) => a > b);
  exclusiveBound(source, out, ctx, pointer, "exclusiveMaximum", "maximum", (a, b) => a < b);
  items(source, out, ctx, pointer);
  content(source, out, ctx, pointer);

  const pureRef = typeof source.$ref === "string" && Object.values(out).every((v) => v === undefined);
  if (position === "value" && !pureRef && acceptsNull(source, ctx)) {
    out.nullable = true;
    if (types === undefined) ctx.record("anyJson", pointer);
  }
}

function typeList(type: unknown, ctx: Context, pointer: string): string[] | undefined {
  if (type === undefined) return undefined;
  const types = Array.isArray(type) ? type : [type];
  if (types.length === 0 || !types.every((t) => typeof t === "string" && JSON_TYPES.includes(t))) {
    ctx.unknown(pointer, "schema", "`type` must be a JSON type or a list of them");
    return undefined;
  }
  return types as string[];
}

/** 3.1's numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (unless `minimum` is stricter). */
function exclusiveBound(source: Schema, out: Schema, ctx: Context, pointer: string, key: string, bound: string, stricter: (a: number, b: number) => boolean): void {
  if (!(key in source)) return;
  const value = source[key];
  if (typeof value !== "number") return ctx.unknown(child(pointer, key), "schema", `3.1's \`${key}\` is a number (the boolean is the 3.0 form)`);
  const other = source[bound];
  if (typeof other !== "number" || !stricter(other, value)) {
    out[bound] = value;
    out[key] = true;
  }
  ctx.record("exclusiveBound", pointer);
}

/** `items` (a schema or a boolean) and `prefixItems` (a tuple) → 3.0's one `items` schema. */
function items(source: Schema, out: Schema, ctx: Context, pointer: string): void {
  const at = child(pointer, "items");
  if ("prefixItems" in source) {
    const tuple = list(source.prefixItems, ctx, child(pointer, "prefixItems")).map((s, i) => convertSchema(s, ctx, child(child(pointer, "prefixItems"), i), "branch"));
    const rest = source.items === undefined || source.items === false ? [] : [convertSchema(source.items, ctx, at, "branch")];
    out.items = { anyOf: [...tuple, ...rest] };
    if (source.items === false) out.maxItems = Math.min(typeof out.maxItems === "number" ? out.maxItems : Infinity, tuple.length);
    ctx.record("prefixItems", pointer);
  } else if (source.items === false) {
    out.items = {};
    out.maxItems = 0;
    ctx.record("booleanSchema", at);
  } else if (source.items !== undefined) out.items = convertSchema(source.items, ctx, at);
  if (out.type === "array" && out.items === undefined) {
    out.items = convertSchema({}, ctx, at);
    ctx.record("arrayItems", pointer);
  }
}

/** A string's content: `contentMediaType`, `contentEncoding` and `contentSchema`. */
function content(source: Schema, out: Schema, ctx: Context, pointer: string): void {
  const binary = (format: string) => {
    if (out.format !== undefined) return;
    out.format = format;
    ctx.record("contentBinary", pointer);
  };
  if (typeof source.contentEncoding === "string") {
    out["x-contentEncoding"] = source.contentEncoding;
    binary(/^base64$/i.test(source.contentEncoding) ? "byte" : "binary");
  } else if ("contentEncoding" in source) ctx.unknown(child(pointer, "contentEncoding"), "schema", "`contentEncoding` must be a string");
  if (typeof source.contentMediaType === "string") {
    out["x-contentMediaType"] = source.contentMediaType;
    ctx.record("contentMediaType", pointer);
    if (!isText(source.contentMediaType)) binary("binary");
  } else if ("contentMediaType" in source) ctx.unknown(child(pointer, "contentMediaType"), "schema", "`contentMediaType` must be a string");
  if ("contentSchema" in source) {
    out["x-contentSchema"] = convertSchema(source.contentSchema, ctx, child(pointer, "contentSchema"));
    ctx.record("contentSchema", pointer);
  }
}

/** Text a generator should hand over as a string (text/*, JSON, XML); anything else as bytes or a stream. */
const isText = (mediaType: string) => /^text\/|^application\/(json|xml)\b|\+(json|xml)\b/i.test(mediaType);

/** 3.0 ignores a `$ref`'s siblings: `{$ref, …siblings}` → `{allOf: [{$ref}], …siblings}`. */
function wrapRef(source: Schema, out: Schema, ctx: Context, pointer: string): Schema {
  if (typeof source.$ref !== "string") {
    if ("$ref" in source) ctx.unknown(child(pointer, "$ref"), "schema", "`$ref` must be a string");
    return out;
  }
  if (ctx.resolve(source.$ref) === undefined) ctx.unknown(child(pointer, "$ref"), "schema", `\`${source.$ref}\` does not resolve inside the document`);
  const { allOf, ...siblings } = out;
  if (Object.keys(siblings).length === 0 && allOf === undefined) return { $ref: source.$ref };
  ctx.record("refSiblings", pointer);
  return { allOf: [{ $ref: source.$ref }, ...(Array.isArray(allOf) ? allOf : [])], ...siblings };
}

/**
 * Whether the 3.1 schema accepts `null`. A 3.1 schema accepts it unless a keyword rules it out;
 * a 3.0 schema (as kin-openapi reads it) only with `nullable: true`.
 */
function acceptsNull(schema: unknown, ctx: Context, refs: ReadonlySet<string> = new Set()): boolean {
  if (typeof schema === "boolean") return schema;
  if (!isObject(schema)) return false;
  const accepts = (s: unknown) => acceptsNull(s, ctx, refs);
  const { $ref, type } = schema;
  if (typeof $ref === "string" && (refs.has($ref) || !acceptsNull(ctx.resolve($ref), ctx, new Set(refs).add($ref)))) return false;
  if (type !== undefined && !(type === "null" || (Array.isArray(type) && type.includes("null")))) return false;
  if ("const" in schema && schema.const !== null) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every(accepts)) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some(accepts)) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter(accepts).length !== 1) return false;
  if ("not" in schema && accepts(schema.not)) return false;
  if ("if" in schema) {
    const branch = accepts(schema.if) ? schema.then : schema.else;
    if (branch !== undefined && !accepts(branch)) return false;
  }
  return true;
}

export function list(value: unknown, ctx: Context, pointer: string): unknown[] {
  if (Array.isArray(value)) return value;
  ctx.unknown(pointer, "list", "must be a list");
  return [];
}

export function map<T>(value: unknown, ctx: Context, pointer: string, each: (v: unknown, pointer: string, key: string) => T): Record<string, T> {
  if (!isObject(value)) {
    ctx.unknown(pointer, "map", "must be an object");
    return {};
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, each(v, child(pointer, k), k)]));
}
