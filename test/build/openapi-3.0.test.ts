/**
 * The OpenAPI 3.0 rendition (scripts/openapi-3.0.ts): the converter handles every keyword of the
 * current 3.1 bundle (a keyword it does not know fails with its JSON pointer), its output holds
 * nothing but OpenAPI 3.0.3 (checked against the 3.0.3 fields written out below, independently of
 * the converter's own table), and each conversion does what the README and the 3.0 file say.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convert, convertDocument } from "../../scripts/oas30/convert.js";
import { bundleSpec } from "../helpers/mock-server.js";

type Json = Record<string, unknown>;
const ROOT = resolve(import.meta.dirname, "../..");
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const child = (pointer: string, key: string | number) => `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;

let bundle: Json;
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-oas30-"));
  await bundleSpec({ output: join(dir, "bundle.json"), cwd: ROOT });
  bundle = JSON.parse(await readFile(join(dir, "bundle.json"), "utf8")) as Json;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

// --- OpenAPI 3.0.3, written out from the specification (not from the converter's table)

const SCHEMA_30 = [
  "title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
  "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "enum", "type", "allOf", "oneOf",
  "anyOf", "not", "items", "properties", "additionalProperties", "description", "format", "default", "nullable",
  "discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "deprecated",
];
const PARAMETER_30 = ["description", "required", "deprecated", "allowEmptyValue", "style", "explode", "allowReserved", "schema", "example", "examples", "content"];
/** Each 3.0.3 object: its fields, and the kind of object under each field that holds objects (`[]` a list, `{}` a map, `?` or a Reference Object). */
const OAS_30: Record<string, Record<string, string | null>> = {
  document: { openapi: null, info: "info", servers: "[]server", paths: "{}pathItem", components: "components", security: null, tags: "[]tag", externalDocs: "externalDocs" },
  info: { title: null, description: null, termsOfService: null, contact: "contact", license: "license", version: null },
  contact: { name: null, url: null, email: null },
  license: { name: null, url: null },
  server: { url: null, description: null, variables: "{}serverVariable" },
  serverVariable: { enum: null, default: null, description: null },
  components: {
    schemas: "{}?schema", responses: "{}?response", parameters: "{}?parameter", examples: "{}?example", requestBodies: "{}?requestBody",
    headers: "{}?header", securitySchemes: "{}?securityScheme", links: "{}?link", callbacks: "{}?callback",
  },
  pathItem: {
    $ref: null, summary: null, description: null, servers: "[]server", parameters: "[]?parameter",
    ...Object.fromEntries(["get", "put", "post", "delete", "options", "head", "patch", "trace"].map((m) => [m, "operation"])),
  },
  operation: {
    tags: null, summary: null, description: null, externalDocs: "externalDocs", operationId: null, parameters: "[]?parameter",
    requestBody: "?requestBody", responses: "{}?response", callbacks: "{}?callback", deprecated: null, security: null, servers: "[]server",
  },
  externalDocs: { description: null, url: null },
  parameter: { name: null, in: null, ...Object.fromEntries(PARAMETER_30.map((f) => [f, null])), schema: "?schema", examples: "{}?example", content: "{}mediaType" },
  header: { ...Object.fromEntries(PARAMETER_30.map((f) => [f, null])), schema: "?schema", examples: "{}?example", content: "{}mediaType" },
  requestBody: { description: null, content: "{}mediaType", required: null },
  mediaType: { schema: "?schema", example: null, examples: "{}?example", encoding: "{}encoding" },
  encoding: { contentType: null, headers: "{}?header", style: null, explode: null, allowReserved: null },
  response: { description: null, headers: "{}?header", content: "{}mediaType", links: "{}?link" },
  example: { summary: null, description: null, value: null, externalValue: null },
  link: { operationRef: null, operationId: null, parameters: null, requestBody: null, description: null, server: "server" },
  tag: { name: null, description: null, externalDocs: "externalDocs" },
  securityScheme: { type: null, description: null, name: null, in: null, scheme: null, bearerFormat: null, flows: "oauthFlows", openIdConnectUrl: null },
  oauthFlows: { implicit: "oauthFlow", password: "oauthFlow", clientCredentials: "oauthFlow", authorizationCode: "oauthFlow" },
  oauthFlow: { authorizationUrl: null, tokenUrl: null, refreshUrl: null, scopes: null },
  discriminator: { propertyName: null, mapping: null },
  xml: { name: null, namespace: null, prefix: null, attribute: null, wrapped: null },
  schema: {
    ...Object.fromEntries(SCHEMA_30.map((f) => [f, null])),
    allOf: "[]?schema", oneOf: "[]?schema", anyOf: "[]?schema", not: "?schema", items: "?schema", properties: "{}?schema",
    discriminator: "discriminator", xml: "xml", externalDocs: "externalDocs",
  },
};
const TYPES_30 = ["string", "number", "integer", "boolean", "array", "object"];

