/**
 * An OpenAPI 3.1 document → OpenAPI 3.0.3. LOCATIONS lists, for each kind of object in a 3.1
 * document, every field it may have and what becomes of it; schemas follow schema.ts's table. A field
 * in neither table (but `x-` extensions, copied as they are) makes the conversion fail with its JSON
 * pointer, so a construct the converter does not know never slips through unconverted.
 */
import { type Change, changeText, child, Context, isObject, plain, pointerKey, type Unhandled } from "./context.js";
import { convertSchema, list, map } from "./schema.js";

type Convert = (value: unknown, ctx: Context, pointer: string) => unknown;
/** A field's conversion; `undefined` from it drops the field. */
interface Location {
  fields: Record<string, Convert>;
  /** Cross-field conversions, once every field is converted. */
  finish?: (out: Record<string, unknown>, source: Record<string, unknown>, ctx: Context, pointer: string) => void;
}

const keep: Convert = (value) => structuredClone(value);
const object = (location: string): Convert => (value, ctx, pointer) => walk(location, value, ctx, pointer);
const listOf = (location: string): Convert => (value, ctx, pointer) => list(value, ctx, pointer).map((v, i) => walk(location, v, ctx, child(pointer, i)));
const mapOf = (location: string): Convert => (value, ctx, pointer) => map(value, ctx, pointer, (v, p) => walk(location, v, ctx, p));
/** A map object that may also hold `x-` extensions (Paths, Responses). */
const extensibleMapOf = (location: string): Convert => (value, ctx, pointer) =>
  map(value, ctx, pointer, (v, p, key) => (key.startsWith("x-") ? structuredClone(v) : walk(location, v, ctx, p)));
const schema: Convert = (value, ctx, pointer) => convertSchema(value, ctx, pointer);
const schemaMap: Convert = (value, ctx, pointer) => map(value, ctx, pointer, (v, p) => convertSchema(v, ctx, p));
const externalDocs = plain("externalDocs", ["description", "url"]);

/** A field that holds either a Reference Object or an object of `location`. */
const refOr = (location: string): Convert => (value, ctx, pointer) => {
  if (!isObject(value) || !("$ref" in value)) return walk(location, value, ctx, pointer);
  const { $ref, summary, description, ...rest } = value;
  for (const key of Object.keys(rest)) if (!key.startsWith("x-")) ctx.unknown(child(pointer, key), "reference");
  const target = typeof $ref === "string" ? ctx.resolve($ref) : undefined;
  if (target === undefined) {
    ctx.unknown(child(pointer, "$ref"), "reference", `\`${String($ref)}\` does not resolve inside the document`);
    return value;
  }
  // 3.0's references take no siblings, and 3.0 has no components.pathItems: inline the target.
  const overrides = { ...(summary !== undefined && { summary }), ...(description !== undefined && { description }) };
  if (Object.keys(overrides).length > 0) {
    ctx.record("refOverride", pointer);
    ctx.inlined.add($ref as string);
    return walk(location, { ...(target as object), ...overrides }, ctx, pointer);
  }
  if (location === "pathItem" && ($ref as string).startsWith("#/components/pathItems/")) {
    ctx.record("pathItemRef", pointer);
    return walk(location, target, ctx, pointer);
  }
  return { $ref };
};

