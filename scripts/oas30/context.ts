/**
 * What a conversion records while it walks the 3.1 document: each change by kind (counted, with the
 * first place it happened), and every keyword it cannot handle, by JSON pointer.
 */

/** The conversions this converter performs: what it does, and what 3.0 loses by it (if anything). */
export const CHANGES = {
  version: { did: "`openapi: 3.1.x` → `3.0.3`" },
  infoSummary: { did: "`info.summary` (3.1 only) → the first paragraph of `info.description`" },
  licenseIdentifier: { did: "`license.identifier` (SPDX) → `license.url` (its spdx.org page)" },
  dialect: { did: "`jsonSchemaDialect` dropped", lost: "the declared JSON Schema dialect" },
  webhooks: { did: "`webhooks` → `x-webhooks` (Redoc shows them)", lost: "webhooks, for generators" },
  pathItemRef: { did: "a path item `$ref` to `components.pathItems` → the path item inlined" },
  pathItemsComponents: { did: "`components.pathItems` (3.1 only) dropped once inlined" },
  noPaths: { did: "`paths: {}` added (3.1 makes `paths` optional)" },
  noResponses: { did: "an operation without `responses` → a `default` response" },
  refOverride: { did: "a reference with `summary`/`description` → the target inlined with them" },
  inlinedOnly: { did: "a component (not a schema) only ever referenced with its own `summary`/`description` → dropped, being inlined everywhere" },
  typeNull: { did: "`type: [X, \"null\"]` → `type: X` with `nullable: true`" },
  typeOnlyNull: { did: "`type: \"null\"` → `nullable: true` with `enum: [null]`" },
  typeMany: { did: "`type: [X, Y, …]` → `anyOf: [{type: X}, {type: Y}, …]`" },
  anyJson: { did: "a schema without `type` that accepts `null` (any JSON value) → `nullable: true`" },
  const: { did: "`const: v` → `enum: [v]`" },
  examples: { did: "a schema's `examples` array → `example` (the first one)", lost: "a schema's examples after the first" },
  exclusiveBound: { did: "numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the boolean form" },
  refSiblings: { did: "`$ref` with sibling keywords → `allOf: [{$ref}]` beside them (3.0 ignores `$ref`'s siblings)" },
  contentBinary: { did: "a string without `format` whose `contentMediaType` is not text, or with a `contentEncoding` → `format: binary` (`byte` for base64)" },
  contentMediaType: { did: "`contentMediaType` → `x-contentMediaType`", lost: "the media type of a string's content, for validators (kept as `x-contentMediaType`)" },
  contentSchema: {
    did: "`contentSchema` (e.g. the records of an NDJSON body) → `x-contentSchema`, converted",
    lost: "the schema of a string's decoded content (e.g. NDJSON records), for generators and validators (kept as `x-contentSchema`)",
  },
  booleanSchema: { did: "boolean schemas → `{}` (true) or `{not: {}}` (false)" },
  arrayItems: { did: "an array schema without `items` → `items` accepting any JSON value" },
  prefixItems: { did: "`prefixItems` → `items: {anyOf: […]}` and the tuple's length", lost: "which position holds which type" },
  dropped: {
    did: "keywords 3.0 has no form for (`propertyNames`, `patternProperties`, `if`/`then`/`else`, `dependent*`, `unevaluated*`, `contains`) dropped; the description quotes them",
    lost: "constraints 3.0 has no keyword for (`propertyNames`…), for validators (each one quoted in its schema's description)",
  },
  comment: { did: "`$comment` and `$schema` dropped" },
} satisfies Record<string, { did: string; lost?: string }>;

export type Change = keyof typeof CHANGES;

export const changeText = (change: Change): { did: string; lost?: string } => CHANGES[change];

export interface Unhandled {
  /** JSON pointer of the keyword in the 3.1 document. */
  pointer: string;
  /** The kind of object it was found in (`schema`, `operation`, …). */
  location: string;
  reason: string;
}

export class Context {
  readonly changes = new Map<Change, { count: number; first: string }>();
  readonly unhandled: Unhandled[] = [];
  /** The `$ref`s the conversion replaced by their target. */
  readonly inlined = new Set<string>();
  constructor(readonly root: Record<string, unknown>) {}

  record(change: Change, pointer: string): void {
    const seen = this.changes.get(change);
    if (seen) seen.count++;
    else this.changes.set(change, { count: 1, first: pointer });
  }

  unknown(pointer: string, location: string, reason = "not a keyword the converter knows here"): void {
    this.unhandled.push({ pointer, location, reason });
  }

  /** The value a local `$ref` (`#/…`) points at, or undefined. */
  resolve(ref: string): unknown {
    if (!ref.startsWith("#/")) return undefined;
    let node: unknown = this.root;
    for (const part of ref.slice(2).split("/")) {
      if (!isObject(node)) return undefined;
      node = node[pointerKey(part)];
    }
    return node;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export const child = (pointer: string, key: string | number): string => `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** One segment of a JSON pointer (`~1` is `/`, `~0` is `~`), as written in a `$ref`, read back as a key. */
export const pointerKey = (part: string) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * An object whose fields 3.0 has in the same form (values copied, not walked): `externalDocs`,
 * `discriminator`, `xml`, `contact`… Any other field but an `x-` extension is unhandled.
 */
export function plain(location: string, fields: readonly string[]) {
  return (value: unknown, ctx: Context, pointer: string): unknown => {
    if (!isObject(value)) {
      ctx.unknown(pointer, location, `a ${location} must be an object`);
      return value;
    }
    for (const key of Object.keys(value)) if (!key.startsWith("x-") && !fields.includes(key)) ctx.unknown(child(pointer, key), location);
    return structuredClone(value);
  };
}
