/**
 * Per operation: its options type and its doc comment (the spec's summary, the SDK's note, the errors
 * the spec lists) in the `OperationMethods` interface (src/generated/method-types.ts, types only), and
 * the function that sends it through openapi-fetch (`send<Operation>`, src/generated/methods.ts),
 * typed by the spec's path, parameters and body.
 * `generatedMethods(ctx)` binds the methods the argument rule writes whole; the hand-written ones
 * (src/methods/hand-written.ts) call the same send functions.
 */
import { camel, kindOf, listOperations, refName, type Json, type Spec } from "./spec.js";
import type { ExceptionTable, Signature } from "./signatures.js";
import { signatureOf } from "./signatures.js";

/**
 * Root type aliases renamed where the package exports a value of the same name: the spec's
 * `Timestamp` is the typed-SATS JSON shape, while `Timestamp` is the SDK's decoded class.
 */
export const ROOT_TYPE_RENAMES: Readonly<Record<string, string>> = { Timestamp: "TimestampJson" };
const rootTypeName = (schema: string) => ROOT_TYPE_RENAMES[schema] ?? schema;

/** Types the methods spell that come from the SDK rather than the spec. */
const SDK_TYPES: Readonly<Record<string, string>> = {
  BinaryBody: "../core/serialize.js",
  PublishSuccess: "../methods/options.js",
  PublishEnvironmentOptions: "../methods/options.js",
  EnvironmentRemoveOptions: "../methods/options.js",
};

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

/** A period that ends an abbreviation, not a sentence ("e.g.", "i.e.", "cf.", "vs."). */
const ABBREVIATION = /(?:^|[^\w.])(?:e\.g|i\.e|cf|vs)\.$/i;

/** A description's first sentence, without the source citations kept for maintainers ("" when it is only a lead-in to a list). */
export function firstSentence(text: string): string {
  const plain = text
    .replace(/\s*\([^()]*\.rs[^()]*\)/g, "")
    .replace(/\s+/g, " ")
    .replace(/^(\*\*)?(Text|JSON|Empty body)(\*\*)?\.?\s*/i, "")
    .trim();
  let inCode = false;
  for (let i = 0; i < plain.length; i++) {
    if (plain[i] === "`") inCode = !inCode;
    else if (!inCode && (plain[i] === "." || plain[i] === ":") && (i + 1 === plain.length || plain[i + 1] === " ") && !ABBREVIATION.test(plain.slice(0, i + 1))) {
      return plain[i] === ":" ? "" : plain.slice(0, i);
    }
  }
  return plain;
}

