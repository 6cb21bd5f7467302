/**
 * Check an HTTP answer against what the spec declares for (operation, status): the status, the
 * media type, the body against the response schema (JSON, NDJSON, text), empty bodies, the
 * declared headers, and Prism's own `sl-violations` header. Returns the problems found, one
 * sentence each (empty when the answer matches).
 */
import type { RawResponse } from "./http.js";
import type { SpecValidator } from "./schema.js";
import {
  isJsonMediaType,
  isNdjsonMediaType,
  isObject,
  isTextMediaType,
  mediaTypeEssence,
  mediaTypeMatches,
  pickExample,
  resolveRef,
  type OpenApiDoc,
  type Operation,
  type Schema,
} from "./spec.js";

export interface PrismViolation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

/** Prism's `sl-violations` header, parsed (empty when absent or unreadable). */
export function prismViolations(res: RawResponse): PrismViolation[] {
  const raw = res.headers["sl-violations"];
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as PrismViolation[]) : [];
  } catch {
    return [{ location: [], severity: "Error", message: raw }];
  }
}

function charsetOf(mediaType: string): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(mediaType);
  return m?.[1]?.toLowerCase();
}

function schemaType(spec: OpenApiDoc, schema: Schema | undefined): unknown {
  if (schema === undefined) return undefined;
  const s = resolveRef<Schema>(spec, schema);
  return isObject(s) ? s.type : undefined;
}

export interface CheckOptions {
  /** Which declared media type the answer should have (default: the first declared). */
  mediaType?: string;
  /** Compare a text body with the media type's example (Prism static mode serves it). Default true. */
  compareTextExample?: boolean;
}

