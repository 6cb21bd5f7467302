/**
 * Validate values against the spec's schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 *
 * The whole bundled document is registered with Ajv under one id, so `#/components/schemas/…`
 * references (including recursive ones) resolve against it. A schema taken from anywhere in the
 * document (an operation's response, a parameter) is compiled with its local refs rewritten to
 * point into that registered document.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { isObject, type OpenApiDoc, type Schema } from "./spec.js";

const SPEC_ID = "urn:spacetimedb-http:spec";

/** OpenAPI format names that JSON Schema does not define: accepted as annotations only. */
const OPENAPI_FORMATS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double", "byte", "binary", "password"];

export interface ValidationResult {
  valid: boolean;
  errors: ErrorObject[];
  /** One line per error: `<instancePath> <message> (<schemaPath>)`. Empty when valid. */
  message: string;
}

export interface SpecValidator {
  validate(schema: Schema, value: unknown): ValidationResult;
  /** Validate against `#/components/schemas/<name>`. */
  validateComponent(name: string, value: unknown): ValidationResult;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#") ? SPEC_ID + value : rewriteRefs(value);
  }
  return out;
}

export function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => {
      const params = e.keyword === "additionalProperties" ? ` '${String(e.params.additionalProperty)}'` : "";
      return `${e.instancePath || "(root)"} ${e.message ?? e.keyword}${params} (${e.schemaPath})`;
    })
    .join("\n");
}

export function createValidator(spec: OpenApiDoc): SpecValidator {
  const ajv = new Ajv2020({
    strict: false, // OpenAPI adds keywords (example, discriminator, xml, x-…) that are not JSON Schema
    allErrors: true,
    validateSchema: false, // the registered "schema" is a whole OpenAPI document
    logger: false,
  });
  formats.default(ajv);
  for (const name of OPENAPI_FORMATS) ajv.addFormat(name, true);
  ajv.addSchema({ ...spec, $id: SPEC_ID } as object, SPEC_ID);

  const cache = new WeakMap<object, ValidateFunction>();
  const compile = (schema: Schema): ValidateFunction => {
    if (typeof schema === "boolean") return ajv.compile(schema);
    let fn = cache.get(schema);
    if (!fn) {
      fn = ajv.compile(rewriteRefs(schema) as object);
      cache.set(schema, fn);
    }
    return fn;
  };
  const run = (fn: ValidateFunction, value: unknown): ValidationResult => {
    const valid = fn(value) as boolean;
    const errors = valid ? [] : [...(fn.errors ?? [])];
    return { valid, errors, message: formatErrors(errors) };
  };
  return {
    validate: (schema, value) => run(compile(schema), value),
    validateComponent: (name, value) => run(compile({ $ref: `#/components/schemas/${name}` }), value),
  };
}
