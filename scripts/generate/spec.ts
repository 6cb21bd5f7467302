/** The bundled spec as the generator reads it: one document, `$ref`s followed on demand. */
import { fileURLToPath } from "node:url";
import { bundle, createConfig } from "@redocly/openapi-core";

export type Json = Record<string, any>;

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

export interface Spec {
  readonly doc: Json;
  /** The node a `$ref` points at (followed until it is not one), or the node itself. */
  deref(node: Json | undefined): Json | undefined;
}

export interface SpecOperation {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly op: Json;
  /** Path-item and operation parameters, resolved. */
  readonly parameters: Json[];
}

export async function loadSpec(specUrl: URL): Promise<Spec> {
  const config = await createConfig({});
  const { bundle: bundled } = await bundle({ ref: fileURLToPath(specUrl), config });
  const doc = bundled.parsed as Json;
  const deref = (node: Json | undefined): Json | undefined => {
    let cur = node;
    while (cur?.$ref) {
      cur = cur.$ref
        .slice(2)
        .split("/")
        .reduce((n: Json, key: string) => n[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
    }
    return cur;
  };
  return { doc, deref };
}

/** Every operation of the spec, in the spec's order. */
export function listOperations({ doc, deref }: Spec): SpecOperation[] {
  const list: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries<Json>(doc.paths)) {
    const item = deref(rawItem)!;
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => deref(p)!);
      list.push({ id: op.operationId, method, path, op, parameters });
    }
  }
  return list;
}

/** The name of the schema a `$ref` points at. */
export const refName = (schema: Json | undefined): string | undefined => (typeof schema?.$ref === "string" ? schema.$ref.split("/").pop() : undefined);

/** `name_or_identity` → `nameOrIdentity`, `spacetime-environment-remove` → `spacetimeEnvironmentRemove`. */
export const camel = (name: string) => name.replace(/[-_](\w)/g, (_m, c: string) => c.toUpperCase());

/** The body kind of a media type, as the client sends or reads it. */
export function kindOf(mediaType: string): "json" | "ndjson" | "text" | "binary" {
  if (/[/+]json\b/.test(mediaType)) return "json";
  if (mediaType.includes("x-ndjson")) return "ndjson";
  if (mediaType.startsWith("text/") || mediaType.includes("pem")) return "text";
  return "binary";
}