/** A doc comment's lines, wrapped at 100 columns. */
function docComment(paragraphs: string[], indent: string): string {
  const lines: string[] = [];
  for (const [i, paragraph] of paragraphs.entries()) {
    if (i > 0) lines.push("");
    let line = "";
    for (const word of paragraph.replace(/\*\//g, "*\\/").split(/\s+/)) {
      if (line && line.length + word.length + 1 > 94) (lines.push(line), (line = word));
      else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}

export function generateMethods(spec: Spec, exceptions: ExceptionTable): { types: string; runtime: string; signatures: Signature[] } {
  const { deref } = spec;

  /** A response or request body's TypeScript type: a named schema by its root type name. */
  const bodyType = (schema: Json | undefined, mediaType: string, fallback: string): string => {
    const kind = kindOf(mediaType);
    if (kind === "binary") return "BinaryBody";
    const name = (s: Json | undefined) => (refName(s) ? rootTypeName(refName(s)!) : undefined);
    if (kind === "text") return deref(schema)?.maxLength === 0 ? "undefined" : "string";
    if (name(schema)) return name(schema)!;
    if (schema?.type === "array" && name(schema.items)) return `${name(schema.items)}[]`;
    const variants = schema?.oneOf ?? schema?.anyOf;
    if (Array.isArray(variants) && variants.every((v: Json) => name(v))) return variants.map(name).join(" | ");
    return fallback;
  };

  /** The union of the body types of the responses whose status `matches` (`undefined` for none). */
  const responseTypes = (id: string, op: Json, matches: (status: string) => boolean): string => {
    const types = new Set<string>();
    for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
      if (!matches(status)) continue;
      const content = Object.entries<Json>(deref(response)?.content ?? {});
      if (content.length === 0) types.add("undefined");
      for (const [mediaType, media] of content) {
        const kind = kindOf(mediaType);
        const records = kind === "ndjson" ? refName(deref(deref(media.schema)?.contentSchema)?.items) : undefined;
        types.add(kind === "binary" ? "Uint8Array" : kind === "ndjson" ? (records ? `${rootTypeName(records)}[]` : "unknown[]") : bodyType(media.schema, mediaType, `OperationTypes["${id}"]["responses"][${status}]["content"]["${mediaType}"]`));
      }
    }
    const list = [...types].sort((a, b) => (a === "undefined" ? 1 : b === "undefined" ? -1 : a.localeCompare(b)));
    return list.join(" | ") || "unknown";
  };

  /** A parameter's TypeScript type, spelled simply where the schema is simple. */
  const paramType = (id: string, p: Json): string => {
    const s = deref(p.schema) ?? {};
    if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
    if (s.type === "integer" || s.type === "number") return "number";
    if (s.type === "boolean") return "boolean";
    if (s.type === "string" || s.type === undefined) return "string";
    return `NonNullable<OperationTypes["${id}"]["parameters"]["${p.in}"]>["${p.name}"]`;
  };

  const optionsInterfaces: string[] = [];
  const members: string[] = [];
  const sendFunctions: string[] = [];
  const bound: string[] = [];
  const handWritten: string[] = [];
  const signatures: Signature[] = [];

  for (const operation of listOperations(spec)) {
    const { id, method, path, op, parameters } = operation;
    const sig = signatureOf(operation, exceptions, deref);
    if (!sig) continue;
    signatures.push(sig);
    const param = (name: string) => parameters.find((p) => p.name === name)!;
    const body = deref(op.requestBody);
    const [bodyMediaType, bodyMedia] = Object.entries<Json>(body?.content ?? {})[0] ?? [];

    // --- the options type: the call options and the operation's own parameters
    const optionsName = sig.options.length || sig.extraOptions ? `${pascal(id)}Options` : "CallOptions";
    if (optionsName !== "CallOptions") {
      const fields = sig.options.map((o) => {
        const p = param(o.param);
        const doc = firstSentence(String(p.description ?? ""));
        const required = o.required && !o.defaulted;
        return `${doc ? docComment([`${doc}.`], "  ") : ""}  ${o.name}${required ? "" : "?"}: ${o.type ?? paramType(id, p)}${required ? "" : " | undefined"};`;
      });
      const bases = ["CallOptions", ...(sig.extraOptions ? [sig.extraOptions] : [])].join(", ");
      optionsInterfaces.push(`/** Options of \`${id}\`: the call options and the operation's own parameters. */\nexport interface ${optionsName} extends ${bases} {\n${fields.join("\n")}\n}`);
    }
    const optionsRequired = sig.options.some((o) => o.required && !o.defaulted);

    // --- the arguments, as the signature and as the send function take them
    const argType = (a: Signature["args"][number]) => {
      if (a.type) return a.type;
      if (a.in === "path") return "string";
      if (a.in === "query") return paramType(id, param(a.param));
      const schema = bodyMedia!.schema as Json;
      const inline = deref(schema);
      if (kindOf(bodyMediaType!) === "json" && inline?.type === "array" && refName(inline.items)) return `readonly ${rootTypeName(refName(inline.items)!)}[]`;
      return bodyType(schema, bodyMediaType!, `OperationTypes["${id}"]["requestBody"]["content"]["${bodyMediaType}"]`);
    };
    const params = sig.args.map((a) => `${a.name}${a.required ? "" : "?"}: ${argType(a)}`);
    const fixedNames = Object.keys(sig.fixed).map(camel);
    const omitted = parameters.filter((p) => (p.in === "query" || p.in === "header") && !sig.options.some((o) => o.param === p.name) && !sig.args.some((a) => a.param === p.name));
    const sendOptionsType = omitted.length
      ? `${optionsName} & { ${omitted.map((p) => `${camel(p.name)}?: ${paramType(id, p)} | undefined`).join("; ")} }`
      : optionsName;

    // --- the result
    const specData = responseTypes(id, op, (s) => /^2\d\d$/.test(s));
    const errors = responseTypes(id, op, (s) => !/^2\d\d$/.test(s));
    const result = `Promise<Result<${sig.data ?? specData}, ${errors}>>`;
    // A hand-written method makes its own `data` of the spec's; its send function answers as the spec says.
    const sent = sig.handWritten ? `Promise<Result<${specData}, ${errors}>>` : result;

    // --- the doc comment and the interface member
    const statuses = Object.entries<Json>(op.responses ?? {})
      .filter(([s]) => !/^[12]\d\d$/.test(s))
      .map(([s, r]) => [s, firstSentence(String(deref(r)?.description ?? ""))].filter(Boolean).join(": "));
    const paragraphs = [String(op.summary ?? id), ...(sig.note ? [sig.note] : []), ...(statuses.length ? [`Errors (\`error.status\`): ${statuses.join("; ")}.`] : [])];
    const publicOptions = fixedNames.length ? `Omit<${optionsName}, ${fixedNames.map((n) => JSON.stringify(n)).join(" | ")}>` : optionsName;
    members.push(`${docComment(paragraphs, "  ")}  ${id}(${[...params, `options${optionsRequired ? "" : "?"}: ${publicOptions}`].join(", ")}): ${result};`);

    // --- the send function
    const value = (name: string, overridden: boolean) => (overridden ? `${name} as never` : name);
    const pathValues = sig.args.filter((a) => a.in === "path").map((a) => `${a.param}: ${a.name}`);
    const queryValues: string[] = [];
    const headerValues: string[] = [];
    for (const p of parameters) {
      if (p.in !== "query" && p.in !== "header") continue;
      const arg = sig.args.find((a) => a.param === p.name);
      const option = sig.options.find((o) => o.param === p.name);
      const expr = arg ? value(arg.name, arg.type !== undefined) : option ? value(`o.${option.name}`, option.type !== undefined || option.defaulted === true) : `o.${camel(p.name)}`;
      (p.in === "query" ? queryValues : headerValues).push(`${JSON.stringify(p.name)}: ${expr}`);
    }
    const bodyArg = sig.args.find((a) => a.in === "body");
    const readsOptions = queryValues.some((v) => v.includes("o.")) || headerValues.some((v) => v.includes("o."));
    const paramsParts = [
      pathValues.length ? `path: { ${pathValues.join(", ")} }` : "",
      queryValues.length ? `query: { ${queryValues.join(", ")} }` : "",
      headerValues.length ? `header: { ${headerValues.join(", ")} }` : "",
    ].filter(Boolean);
    const initParts = [...(paramsParts.length ? [`params: { ${paramsParts.join(", ")} }`] : []), ...(bodyArg ? [`body: ${value(bodyArg.name, true)}`] : [])];
    // The core's init is made per request, so params and body are set on it: a spread copy of it
    // (openapi-fetch makes two more) cost about 1 µs a call.
    const init = initParts.length ? `Object.assign(init, { ${initParts.join(", ")} })` : "init";
    const sendParams = ["plan: CallPlan | undefined", ...params, `options${optionsRequired ? "" : "?"}: ${sendOptionsType}`];
    const lines = [`export function send${pascal(id)}(ctx: ClientContext, ${sendParams.join(", ")}): ${sent} {`];
    if (readsOptions) lines.push(`  const o = optionsObject(options);`);
    const plan = bodyArg && !bodyArg.required ? `{ ...plan, withBody: ${bodyArg.name} !== undefined }` : "plan";
    lines.push(`  return request(ctx, ${JSON.stringify(id)}, options, (api, init) => api.${method.toUpperCase()}(${JSON.stringify(path)}, ${init}), ${plan}) as never;`, "}");
    sendFunctions.push(lines.join("\n"));

    // --- the bound method, unless it is written by hand
    if (sig.handWritten) {
      handWritten.push(id);
      continue;
    }
    const names = sig.args.map((a) => a.name);
    const fixed = `{ ...optionsObject(options), ${Object.entries(sig.fixed).map(([k, v]) => `${camel(k)}: ${JSON.stringify(v)}`).join(", ")} }`;
    bound.push(
      fixedNames.length
        ? `    ${id}: (${[...names, "options"].join(", ")}) => send${pascal(id)}(ctx, undefined, ${[...names, fixed].join(", ")}),`
        : `    ${id}: send${pascal(id)}.bind(undefined, ctx, undefined),`,
    );
  }

  // Every type these files may name is imported; pruneImports leaves out what the code does not use.
  const fromSchema = Object.keys(spec.doc.components.schemas).map(rootTypeName).sort();
  const sdkImports = new Map<string, string[]>();
  for (const name of Object.keys(SDK_TYPES).sort()) sdkImports.set(SDK_TYPES[name]!, [...(sdkImports.get(SDK_TYPES[name]!) ?? []), name]);
  const schemaImport = `import type { ${[...fromSchema, "operations as OperationTypes"].join(", ")} } from "./schema.js";`;
  const sdkImportLines = [...sdkImports].map(([from, names]) => `import type { ${names.join(", ")} } from "${from}";`);
  const types = [
    `import type { CallOptions } from "../core/options.js";`,
    `import type { Result } from "../core/result.js";`,
    ...sdkImportLines,
    schemaImport,
    "",
    ...optionsInterfaces.flatMap((s) => [s, ""]),
    `/** The client's methods, one per spec operation, named by its operationId. */`,
    `export interface OperationMethods {\n${members.join("\n")}\n}`,
    "",
  ].join("\n");
  const optionsNames = optionsInterfaces.map((s) => /export interface (\w+)/.exec(s)![1]!);
  const runtime = [
    `import type { ClientContext } from "../core/context.js";`,
    `import { optionsObject, type CallOptions } from "../core/options.js";`,
    `import { request, type CallPlan } from "../core/request.js";`,
    `import type { Result } from "../core/result.js";`,
    ...sdkImportLines,
    schemaImport,
    `import type { OperationMethods, ${optionsNames.join(", ")} } from "./method-types.js";`,
    "",
    `/** The methods written by hand (src/methods/hand-written.ts; scripts/method-exceptions.json says why). */`,
    `export type HandWrittenMethods = Pick<OperationMethods, ${handWritten.map((id) => JSON.stringify(id)).join(" | ")}>;`,
    "",
    ...sendFunctions.flatMap((s) => [s, ""]),
    `/** The methods the argument rule writes whole, bound to a client. */`,
    `export function generatedMethods(ctx: ClientContext): Omit<OperationMethods, keyof HandWrittenMethods> {`,
    `  return {\n${bound.join("\n")}\n  };`,
    `}`,
    "",
  ].join("\n");
  return { types: pruneImports(types), runtime: pruneImports(runtime), signatures };
}

/** `source` with the names its imports bring but its code never uses left out (and empty imports dropped). */
function pruneImports(source: string): string {
  const lines = source.split("\n");
  const body = lines.filter((l) => !l.startsWith("import ")).join("\n");
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(body);
  return lines
    .flatMap((line) => {
      const m = /^import (type )?\{ (.*) \} from (".*");$/.exec(line);
      if (!m) return [line];
      const kept = m[2]!.split(", ").filter((spec) => uses(spec.replace(/^type /, "").split(" as ").pop()!));
      return kept.length ? [`import ${m[1] ?? ""}{ ${kept.join(", ")} } from ${m[3]};`] : [];
    })
    .join("\n");
}