/** Every place in `doc` that is not OpenAPI 3.0.3, as `pointer: what`. */
function not30(doc: Json): string[] {
  const problems: string[] = [];
  const visit = (kind: string, value: unknown, pointer: string): void => {
    if (kind.startsWith("[]")) return void (Array.isArray(value) ? value.forEach((v, i) => visit(kind.slice(2), v, child(pointer, i))) : problems.push(`${pointer}: not a list`));
    if (kind.startsWith("{}")) {
      if (!isObject(value)) return void problems.push(`${pointer}: not a map`);
      for (const [k, v] of Object.entries(value)) if (!(k.startsWith("x-") && (kind === "{}pathItem" || kind === "{}?response"))) visit(kind.slice(2), v, child(pointer, k));
      return;
    }
    if (!isObject(value)) return void problems.push(`${pointer}: not an object`);
    if (kind.startsWith("?") && "$ref" in value) {
      if (Object.keys(value).length > 1) problems.push(`${pointer}: $ref with siblings (${Object.keys(value).join(", ")})`);
      return;
    }
    const name = kind.replace(/^\?/, "");
    const fields = OAS_30[name]!;
    for (const [key, field] of Object.entries(value)) {
      const at = child(pointer, key);
      if (key.startsWith("x-")) continue;
      if (!Object.hasOwn(fields, key)) problems.push(`${at}: not a field of a 3.0 ${name}`);
      else if (fields[key]) visit(fields[key]!, field, at);
    }
    if (name === "schema") {
      if ("type" in value && !TYPES_30.includes(value.type as string)) problems.push(`${child(pointer, "type")}: ${JSON.stringify(value.type)} is not a 3.0 type`);
      for (const k of ["exclusiveMinimum", "exclusiveMaximum", "nullable"]) if (k in value && typeof value[k] !== "boolean") problems.push(`${child(pointer, k)}: not a boolean`);
      if ("additionalProperties" in value && typeof value.additionalProperties !== "boolean") visit("?schema", value.additionalProperties, child(pointer, "additionalProperties"));
      if (value.type === "array" && !("items" in value)) problems.push(`${pointer}: an array without items`);
    }
  };
  if (doc.openapi !== "3.0.3") problems.push(`#/openapi: ${String(doc.openapi)}`);
  visit("document", doc, "#");
  return problems;
}

/** Every `$ref` in the document that does not resolve inside it. */
function danglingRefs(doc: Json): string[] {
  const found: string[] = [];
  const resolves = (ref: string) =>
    ref.startsWith("#/") &&
    ref
      .slice(2)
      .split("/")
      .reduce<unknown>((node, part) => (isObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), doc) !== undefined;
  const walk = (v: unknown, pointer: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, child(pointer, i)));
    else if (isObject(v)) {
      if (typeof v.$ref === "string" && !resolves(v.$ref)) found.push(`${pointer}: ${v.$ref}`);
      for (const [k, x] of Object.entries(v)) walk(x, child(pointer, k));
    }
  };
  walk(doc, "#");
  return found;
}

