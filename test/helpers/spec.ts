/**
 * Read the bundled OpenAPI document (the output of `redocly bundle`) and list its operations.
 *
 * A bundled document has only local references (`#/components/...`), so a tiny JSON-pointer
 * resolver is enough. Parameters, request bodies, responses, headers and examples come back with
 * their `$ref`s resolved; **schemas are left as they are** (SATS types are recursive): validate
 * them with `test/helpers/schema.ts`, which resolves schema references against the same document.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export type JsonObject = { [key: string]: unknown };
/** A JSON Schema (OpenAPI 3.1 Schema Object); may itself be a `$ref`. */
export type Schema = JsonObject | boolean;
export type Reference = { $ref: string; summary?: string; description?: string };
/** `{ schemeName: scopes }`; `{}` means "no credentials needed". */
export type SecurityRequirement = Record<string, string[]>;

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface Example {
  summary?: string;
  description?: string;
  value?: unknown;
  externalValue?: string;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  deprecated?: boolean;
  style?: string;
  explode?: boolean;
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example>;
  content?: Record<string, MediaType>;
  [extension: `x-${string}`]: unknown;
}

export interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example>;
  [extension: `x-${string}`]: unknown;
}

export interface Header {
  description?: string;
  required?: boolean;
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example>;
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content: Record<string, MediaType>;
}

export interface Response {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}

export interface SecurityScheme {
  type: "apiKey" | "http" | "mutualTLS" | "oauth2" | "openIdConnect";
  scheme?: string;
  in?: "query" | "header" | "cookie";
  name?: string;
  bearerFormat?: string;
  description?: string;
}

export interface OpenApiDoc {
  openapi: string;
  info: JsonObject;
  jsonSchemaDialect?: string;
  servers?: { url: string; description?: string }[];
  security?: SecurityRequirement[];
  tags?: { name: string; description?: string; [k: string]: unknown }[];
  paths?: Record<string, JsonObject>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, SecurityScheme | Reference>;
    [kind: string]: Record<string, unknown> | undefined;
  };
  [key: string]: unknown;
}

