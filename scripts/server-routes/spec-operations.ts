/** The spec's operations as the route diff compares them, read as the generator reads them (scripts/generate/spec.ts). */
import { fileURLToPath, pathToFileURL } from "node:url";
import { listOperations, loadSpec } from "../generate/spec.js";
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

export const DEFAULT_SPEC = fileURLToPath(new URL("../../openapi/spacetimedb-v1.yaml", import.meta.url));

const cache = new Map<string, Promise<SpecOperation[]>>();

/** The spec's operations (read once per path and process). */
export function readSpecOperations(specPath = DEFAULT_SPEC): Promise<SpecOperation[]> {
  if (!cache.has(specPath)) cache.set(specPath, readOperations(specPath));
  return cache.get(specPath)!;
}

async function readOperations(specPath: string): Promise<SpecOperation[]> {
  return listOperations(await loadSpec(pathToFileURL(specPath))).map(({ id, method, path, op, parameters }) => {
    const named = (where: string, keep: (name: string) => boolean) =>
      parameters.filter((p) => p.in === where && keep(p.name)).map((p) => ({ name: where === "header" ? String(p.name).toLowerCase() : String(p.name), ...(p["x-spacetimedb-since"] ? { since: String(p["x-spacetimedb-since"]) } : {}) }));
    return {
      method: method.toUpperCase(),
      path,
      operationId: String(id),
      ...(op["x-spacetimedb-since"] ? { since: String(op["x-spacetimedb-since"]) } : {}),
      query: named("query", () => true),
      headers: named("header", (name) => SERVER_HEADER.test(name.toLowerCase())),
    };
  });
}