describe("the converter on the current spec", () => {
  it("handles every keyword of the bundled 3.1 spec (the walk names each one it does not know)", () => {
    expect(convertDocument(bundle).unhandled).toEqual([]);
  });

  it("writes nothing but OpenAPI 3.0.3: no 3.1-only keyword or form is left, every $ref resolves", () => {
    const { document } = convert(bundle);
    expect(not30(document)).toEqual([]);
    expect(danglingRefs(document)).toEqual([]);
  });

  it("appends what it did and what 3.0 loses to the info description", () => {
    const { document, changes } = convert(bundle);
    const description = (document.info as Json).description as string;
    expect(description.startsWith((bundle.info as Json).summary as string)).toBe(true);
    expect(description).toContain(((bundle.info as Json).description as string).trim());
    expect(description).toContain("## This is the OpenAPI 3.0 rendition");
    expect(description).toMatch(/`type: \[X, "null"\]` → `type: X` with `nullable: true` \(\d+×\)/);
    expect(description).toContain("What 3.0 cannot say");
    expect(changes.get("typeNull")?.count).toBeGreaterThan(0);
  });
});

it("the README's section on other languages names both renditions, what 3.0 loses and how it is checked", async () => {
  const readme = await readFile(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The spec, for other languages"), readme.indexOf("\n## ", readme.indexOf("## The spec, for other languages") + 1));
  for (const name of ["spacetimedb-http/openapi.json", "spacetimedb-http/openapi.yaml", "spacetimedb-http/openapi-3.0.json", "spacetimedb-http/openapi-3.0.yaml"]) expect(section).toContain(name);
  for (const words of ["What 3.0 loses", "npm run lint:spec", "npm run check:go", "kin-openapi"]) expect(section).toContain(words);
});

describe("the keyword walk fails on what it does not know", () => {
  it("names each unknown or refused keyword by its JSON pointer, in any kind of object", () => {
    const copy = structuredClone(bundle) as Json & { paths: Record<string, Json>; components: { schemas: Record<string, Json> } };
    const logs = copy.paths["/v1/database/{name_or_identity}/logs"]!.get as Json & { responses: Record<string, Json & { content: Record<string, Json> }> };
    logs.responses["200"]!.content["application/x-ndjson"]!.itemSchema = { $ref: "#/components/schemas/LogRecord" }; // OpenAPI 3.2
    logs.summry = "a typo";
    copy.components.schemas.LogRecord!.$dynamicRef = "#meta";
    (copy.components.schemas.LogRecord!.properties as Record<string, Json>).level!.nullable = true; // 3.0's word, not 3.1's
    const { unhandled } = convertDocument(copy);
    expect(unhandled.map((u) => u.pointer).sort()).toEqual([
      "#/components/schemas/LogRecord/$dynamicRef",
      "#/components/schemas/LogRecord/properties/level/nullable",
      "#/paths/~1v1~1database~1{name_or_identity}~1logs/get/responses/200/content/application~1x-ndjson/itemSchema",
      "#/paths/~1v1~1database~1{name_or_identity}~1logs/get/summry",
    ]);
    expect(unhandled.find((u) => u.pointer.endsWith("$dynamicRef"))?.reason).toMatch(/no 3\.0 form/);
    expect(() => convert(copy)).toThrow(/4 construct\(s\) not handled:\n(.*\n)* {2}#\/paths\/~1v1~1database~1\{name_or_identity\}~1logs\/get\/summry \(operation\)/);
  });
});

/** A minimal 3.1 document with these schemas, converted; returns the converted schemas. */
function schemas(input: Record<string, unknown>): Record<string, Json> {
  const doc = { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {}, components: { schemas: input } };
  return (convert(doc).document.components as { schemas: Record<string, Json> }).schemas;
}

describe("each conversion", () => {
  it.each<[string, unknown, unknown]>([
    ["type: [X, null] → nullable", { type: ["string", "null"], maxLength: 3 }, { type: "string", maxLength: 3, nullable: true }],
    ["type: null → nullable enum [null]", { type: "null" }, { enum: [null], nullable: true }],
    ["several types → anyOf", { type: ["string", "number"] }, { anyOf: [{ type: "string" }, { type: "number" }] }],
    ["several types and null → anyOf, nullable", { type: ["string", "integer", "null"] }, { anyOf: [{ type: "string" }, { type: "integer" }], nullable: true }],
    ["const → single-value enum", { type: "string", const: "2.0" }, { type: "string", enum: ["2.0"] }],
    ["const null → enum [null], nullable", { const: null }, { enum: [null], nullable: true }],
    ["examples → example (the first)", { type: "integer", examples: [1, 2] }, { type: "integer", example: 1 }],
    ["examples beside example → example kept", { type: "integer", example: 7, examples: [1] }, { type: "integer", example: 7 }],
    ["numeric exclusiveMinimum → boolean form", { type: "number", exclusiveMinimum: 0 }, { type: "number", minimum: 0, exclusiveMinimum: true }],
    ["exclusiveMaximum beside a stricter maximum", { type: "number", maximum: 5, exclusiveMaximum: 10 }, { type: "number", maximum: 5 }],
    ["$ref with siblings → allOf", { $ref: "#/components/schemas/N", description: "d" }, { allOf: [{ $ref: "#/components/schemas/N" }], description: "d" }],
    ["$ref alone stays", { $ref: "#/components/schemas/N" }, { $ref: "#/components/schemas/N" }],
    ["$ref to a schema that accepts null, with siblings → nullable", { $ref: "#/components/schemas/Any", title: "t" }, { allOf: [{ $ref: "#/components/schemas/Any" }], title: "t", nullable: true }],
    ["any JSON → nullable", { description: "anything" }, { description: "anything", nullable: true }],
    ["typeless but not null → no nullable", { enum: ["a", 1] }, { enum: ["a", 1] }],
    ["branches of a composition get no nullable (the parent decides null)", { type: "string", not: { pattern: "^0+$" } }, { type: "string", not: { pattern: "^0+$" } }],
    ["oneOf with one null branch → nullable", { oneOf: [{ type: "null" }, { type: "string" }] }, { oneOf: [{ enum: [null] }, { type: "string" }], nullable: true }],
    ["binary content → format: binary", { type: "string", contentMediaType: "application/wasm" }, { type: "string", "x-contentMediaType": "application/wasm", format: "binary" }],
    ["text content stays a string", { type: "string", contentMediaType: "text/csv" }, { type: "string", "x-contentMediaType": "text/csv" }],
    ["base64 → format: byte", { type: "string", contentEncoding: "base64" }, { type: "string", "x-contentEncoding": "base64", format: "byte" }],
    [
      "contentSchema → x-contentSchema, converted",
      { type: "string", contentMediaType: "application/x-ndjson", contentSchema: { type: "array", items: { type: ["integer", "null"] } } },
      { type: "string", "x-contentMediaType": "application/x-ndjson", format: "binary", "x-contentSchema": { type: "array", items: { type: "integer", nullable: true } } },
    ],
    ["boolean subschemas", { type: "object", properties: { a: true, b: false } }, { type: "object", properties: { a: { nullable: true }, b: { not: {} } } }],
    ["items: false → an empty array", { type: "array", items: false }, { type: "array", items: {}, maxItems: 0 }],
    ["an array without items → items: any JSON", { type: "array" }, { type: "array", items: { nullable: true } }],
    [
      "prefixItems → items: anyOf, and the tuple's length",
      { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false },
      { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] }, maxItems: 2 },
    ],
    [
      "keywords 3.0 cannot say → dropped, quoted in the description",
      { type: "object", description: "Env.", propertyNames: { pattern: "^[A-Z]+$" } },
      { type: "object", description: 'Env.\n\nOpenAPI 3.1 constraints this 3.0 rendition cannot express: `propertyNames: {"pattern":"^[A-Z]+$"}`.' },
    ],
    ["$comment and $schema dropped", { type: "string", $comment: "c", $schema: "https://json-schema.org/draft/2020-12/schema" }, { type: "string" }],
    ["extensions copied as they are", { type: "string", "x-since": { type: ["a", "null"] } }, { type: "string", "x-since": { type: ["a", "null"] } }],
  ])("%s", (_name, input, expected) => {
    expect(schemas({ S: input, N: { type: "integer" }, Any: {} }).S).toEqual(expected);
  });

  it("refuses a 3.0 boolean exclusiveMinimum and a type that is not a JSON type", () => {
    const doc = { openapi: "3.1.0", info: { title: "t", version: "1" }, components: { schemas: { A: { exclusiveMinimum: true }, B: { type: "int" } } } };
    expect(convertDocument(doc).unhandled.map((u) => u.pointer)).toEqual(["#/components/schemas/A/exclusiveMinimum", "#/components/schemas/B/type"]);
  });

  it("converts the document's 3.1-only parts: version, info.summary, license.identifier, webhooks, pathItems, references with a description (a component left unused by that is dropped)", () => {
    const item = {
      get: {
        responses: {
          "200": { $ref: "#/components/responses/Ok", description: "Here: the list." },
          "404": { $ref: "#/components/responses/Missing", description: "No such list." },
          "500": { $ref: "#/components/responses/Failed" },
        },
      },
    };
    const doc = {
      openapi: "3.1.1",
      jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
      info: { title: "t", summary: "Short.", description: "Long.", version: "1", license: { name: "Apache-2.0", identifier: "Apache-2.0" } },
      webhooks: { ping: { post: { responses: { "204": { description: "ok" } } } } },
      paths: { "/a": { $ref: "#/components/pathItems/A" }, "/b": { get: { responses: { "404": { $ref: "#/components/responses/Missing" } } } } },
      components: { pathItems: { A: item }, responses: { Ok: { description: "OK." }, Missing: { description: "Not found." }, Failed: { description: "Failed." } } },
    };
    const { document } = convert(doc);
    expect(document.openapi).toBe("3.0.3");
    expect(document).not.toHaveProperty("jsonSchemaDialect");
    expect(document).not.toHaveProperty("webhooks");
    expect((document.info as Json).license).toEqual({ name: "Apache-2.0", url: "https://spdx.org/licenses/Apache-2.0.html" });
    expect((document.info as Json).description).toMatch(/^Short\.\n\nLong\.\n\n## This is the OpenAPI 3.0 rendition/);
    expect((document.paths as Json)["/a"]).toEqual({
      get: { responses: { "200": { description: "Here: the list." }, "404": { description: "No such list." }, "500": { $ref: "#/components/responses/Failed" } } },
    });
    expect(document["x-webhooks"]).toEqual(doc.webhooks);
    // Ok was only ever inlined (dropped); Missing and Failed are still referenced somewhere.
    expect(document.components).toEqual({ responses: { Missing: { description: "Not found." }, Failed: { description: "Failed." } } });
    expect(not30(document)).toEqual([]);
  });

  it("refuses what has no faithful 3.0 form: mutualTLS, $defs", () => {
    const doc = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      components: { securitySchemes: { mtls: { type: "mutualTLS" } }, schemas: { A: { $defs: { B: { type: "string" } } } } },
    };
    expect(convertDocument(doc).unhandled.map((u) => [u.pointer, u.reason.split(":")[0]]).sort()).toEqual([
      ["#/components/schemas/A/$defs", "no 3.0 form"],
      ["#/components/securitySchemes/mtls/type", "no 3.0 form"],
    ]);
  });
});