export interface Operation {
  operationId: string | undefined;
  method: HttpMethod;
  /** The path template as written in the spec, e.g. `/v1/database/{name_or_identity}`. */
  path: string;
  /** The operation's only tag (the first if it has several; `undefined` if none). */
  tag: string | undefined;
  tags: string[];
  summary: string | undefined;
  description: string | undefined;
  /** Effective security: the operation's own, else the document's; `[]` when neither says. */
  security: SecurityRequirement[];
  /** Whether the operation declares `security` itself (rather than inheriting the root's). */
  ownSecurity: boolean;
  /** Path-item and operation parameters merged (operation wins on `in`+`name`), refs resolved. */
  parameters: Parameter[];
  requestBody: RequestBody | undefined;
  /** Keyed by status code as written (`"200"`, `"4XX"`, `"default"`), refs resolved. */
  responses: Record<string, Response>;
  /** The `x-…` extensions of the operation. */
  extensions: Record<string, unknown>;
  /** The operation object exactly as in the document. */
  raw: JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isReference(value: unknown): value is Reference {
  return isObject(value) && typeof value.$ref === "string";
}

/** Read and parse a bundled spec (YAML or JSON). */
export function loadSpec(path: string): OpenApiDoc {
  const text = readFileSync(path, "utf8");
  const doc: unknown = parse(text, { maxAliasCount: -1 });
  if (!isObject(doc) || typeof doc.openapi !== "string") {
    throw new Error(`${path} is not an OpenAPI document (no "openapi" field)`);
  }
  return doc as OpenApiDoc;
}

/** Decode a JSON pointer fragment (`#/components/schemas/A~1B`) into its tokens. */
export function pointerTokens(ref: string): string[] {
  if (!ref.startsWith("#")) throw new Error(`not a local reference: ${ref} (a bundled spec has only #/… refs)`);
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new Error(`not a JSON pointer: ${ref}`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Encode tokens as a local JSON pointer reference (`#/a/b~1c`). */
export function toPointer(tokens: readonly string[]): string {
  return "#" + tokens.map((t) => "/" + t.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** The value a local `$ref` points at (one step, no further resolution). */
export function getByRef(spec: OpenApiDoc, ref: string): unknown {
  let node: unknown = spec;
  for (const token of pointerTokens(ref)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = node[token];
    else node = undefined;
    if (node === undefined) throw new Error(`unresolvable reference ${ref} (missing "${token}")`);
  }
  return node;
}

/**
 * Follow `$ref`s until the node is not a reference. `summary`/`description` beside a `$ref`
 * override the target's (OpenAPI 3.1 Reference Object). Non-reference values come back as is.
 */
export function resolveRef<T>(spec: OpenApiDoc, node: T | Reference): T {
  let current: unknown = node;
  const overrides: { summary?: string; description?: string } = {};
  const seen = new Set<string>();
  while (isReference(current)) {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular reference ${ref}`);
    seen.add(ref);
    if (current.summary !== undefined && overrides.summary === undefined) overrides.summary = current.summary;
    if (current.description !== undefined && overrides.description === undefined) {
      overrides.description = current.description;
    }
    current = getByRef(spec, ref);
  }
  if (isObject(current) && (overrides.summary !== undefined || overrides.description !== undefined)) {
    return { ...current, ...overrides } as T;
  }
  return current as T;
}

function resolveRecord<T>(spec: OpenApiDoc, rec: unknown, each: (v: T) => T = (v) => v): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isObject(rec)) return out;
  for (const [key, value] of Object.entries(rec)) out[key] = each(resolveRef<T>(spec, value as T));
  return out;
}

function resolveMediaTypes(spec: OpenApiDoc, content: unknown): Record<string, MediaType> | undefined {
  if (!isObject(content)) return undefined;
  return resolveRecord<MediaType>(spec, content, (mt) =>
    mt.examples ? { ...mt, examples: resolveRecord<Example>(spec, mt.examples) } : mt,
  );
}

function resolveParameter(spec: OpenApiDoc, p: unknown): Parameter {
  const param = resolveRef<Parameter>(spec, p as Parameter);
  const out: Parameter = { ...param };
  if (param.examples) out.examples = resolveRecord<Example>(spec, param.examples);
  const content = resolveMediaTypes(spec, param.content);
  if (content) out.content = content;
  return out;
}

function resolveResponse(spec: OpenApiDoc, r: unknown): Response {
  const response = resolveRef<Response>(spec, r as Response);
  const out: Response = { ...response };
  if (response.headers) {
    out.headers = resolveRecord<Header>(spec, response.headers, (h) =>
      h.examples ? { ...h, examples: resolveRecord<Example>(spec, h.examples) } : h,
    );
  }
  const content = resolveMediaTypes(spec, response.content);
  if (content) out.content = content;
  return out;
}

function extensionsOf(node: JsonObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith("x-")));
}

/** Every operation of the document, in path order then method order (get, put, post, …). */
export function listOperations(spec: OpenApiDoc): Operation[] {
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = resolveRef<JsonObject>(spec, rawItem);
    const itemParams = Array.isArray(item.parameters) ? item.parameters.map((p) => resolveParameter(spec, p)) : [];
    for (const method of HTTP_METHODS) {
      const raw = item[method];
      if (!isObject(raw)) continue;
      const opParams = Array.isArray(raw.parameters) ? raw.parameters.map((p) => resolveParameter(spec, p)) : [];
      const key = (p: Parameter) => `${p.in}:${p.name}`;
      const merged = new Map<string, Parameter>();
      for (const p of [...itemParams, ...opParams]) merged.set(key(p), p);
      const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === "string") : [];
      const ownSecurity = Array.isArray(raw.security);
      const security = (ownSecurity ? raw.security : spec.security ?? []) as SecurityRequirement[];
      let requestBody: RequestBody | undefined;
      if (raw.requestBody !== undefined) {
        const rb = resolveRef<RequestBody>(spec, raw.requestBody as RequestBody);
        requestBody = { ...rb, content: resolveMediaTypes(spec, rb.content) ?? {} };
      }
      operations.push({
        operationId: typeof raw.operationId === "string" ? raw.operationId : undefined,
        method,
        path,
        tag: tags[0],
        tags,
        summary: typeof raw.summary === "string" ? raw.summary : undefined,
        description: typeof raw.description === "string" ? raw.description : undefined,
        security,
        ownSecurity,
        parameters: [...merged.values()],
        requestBody,
        responses: resolveRecord<unknown>(spec, raw.responses, (r) => resolveResponse(spec, r)) as Record<
          string,
          Response
        >,
        extensions: extensionsOf(raw),
        raw,
      });
    }
  }
  return operations;
}

/** The resolved security schemes of the document, by name. */
export function securitySchemes(spec: OpenApiDoc): Record<string, SecurityScheme> {
  return resolveRecord<SecurityScheme>(spec, spec.components?.securitySchemes);
}

export type Found<T> = { found: true; value: T; source: string } | { found: false };

/**
 * The first example a parameter, header or media type offers, in this order: its `example`, the
 * first of its `examples` (by `value`), its schema's `example`, the first of its schema's
 * `examples`. `source` says which one was used.
 */
export function pickExample(
  spec: OpenApiDoc,
  holder: { example?: unknown; examples?: Record<string, Example>; schema?: Schema },
): Found<unknown> {
  if (holder.example !== undefined) return { found: true, value: holder.example, source: "example" };
  for (const [name, ex] of Object.entries(holder.examples ?? {})) {
    const resolved = resolveRef<Example>(spec, ex);
    if (resolved.value !== undefined) return { found: true, value: resolved.value, source: `examples.${name}` };
  }
  if (holder.schema !== undefined) {
    const schema = resolveRef<Schema>(spec, holder.schema as Schema);
    if (isObject(schema)) {
      if (schema.example !== undefined) return { found: true, value: schema.example, source: "schema.example" };
      if (Array.isArray(schema.examples) && schema.examples.length > 0) {
        return { found: true, value: schema.examples[0], source: "schema.examples[0]" };
      }
    }
  }
  return { found: false };
}

/** `"text/plain; charset=utf-8"` → `"text/plain"` (lowercase, parameters dropped). */
export function mediaTypeEssence(mediaType: string): string {
  return (mediaType.split(";")[0] ?? "").trim().toLowerCase();
}

/** Whether a concrete media type matches a declared one, which may be a wildcard (`text/*`, any/any). */
export function mediaTypeMatches(declared: string, actual: string): boolean {
  const [dType = "", dSub = ""] = mediaTypeEssence(declared).split("/");
  const [aType = "", aSub = ""] = mediaTypeEssence(actual).split("/");
  return (dType === "*" || dType === aType) && (dSub === "*" || dSub === aSub);
}

/**
 * A concrete media type to send for a declared one: itself, or for a wildcard a plausible
 * concrete type (any/any → `application/octet-stream`, `text/*` → `text/plain`).
 */
export function concreteMediaType(declared: string): string {
  const essence = mediaTypeEssence(declared);
  if (essence === "*/*") return "application/octet-stream";
  if (essence === "text/*") return "text/plain";
  if (essence.endsWith("/*")) return essence.replace(/\*$/, "octet-stream");
  return declared;
}

export function isJsonMediaType(mediaType: string): boolean {
  const essence = mediaTypeEssence(mediaType);
  return essence === "application/json" || essence.endsWith("+json");
}

export function isNdjsonMediaType(mediaType: string): boolean {
  const essence = mediaTypeEssence(mediaType);
  return essence === "application/x-ndjson" || essence === "application/jsonl" || essence === "application/json-seq";
}

export function isTextMediaType(mediaType: string): boolean {
  return mediaTypeEssence(mediaType).startsWith("text/");
}

/** Declared status codes that are concrete (`"200"`, not `"2XX"` or `"default"`), as numbers. */
export function concreteStatuses(op: Operation): number[] {
  return Object.keys(op.responses)
    .filter((s) => /^[1-5][0-9][0-9]$/.test(s))
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * The status Prism answers when no `Prefer: code=` is sent: the lowest 2xx, else the first
 * declared status (for `subscribe`, whose only success is 101). `undefined` if none is declared.
 */
export function defaultSuccessStatus(op: Operation): number | undefined {
  const statuses = concreteStatuses(op);
  return statuses.find((s) => s >= 200 && s < 300) ?? statuses[0];
}