const parameterFields = {
  description: keep,
  required: keep,
  deprecated: keep,
  allowEmptyValue: keep,
  style: keep,
  explode: keep,
  allowReserved: keep,
  schema,
  example: keep,
  examples: mapOf("example|ref"),
  content: mapOf("mediaType"),
};
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const LOCATIONS: Record<string, Location> = {
  document: {
    fields: {
      openapi: (value, ctx, pointer) => {
        if (typeof value !== "string" || !/^3\.1\.\d+$/.test(value)) ctx.unknown(pointer, "document", "this converter reads OpenAPI 3.1.x");
        ctx.record("version", pointer);
        return "3.0.3";
      },
      info: object("info"),
      jsonSchemaDialect: (_value, ctx, pointer) => void ctx.record("dialect", pointer),
      servers: listOf("server"),
      paths: extensibleMapOf("pathItem|ref"),
      webhooks: (_value, ctx, pointer) => void ctx.record("webhooks", pointer),
      components: object("components"),
      security: keep,
      tags: listOf("tag"),
      externalDocs,
    },
    finish(out, source, ctx, pointer) {
      if (!("paths" in out)) {
        out.paths = {};
        ctx.record("noPaths", pointer);
      }
      if ("webhooks" in source) out["x-webhooks"] = mapOf("pathItem|ref")(source.webhooks, ctx, child(pointer, "webhooks"));
    },
  },
  info: {
    fields: {
      title: keep,
      summary: (_value, ctx, pointer) => void ctx.record("infoSummary", pointer),
      description: keep,
      termsOfService: keep,
      contact: plain("contact", ["name", "url", "email"]),
      license: object("license"),
      version: keep,
    },
    finish(out, source) {
      if (typeof source.summary === "string") out.description = [source.summary, out.description].filter((s) => typeof s === "string").join("\n\n");
    },
  },
  license: {
    fields: {
      name: keep,
      url: keep,
      identifier: (_value, ctx, pointer) => void ctx.record("licenseIdentifier", pointer),
    },
    finish(out, source) {
      if (typeof source.identifier === "string" && out.url === undefined) out.url = `https://spdx.org/licenses/${source.identifier}.html`;
    },
  },
  server: { fields: { url: keep, description: keep, variables: mapOf("serverVariable") } },
  serverVariable: { fields: { enum: keep, default: keep, description: keep } },
  tag: { fields: { name: keep, description: keep, externalDocs } },
  pathItem: {
    fields: {
      summary: keep,
      description: keep,
      ...Object.fromEntries(methods.map((m) => [m, object("operation")])),
      servers: listOf("server"),
      parameters: listOf("parameter|ref"),
    },
  },
  operation: {
    fields: {
      tags: keep,
      summary: keep,
      description: keep,
      externalDocs,
      operationId: keep,
      parameters: listOf("parameter|ref"),
      requestBody: object("requestBody|ref"),
      responses: extensibleMapOf("response|ref"),
      callbacks: mapOf("callback|ref"),
      deprecated: keep,
      security: keep,
      servers: listOf("server"),
    },
    finish(out, _source, ctx, pointer) {
      if (out.responses === undefined) {
        out.responses = { default: { description: "Not described in the OpenAPI 3.1 original." } };
        ctx.record("noResponses", pointer);
      }
    },
  },
  parameter: { fields: { name: keep, in: keep, ...parameterFields } },
  header: { fields: parameterFields },
  requestBody: { fields: { description: keep, content: mapOf("mediaType"), required: keep } },
  mediaType: { fields: { schema, example: keep, examples: mapOf("example|ref"), encoding: mapOf("encoding") } },
  encoding: { fields: { contentType: keep, headers: mapOf("header|ref"), style: keep, explode: keep, allowReserved: keep } },
  response: { fields: { description: keep, headers: mapOf("header|ref"), content: mapOf("mediaType"), links: mapOf("link|ref") } },
  example: { fields: { summary: keep, description: keep, value: keep, externalValue: keep } },
  link: { fields: { operationRef: keep, operationId: keep, parameters: keep, requestBody: keep, description: keep, server: object("server") } },
  callback: { fields: {} },
  components: {
    fields: {
      schemas: schemaMap,
      responses: mapOf("response|ref"),
      parameters: mapOf("parameter|ref"),
      examples: mapOf("example|ref"),
      requestBodies: mapOf("requestBody|ref"),
      headers: mapOf("header|ref"),
      securitySchemes: mapOf("securityScheme|ref"),
      links: mapOf("link|ref"),
      callbacks: mapOf("callback|ref"),
      // Referenced path items are inlined where they are used (refOr); the section itself goes.
      pathItems: (_value, ctx, pointer) => void ctx.record("pathItemsComponents", pointer),
    },
  },
  securityScheme: {
    fields: {
      type: (value, ctx, pointer) => {
        if (value === "mutualTLS") ctx.unknown(pointer, "securityScheme", "no 3.0 form: `mutualTLS` (dropping it would make operations look unauthenticated)");
        return value;
      },
      description: keep,
      name: keep,
      in: keep,
      scheme: keep,
      bearerFormat: keep,
      flows: object("oauthFlows"),
      openIdConnectUrl: keep,
    },
  },
  oauthFlows: { fields: Object.fromEntries(["implicit", "password", "clientCredentials", "authorizationCode"].map((f) => [f, object("oauthFlow")])) },
  oauthFlow: { fields: { authorizationUrl: keep, tokenUrl: keep, refreshUrl: keep, scopes: keep } },
};

