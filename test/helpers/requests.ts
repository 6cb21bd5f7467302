/**
 * Build a valid HTTP request for an operation from the spec's own examples:
 * path parameters from their examples, required query and header parameters from theirs, the
 * request body's example in its first media type, and credentials as the operation's `security`
 * allows (a bearer token when a bearer scheme is allowed; nothing when `security: []`).
 */
import {
  concreteMediaType,
  isJsonMediaType,
  isObject,
  isTextMediaType,
  pickExample,
  resolveRef,
  securitySchemes,
  type OpenApiDoc,
  type Operation,
  type Parameter,
  type Schema,
} from "./spec.js";

/** A token-shaped value; Prism accepts any bearer value. */
export const TEST_TOKEN =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJoZXhfaWRlbnRpdHkiOiJjMjAwNGMxMDI5Njk3ZWUzNTg3MTVkM2ExNGEyYWRkODE3YzRiMDE2NTE0NDBkZTgwODM3MWY3ODE2NWFjOTBkIn0.c2lnbmF0dXJl";

/** The 8-byte header of an empty WebAssembly module, for binary bodies without an example. */
export const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export type Credentials = "bearer" | "query-token" | "none";

export interface BuiltRequest {
  method: string;
  /** Path and query, e.g. `/v1/database/quickstart-chat/logs?num_lines=10`. */
  pathAndQuery: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  credentials: Credentials;
  /** What could not be built from the spec (a parameter or body without an example). */
  problems: string[];
}

export interface BuildOptions {
  token?: string;
  /** Override the example used for a parameter, by name. */
  params?: Record<string, string>;
  /**
   * Path parameters (by name) whose example may span segments (`a/b`): the request uses only
   * its first segment, so the URL has exactly one segment there.
   */
  oneSegment?: readonly string[];
}

function stringify(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The credentials an operation's `security` lets a test send: bearer if allowed, else none/query. */
export function credentialsFor(spec: OpenApiDoc, op: Operation): Credentials {
  if (op.security.length === 0) return "none";
  const schemes = securitySchemes(spec);
  const kinds = op.security.map((req) => {
    const names = Object.keys(req);
    if (names.length === 0) return "none" as const;
    if (names.length === 1) {
      const s = schemes[names[0] ?? ""];
      if (s?.type === "http" && s.scheme?.toLowerCase() === "bearer") return "bearer" as const;
      if (s?.type === "apiKey" && s.in === "query") return "query-token" as const;
    }
    return undefined;
  });
  if (kinds.includes("bearer")) return "bearer";
  if (kinds.includes("none")) return "none";
  if (kinds.includes("query-token")) return "query-token";
  return "none";
}

function paramExample(spec: OpenApiDoc, p: Parameter): { value: unknown } | undefined {
  const found = pickExample(spec, p);
  if (found.found) return { value: found.value };
  for (const mt of Object.values(p.content ?? {})) {
    const inner = pickExample(spec, mt);
    if (inner.found) return { value: inner.value };
  }
  return undefined;
}

function isBinarySchema(spec: OpenApiDoc, schema: Schema | undefined): boolean {
  if (schema === undefined) return false;
  const s = resolveRef<Schema>(spec, schema);
  return isObject(s) && (s.format === "binary" || typeof s.contentMediaType === "string");
}

export function buildRequest(spec: OpenApiDoc, op: Operation, options: BuildOptions = {}): BuiltRequest {
  const problems: string[] = [];
  const headers: Record<string, string> = {};
  const query = new URLSearchParams();

  let path = op.path;
  for (const p of op.parameters.filter((p) => p.in === "path")) {
    const override = options.params?.[p.name];
    const ex = override !== undefined ? { value: override } : paramExample(spec, p);
    if (!ex) {
      problems.push(`path parameter "${p.name}" has no example`);
      continue;
    }
    let value = stringify(ex.value);
    if (options.oneSegment?.includes(p.name)) value = value.split("/").find((seg) => seg !== "") ?? value;
    path = path.split(`{${p.name}}`).join(encodeURIComponent(value));
  }
  for (const p of op.parameters.filter((p) => p.in === "query" && p.required)) {
    const override = options.params?.[p.name];
    const ex = override !== undefined ? { value: override } : paramExample(spec, p);
    if (!ex) {
      problems.push(`required query parameter "${p.name}" has no example`);
      continue;
    }
    if (Array.isArray(ex.value)) for (const v of ex.value) query.append(p.name, stringify(v));
    else query.append(p.name, stringify(ex.value));
  }
  const ignoredHeaders = new Set(["accept", "content-type", "authorization"]);
  for (const p of op.parameters.filter((p) => p.in === "header" && p.required)) {
    if (ignoredHeaders.has(p.name.toLowerCase())) continue;
    const ex = paramExample(spec, p);
    if (!ex) {
      problems.push(`required header "${p.name}" has no example`);
      continue;
    }
    headers[p.name] = Array.isArray(ex.value) ? ex.value.map(stringify).join(",") : stringify(ex.value);
  }

  const credentials = credentialsFor(spec, op);
  const token = options.token ?? TEST_TOKEN;
  if (credentials === "bearer") headers.Authorization = `Bearer ${token}`;
  if (credentials === "query-token") {
    const scheme = Object.values(securitySchemes(spec)).find((s) => s.type === "apiKey" && s.in === "query");
    query.append(scheme?.name ?? "token", token);
  }

  let body: string | Uint8Array | undefined;
  if (op.requestBody) {
    const [mediaType, media] = Object.entries(op.requestBody.content)[0] ?? [];
    if (mediaType && media) {
      headers["Content-Type"] = concreteMediaType(mediaType);
      const ex = pickExample(spec, media);
      if (ex.found) {
        if (isJsonMediaType(mediaType)) body = JSON.stringify(ex.value);
        else if (ex.value instanceof Uint8Array) body = ex.value;
        else body = stringify(ex.value);
      } else if (isBinarySchema(spec, media.schema) || !(isJsonMediaType(mediaType) || isTextMediaType(mediaType))) {
        body = WASM_HEADER;
      } else if (op.requestBody.required) {
        problems.push(`request body (${mediaType}) has no example`);
      } else {
        delete headers["Content-Type"];
      }
    } else if (op.requestBody.required) {
      problems.push("required request body declares no media type");
    }
  }

  const qs = query.toString();
  return {
    method: op.method.toUpperCase(),
    pathAndQuery: qs ? `${path}?${qs}` : path,
    headers,
    body,
    credentials,
    problems,
  };
}
