/** The spec's operations as the route diff compares them, read from the bundled document. */
import { fileURLToPath } from "node:url";
import { bundle, createConfig } from "@redocly/openapi-core";
import { SERVER_HEADER } from "./handler-inputs.js";

export interface SpecParam {
  name: string;
  since?: string;
}

export interface SpecOperation {
  method: string;
  path: string;
  operationId: string;
  since?: string;
  query: SpecParam[];
  /** Only the server's own `spacetime-*` headers. */
  headers: SpecParam[];
}

type Json = Record<string, any>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export const DEFAULT_SPEC = fileURLToPath(new URL("../../openapi/spacetimedb-v1.yaml", import.meta.url));

const cache = new Map<string, Promise<SpecOperation[]>>();

/** The spec's operations (read once per path and process). */
export function readSpecOperations(specPath = DEFAULT_SPEC): Promise<SpecOperation[]> {
  if (!cache.has(specPath)) cache.set(specPath, readOperations(specPath));
  return cache.get(specPath)!;
}

async function readOperations(specPath: string): Promise<SpecOperation[]> {
  const { bundle: doc } = await bundle({ ref: specPath, config: await createConfig({}) });
  const spec = doc.parsed as Json;
  const deref = (node: Json | undefined): Json | undefined => {
    let cur = node;
    while (cur?.$ref) cur = (cur.$ref as string).slice(2).split("/").reduce((n: Json, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
    return cur;
  };
  const ops: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries<Json>(spec.paths ?? {})) {
    const item = deref(rawItem)!;
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => deref(p)!);
      const named = (where: string, keep: (name: string) => boolean) =>
        params.filter((p) => p.in === where && keep(p.name)).map((p) => ({ name: where === "header" ? String(p.name).toLowerCase() : String(p.name), ...(p["x-spacetimedb-since"] ? { since: String(p["x-spacetimedb-since"]) } : {}) }));
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: String(op.operationId),
        ...(op["x-spacetimedb-since"] ? { since: String(op["x-spacetimedb-since"]) } : {}),
        query: named("query", () => true),
        headers: named("header", (name) => SERVER_HEADER.test(name.toLowerCase())),
      });
    }
  }
  return ops;
}