/** Walks one object of a location (`name|ref`: it may also be a Reference Object). */
function walk(location: string, value: unknown, ctx: Context, pointer: string): unknown {
  const [name, ref] = location.split("|") as [string, string | undefined];
  if (ref) return refOr(name)(value, ctx, pointer);
  const spec = LOCATIONS[name]!;
  if (!isObject(value)) {
    ctx.unknown(pointer, name, `a ${name} must be an object`);
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const at = child(pointer, key);
    if (key.startsWith("x-")) out[key] = structuredClone(field);
    else if (name === "callback") out[key] = walk("pathItem|ref", field, ctx, at);
    else if (Object.hasOwn(spec.fields, key)) {
      const converted = spec.fields[key]!(field, ctx, at);
      if (converted !== undefined) out[key] = converted;
    } else ctx.unknown(at, name);
  }
  spec.finish?.(out, value, ctx, pointer);
  return out;
}

/**
 * A component the conversion inlined at every use is left unused: drop it (schemas are never inlined,
 * and the 3.1 original has no unused components: its lint forbids them).
 */
function dropInlinedOnly(document: Record<string, unknown>, ctx: Context): void {
  const used = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (isObject(node)) for (const [key, value] of Object.entries(node)) key === "$ref" && typeof value === "string" ? used.add(value) : collect(value);
  };
  collect(document);
  for (const ref of ctx.inlined) {
    const [, , section, name] = ref.split("/");
    const components = document.components;
    if (used.has(ref) || !isObject(components) || !isObject(components[section!])) continue;
    const entries = components[section!] as Record<string, unknown>;
    delete entries[pointerKey(name!)];
    if (Object.keys(entries).length === 0) delete components[section!];
    ctx.record("inlinedOnly", `#/components/${section}/${name}`);
  }
}

export interface Converted {
  document: Record<string, unknown>;
  /** Each change made, how often, and the first place (a JSON pointer into the 3.1 document). */
  changes: Map<Change, { count: number; first: string }>;
  unhandled: Unhandled[];
}

/** Converts without throwing: `unhandled` lists what the converter does not know. */
export function convertDocument(source: Record<string, unknown>): Converted {
  const ctx = new Context(source);
  const document = walk("document", source, ctx, "#") as Record<string, unknown>;
  dropInlinedOnly(document, ctx);
  if (isObject(document.info)) document.info.description = describe(document.info.description, ctx.changes);
  return { document, changes: ctx.changes, unhandled: ctx.unhandled };
}

/** Converts, or throws listing every keyword (by JSON pointer) the converter does not handle. */
export function convert(source: Record<string, unknown>): Converted {
  const converted = convertDocument(source);
  if (converted.unhandled.length > 0) {
    const lines = converted.unhandled.map((u) => `  ${u.pointer} (${u.location}): ${u.reason}`);
    throw new Error(`OpenAPI 3.0 conversion: ${converted.unhandled.length} construct(s) not handled:\n${lines.join("\n")}`);
  }
  return converted;
}

/** What a conversion did (each change with its count) and what 3.0 lost by it, as Markdown list items. */
export function changeLists(changes: Converted["changes"]): { done: string[]; lost: string[] } {
  return {
    done: [...changes].map(([change, { count }]) => `- ${changeText(change).did} (${count}×)`),
    lost: [...changes].flatMap(([change]) => changeText(change).lost ?? []).map((text) => `- ${text}`),
  };
}

/** The 3.0 file's info description: the original's, then what the conversion did and what it lost. */
function describe(original: unknown, changes: Converted["changes"]): string {
  const { done, lost } = changeLists(changes);
  return [
    typeof original === "string" ? original.trimEnd() : "",
    "## This is the OpenAPI 3.0 rendition",
    "Written by the package's build from the OpenAPI 3.1 original (`spacetimedb-http/openapi.json`), for " +
      "generators and validators that read 3.0. The conversion:",
    done.join("\n"),
    "What 3.0 cannot say, so this file does not:",
    lost.length > 0 ? lost.join("\n") : "- nothing",
  ]
    .filter((s) => s !== "")
    .join("\n\n")
    .concat("\n");
}
