/**
 * src/generated/operations.ts: what the client needs to know of each operation at run time (method,
 * path, credentials, parameter and body rules, media types, the shape of a success body), so that
 * the spec drives requests and answers without being read at run time.
 */
import type { Signature } from "./signatures.js";
import { kindOf, listOperations, type Json, type Spec } from "./spec.js";

/** Named schemas the client checks values against beyond parameters and bodies (environment values). */
const CHECKED_SCHEMAS = ["EnvironmentKey", "EnvironmentValues"];

/**
 * The table of the operations that have a send function (`signatures`), and apart from it those a
 * convenience serves (subscribe, the module routes: they load with it, not with the core), with the
 * path template that no send function carries for them; and the rules of the checked named schemas.
 */
export function operationTable(spec: Spec, signatures: readonly Signature[]): { table: Json; served: Json; schemaRules: Json } {
  const { doc, deref } = spec;
  const readsNoCredentials = (security: Json[] | undefined): boolean => (security ?? doc.security ?? []).length === 0;
  /** Only what the client checks; a string is the default type. */
  const rulesOf = (schema: Json | undefined): Json | undefined => {
    const s = deref(schema);
    if (!s) return undefined;
    const rule: Json = {};
    for (const key of ["type", "pattern", "enum", "minimum", "maximum", "maxLength", "maxProperties"]) {
      if (s[key] !== undefined && !(key === "type" && s[key] === "string")) rule[key] = s[key];
    }
    if (s.not?.pattern) rule.notPattern = s.not.pattern;
    if (s.additionalProperties?.maxLength !== undefined) rule.valueMaxLength = s.additionalProperties.maxLength;
    return rule;
  };
  /** The JSON types a schema allows at the top level (a `oneOf`/`anyOf` of types included). */
  const topTypes = (schema: Json | undefined): string[] => {
    const s = deref(schema);
    if (!s) return [];
    const variants = (s.oneOf ?? s.anyOf) as Json[] | undefined;
    if (variants) return [...new Set(variants.flatMap(topTypes))];
    if (Array.isArray(s.type)) return s.type;
    return typeof s.type === "string" ? [s.type] : [];
  };
  /** The properties every branch of an object schema requires. */
  const requiredOf = (schema: Json | undefined): string[] => {
    const s = deref(schema);
    if (!s) return [];
    const variants = (s.oneOf ?? s.anyOf) as Json[] | undefined;
    if (variants) {
      const each = variants.map(requiredOf);
      return each.length === 0 ? [] : each.reduce((a, b) => a.filter((k) => b.includes(k)));
    }
    return Array.isArray(s.required) ? s.required : [];
  };
  /** The top-level type and required properties of a JSON body: checked on every success. */
  const shapeOf = (schema: Json | undefined): Json | undefined => {
    const types = topTypes(schema);
    if (types.length === 0) return undefined;
    const required = types.includes("object") ? requiredOf(schema) : [];
    return { types, ...(required.length ? { required } : {}) };
  };
  /** Properties a success body marks `x-spacetimedb-credential`: tokens the caller asked for. */
  const credentialsOf = (schema: Json | undefined): string[] =>
    Object.entries<Json>(deref(schema)?.properties ?? {})
      .filter(([, p]) => deref(p)?.["x-spacetimedb-credential"] === true)
      .map(([name]) => name);

  const table: Json = {};
  const served: Json = {};
  for (const { id, method, path, op, parameters } of listOperations(spec)) {
    const signature = signatures.find((s) => s.id === id);
    const pathParams: Json = {};
    const query: Json = {};
    for (const p of parameters) {
      if (p.in === "path") pathParams[p.name] = rulesOf(p.schema);
      if (p.in === "query") query[p.name] = rulesOf(p.schema);
    }
    const requestBody = deref(op.requestBody);
    const [bodyType, bodyMedia] = Object.entries<Json>(requestBody?.content ?? {})[0] ?? [];
    let body: Json | undefined;
    if (bodyType) {
      const schema = deref(bodyMedia!.schema);
      const kind = kindOf(bodyType);
      // Errors about a body name the method's argument.
      const argument = signature?.args.find((a) => a.in === "body");
      body = { ...(argument ? { name: argument.name } : {}), type: bodyType, kind, ...(requestBody!.required ? { required: true } : {}) };
      const rule = rulesOf(schema);
      if (kind === "text" && rule && Object.keys(rule).length) body.rule = rule;
      if (kind === "json") {
        body.types = topTypes(schema);
        if (schema?.type === "array" && Object.keys(rulesOf(schema.items) ?? {}).length) body.items = rulesOf(schema.items);
      }
    }
    const responses: Json = {};
    const shapes: Json = {};
    let secretFields: string[] = [];
    for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
      if (!/^2\d\d$/.test(status)) continue;
      const content = Object.entries<Json>(deref(response)?.content ?? {});
      // One media type: its kind alone; several: each media type's kind (a reducer's text or a procedure's JSON).
      responses[status] = content.length === 0 ? "empty" : content.length === 1 ? kindOf(content[0]![0]) : Object.fromEntries(content.map(([type]) => [type, kindOf(type)]));
      const json = content.find(([type]) => kindOf(type) === "json");
      const shape = json && shapeOf(json[1].schema);
      if (shape) shapes[status] = shape;
      if (json) secretFields = [...new Set([...secretFields, ...credentialsOf(json[1].schema)])];
    }
    // A WebSocket upgrade: the subprotocols its 101 may choose, in the server's order of preference.
    const chosen = deref(deref(op.responses?.["101"])?.headers?.["Sec-WebSocket-Protocol"]);
    (signature ? table : served)[id] = {
      method: method.toUpperCase(),
      ...(signature ? {} : { path }),
      ...(readsNoCredentials(op.security) ? { noCredentials: true } : {}),
      ...(Object.keys(pathParams).length ? { pathParams } : {}),
      ...(Object.keys(query).length ? { query } : {}),
      ...(body ? { body } : {}),
      responses,
      ...(Object.keys(shapes).length ? { shapes } : {}),
      ...(secretFields.length ? { secretFields } : {}),
      ...(op["x-spacetimedb-timeout"] === "none" ? { noTimeout: true } : {}),
      ...(chosen ? { subprotocols: deref(chosen.schema)!.enum } : {}),
    };
  }
  const schemaRules = Object.fromEntries(CHECKED_SCHEMAS.map((name) => [name, rulesOf(doc.components.schemas[name])]));
  return { table, served, schemaRules };
}
