/**
 * A Redocly decorator (applied by `redocly bundle` and `redocly build-docs`, configured in
 * redocly.yaml): each operation gets `x-codeSamples`, its spacetimedb-http call and a curl command,
 * written from the spec itself (the path, the parameters' examples, the request body's example).
 * test/build/code-samples.test.ts type-checks every TypeScript sample against the client.
 */
import { readFileSync } from "node:fs";

const METHODS = ["get", "put", "post", "delete", "patch", "head"];
/**
 * Each method's arguments, as scripts/generate.ts derives them from the spec by the argument rule and
 * scripts/method-exceptions.json (`npm run generate` keeps this file current; CI fails on drift).
 */
const SIGNATURES = new Map(JSON.parse(readFileSync(new URL("../src/generated/signatures.json", import.meta.url), "utf8")).map((s) => [s.id, s]));
const BASE = "http://127.0.0.1:3000";

/** An example value for a parameter: its own, its schema's, or one that fits the SDK's usual values. */
function exampleOf(parameter, resolve) {
  const schema = parameter.schema && resolve(parameter.schema);
  const named = parameter.example ?? Object.values(parameter.examples ?? {})[0]?.value ?? schema?.example;
  if (named !== undefined) return named;
  if (parameter.name === "name_or_identity") return "quickstart-chat";
  if (parameter.name === "path") return "hello";
  return "…";
}

function bodyExample(operation, resolve) {
  const body = operation.requestBody && resolve(operation.requestBody);
  const [type, media] = Object.entries(body?.content ?? {})[0] ?? [];
  if (!type) return undefined;
  const example = media.example ?? Object.values(media.examples ?? {})[0]?.value;
  if (/json/.test(type)) return { type, kind: "json", example: example ?? {} };
  if (type.startsWith("text/")) return { type, kind: "text", example: typeof example === "string" ? example : "" };
  return { type, kind: "binary" };
}

const literal = (value) => JSON.stringify(value);
const shellQuote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;

function samples(path, method, operation, pathParameters, resolve) {
  const parameters = [...pathParameters, ...(operation.parameters ?? [])].map(resolve);
  const inPath = parameters.filter((p) => p.in === "path");
  const values = Object.fromEntries(inPath.map((p) => [p.name, exampleOf(p, resolve)]));
  const url = BASE + path.replace(/\{(\w+)\}/g, (_m, name) => encodeURIComponent(values[name]));
  const signature = SIGNATURES.get(operation.operationId);
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const positionalQuery = (signature?.args ?? []).filter((a) => a.in === "query").map((a) => a.param);
  const requiredQuery = parameters.filter((p) => p.in === "query" && (p.required || positionalQuery.includes(p.name)));
  const query = requiredQuery.map((p) => `${p.name}=${encodeURIComponent(exampleOf(p, resolve))}`).join("&");
  const body = bodyExample(operation, resolve);
  const credentials = (operation.security ?? [{}]).length > 0;

  const curl = [`curl -X ${method.toUpperCase()} "${url}${query ? `?${query}` : ""}"`];
  if (credentials) curl.push(`-H "Authorization: Bearer $SPACETIMEDB_TOKEN"`);
  if (body) curl.push(`-H "Content-Type: ${body.type}"`);
  if (body?.kind === "json") curl.push(`-d ${shellQuote(JSON.stringify(body.example))}`);
  if (body?.kind === "text") curl.push(`-d ${shellQuote(body.example)}`);
  if (body?.kind === "binary") curl.push("--data-binary @module.wasm");

  const id = operation.operationId;
  let call;
  if (id.startsWith("httpRoute")) {
    const route = path.endsWith("/route") ? "" : path.endsWith("/route/") ? "/" : `/${values.path}`;
    call = `client.route(${literal(values.name_or_identity)}, ${literal(route)}, { method: ${literal(method.toUpperCase())} })`;
  } else if (id === "subscribe") {
    call = `client.subscribeUrl(${literal(values.name_or_identity)})`;
  } else {
    const args = signature.args.map((a) => {
      if (a.in === "path") return literal(values[a.param]);
      if (a.in === "query") return literal(String(exampleOf(byName.get(a.param), resolve)));
      return body.kind === "binary" ? "wasmBytes" : literal(body.example);
    });
    const options = signature.options.filter((o) => o.required && !o.defaulted).map((o) => `${o.name}: ${literal(exampleOf(byName.get(o.param), resolve))}`);
    if (options.length) args.push(`{ ${options.join(", ")} }`);
    call = `client.${id}(${args.join(", ")})`;
  }
  const typescript = `const result = await ${call};\nif (result.ok) console.log(result.data);\nelse console.error(result.error.message);`;
  return [
    { lang: "TypeScript", label: "spacetimedb-http", source: typescript },
    { lang: "Shell", label: "curl", source: curl.join(" \\\n  ") },
  ];
}

export default function plugin() {
  return {
    id: "spacetimedb",
    decorators: {
      oas3: {
        "code-samples": () => ({
          PathItem: {
            leave(pathItem, ctx) {
              const resolve = (node) => (node && node.$ref ? ctx.resolve(node).node : node);
              for (const method of METHODS) {
                const operation = pathItem[method];
                if (operation) operation["x-codeSamples"] = samples(ctx.key, method, operation, pathItem.parameters ?? [], resolve);
              }
            },
          },
        }),
      },
    },
  };
}
