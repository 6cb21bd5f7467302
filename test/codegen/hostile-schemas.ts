/**
 * Module definitions a hostile server could send (RawModuleDefV9 shape), for the generator's tests and
 * bench/hostile-codegen.ts: each is small, and each made the generator of 2026-12 blow up in time,
 * memory or the compiler.
 */
export const el = (name: string | undefined, t: unknown) => ({ name: name === undefined ? { none: [] } : { some: name }, algebraic_type: t });

export const table = (name: string, ref: number) => ({
  name,
  product_type_ref: ref,
  primary_key: [],
  indexes: [],
  constraints: [],
  sequences: [],
  schedule: { none: [] },
  table_type: { User: [] },
  table_access: { Public: [] },
});

export const reducer = (name: string, ...params: ReturnType<typeof el>[]) => ({ name, params: { elements: params }, lifecycle: { none: [] } });

export function moduleV9(parts: { types?: unknown[]; tables?: unknown[]; reducers?: unknown[]; named?: unknown[]; procedures?: unknown[] }) {
  return {
    typespace: { types: parts.types ?? [] },
    tables: parts.tables ?? [],
    reducers: parts.reducers ?? [],
    types: parts.named ?? [],
    misc_exports: (parts.procedures ?? []).map((p) => ({ Procedure: p })),
    row_level_security: [],
  };
}

/** `levels` unnamed product types, each with two fields of the next one (written inline, the text doubles per level), and a table of the first. */
export function selfSimilar(levels: number) {
  const types: unknown[] = [];
  for (let i = 0; i < levels; i++) types.push({ Product: { elements: [el("a", { Ref: i + 1 }), el("b", { Ref: i + 1 })] } });
  types.push({ U8: [] });
  return moduleV9({ types, tables: [table("t", 0)] });
}

/** `count` named types all named `a`, and `count` reducers whose names all become `a` in camelCase. */
export function sameNames(count: number) {
  const separators = "-_. :/+~";
  const reducerName = (i: number) => `a${[...i.toString(8)].map((d) => separators[Number(d)]).join("")}`;
  return moduleV9({
    types: [{ U8: [] }],
    named: Array.from({ length: count }, () => ({ name: { scope: [], name: "a" }, ty: 0 })),
    reducers: Array.from({ length: count }, (_, i) => reducer(reducerName(i))),
  });
}

/** `length` unnamed array types, each of the next one, used once each: nesting as deep as the chain is long. */
export function refChain(length: number) {
  const types: unknown[] = [{ Product: { elements: [el("x", { Ref: 1 })] } }];
  for (let i = 1; i <= length; i++) types.push({ Array: { Ref: i + 1 } });
  types.push({ U32: [] });
  return moduleV9({ types, tables: [table("t", 0)] });
}