export function checkResponse(
  spec: OpenApiDoc,
  validator: SpecValidator,
  op: Operation,
  expectedStatus: number,
  res: RawResponse,
  options: CheckOptions = {},
): string[] {
  const problems: string[] = [];
  const where = `${op.operationId ?? `${op.method} ${op.path}`} ${expectedStatus}`;
  const short = (t: string) => (t.length > 400 ? `${t.slice(0, 400)}…` : t);

  for (const v of prismViolations(res)) {
    if (v.location[0] === "request") {
      problems.push(`Prism found the request built from the spec's examples invalid: ${v.location.join(".")} ${v.message}`);
    } else if (v.severity === "Error" && op.method !== "head") {
      // (Prism validates its own empty answer to HEAD against the declared content: ignored.)
      problems.push(`Prism found its mocked response invalid: ${v.location.join(".")} ${v.message}`);
    }
  }

  if (res.status !== expectedStatus) {
    problems.push(`status ${res.status}, expected ${expectedStatus}; body: ${short(res.text)}`);
    return problems;
  }
  const declared = op.responses[String(expectedStatus)];
  if (!declared) {
    problems.push(`${where}: not declared`);
    return problems;
  }

  for (const [name, header] of Object.entries(declared.headers ?? {})) {
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`required header ${name} missing`);
      continue;
    }
    if (header.schema !== undefined && schemaType(spec, header.schema) !== "array") {
      const r = validator.validate(header.schema, value);
      if (!r.valid) problems.push(`header ${name}: ${JSON.stringify(value)} does not match its schema:\n${r.message}`);
    }
  }

  const contentType = res.headers["content-type"];
  const entries = Object.entries(declared.content ?? {});
  if (op.method === "head") {
    if (res.body.length > 0) problems.push(`HEAD answered with a body (${res.body.length} bytes)`);
    return problems;
  }
  const first = options.mediaType === undefined ? entries[0] : entries.find(([mt]) => mt === options.mediaType);
  if (options.mediaType !== undefined && !first) {
    problems.push(`${options.mediaType} is not declared for ${where}`);
    return problems;
  }
  if (!first) {
    if (res.body.length > 0) problems.push(`no content declared, but the body is ${res.body.length} bytes: ${short(res.text)}`);
    return problems;
  }

  const [declaredType, media] = first;
  // A wildcard (`*/*`, `text/*`) declares "any media type": any concrete Content-Type matching
  // it is right, and the body is read by the media type actually served.
  const wildcard = mediaTypeEssence(declaredType).endsWith("/*");
  if (!contentType) {
    problems.push(`no Content-Type; expected ${declaredType}`);
  } else if (wildcard) {
    if (!mediaTypeMatches(declaredType, contentType)) problems.push(`Content-Type ${contentType} does not match ${declaredType}`);
  } else {
    if (mediaTypeEssence(contentType) !== mediaTypeEssence(declaredType)) {
      problems.push(`Content-Type ${contentType}, expected ${declaredType}`);
    }
    const want = charsetOf(declaredType);
    if (want && charsetOf(contentType) !== want) problems.push(`Content-Type ${contentType} lacks charset=${want} (declared ${declaredType})`);
  }
  const mediaType = wildcard && contentType ? contentType : declaredType;

  const schema = media.schema;
  if (isJsonMediaType(mediaType)) {
    let value: unknown;
    try {
      value = JSON.parse(res.text);
    } catch (e) {
      problems.push(`body is not JSON (${(e as Error).message}): ${short(res.text)}`);
      return problems;
    }
    if (schema !== undefined) {
      const r = validator.validate(schema, value);
      if (!r.valid) problems.push(`JSON body does not match the ${mediaType} schema:\n${r.message}\nbody: ${short(res.text)}`);
    } else {
      problems.push(`${mediaType} has no schema`);
    }
  } else if (isNdjsonMediaType(mediaType)) {
    const lines = res.text.split("\n").filter((l) => l.trim() !== "");
    const records: unknown[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        records.push(JSON.parse(line));
      } catch (e) {
        problems.push(`NDJSON line ${i + 1} is not JSON (${(e as Error).message}): ${short(line)}`);
      }
    }
    // The body as a whole: usually `type: string` (the NDJSON text), else an array of records.
    if (schema !== undefined) {
      const type = schemaType(spec, schema);
      const r = validator.validate(schema, type === "string" ? res.text : records);
      if (!r.valid) problems.push(`NDJSON body does not match the ${mediaType} schema:\n${r.message}`);
    }
    // The records: `contentSchema` (JSON Schema's schema of the decoded content) describes them,
    // as an array of records or as one record.
    const resolved = schema === undefined ? undefined : resolveRef<Schema>(spec, schema);
    const contentSchema = isObject(resolved) ? resolved.contentSchema : undefined;
    if (isObject(contentSchema) || typeof contentSchema === "boolean") {
      if (schemaType(spec, contentSchema) === "array") {
        const r = validator.validate(contentSchema, records);
        if (!r.valid) problems.push(`NDJSON records do not match the contentSchema:\n${r.message}`);
      } else {
        for (const [i, rec] of records.entries()) {
          const r = validator.validate(contentSchema, rec);
          if (!r.valid) problems.push(`NDJSON record ${i + 1} does not match the contentSchema:\n${r.message}`);
        }
      }
    } else if (records.length === 0) {
      problems.push("empty NDJSON body");
    }
  } else if (isTextMediaType(mediaType)) {
    if (schema !== undefined) {
      const r = validator.validate(schema, res.text);
      if (!r.valid) problems.push(`text body does not match the ${mediaType} schema:\n${r.message}\nbody: ${short(res.text)}`);
    }
    const ex = pickExample(spec, media);
    if (options.compareTextExample !== false && ex.found && typeof ex.value === "string" && res.text !== ex.value) {
      let why = "";
      const schemaEx = schema === undefined ? undefined : resolveRef<Schema>(spec, schema);
      if (media.example === undefined && media.examples && isObject(schemaEx) && schemaEx.example === res.text) {
        why = ` (Prism served the schema's own \`example\`: it ranks a schema-level example before the media type's named \`examples\`)`;
      }
      problems.push(`text body ${JSON.stringify(short(res.text))} is not the example ${JSON.stringify(short(ex.value))}${why}`);
    }
  } else if (res.body.length === 0) {
    problems.push(`empty ${mediaType} body`);
  }
  return problems;
}
