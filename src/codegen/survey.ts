/**
 * One pass over a module's types before any code is written: what the generator cannot write soundly
 * is refused here, naming the cause (a `SatsError`), and each typespace type's uses are counted, so
 * that an unnamed type used more than once is declared once and referred to (output linear in the
 * schema) rather than written out at every use. (How deep a definition nests is checked before: see
 * `generate`.)
 */
import type { AlgebraicType, ModuleInfo } from "../sats/index.js";
import { SatsError } from "../sats/index.js";
import { kindOf, nameOf } from "../sats/shape.js";

const q = JSON.stringify;

function refuse(reason: string): never {
  throw new SatsError(reason);
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** For each typespace index, how many `Ref`s name it. Throws for what cannot be generated. */
export function surveyModule(module: ModuleInfo): number[] {
  const { types } = module.typespace;
  const uses = new Array<number>(types.length).fill(0);

  const walk = (root: unknown, where: string): void => {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const t = stack.pop();
      let kind: string;
      try {
        kind = kindOf(t);
      } catch {
        return refuse(`${where} holds something that is not a SATS type: ${q(t)?.slice(0, 80)}`);
      }
      const body = (t as Record<string, unknown>)[kind];
      if (kind === "Ref") {
        if (!(Number.isInteger(body) && (body as number) >= 0 && (body as number) < types.length))
          refuse(`${where} refers to type ${q(body)}, which the typespace does not have`);
        uses[body as number]!++;
      } else if (kind === "Array") stack.push(body);
      else if (kind === "Product" || kind === "Sum") {
        const list = isObj(body) ? body[kind === "Product" ? "elements" : "variants"] : undefined;
        if (!Array.isArray(list) || !list.every(isObj)) refuse(`${where} has a ${kind} without a list of ${kind === "Product" ? "elements" : "variants"}`);
        if (kind === "Product") {
          const seen = new Set<string>();
          list.forEach((e, i) => {
            const key = nameOf(e.name) ?? String(i);
            if (seen.has(key)) refuse(`${where} has two fields keyed ${q(key)} (an unnamed field is keyed by its position)`);
            seen.add(key);
          });
        }
        for (const e of list) stack.push(e.algebraic_type);
      }
    }
  };

  types.forEach((t, i) => walk(t, `type ${i} of the typespace`));
  for (const r of module.reducers) walk({ Product: r.params }, `the parameter list of reducer ${q(r.name)}`);
  for (const p of module.procedures) {
    walk({ Product: p.params }, `the parameter list of procedure ${q(p.name)}`);
    walk(p.returnType, `the return type of procedure ${q(p.name)}`);
  }
  for (const v of module.views) {
    walk({ Product: v.params }, `the parameter list of view ${q(v.name)}`);
    walk(v.returnType, `the return type of view ${q(v.name)}`);
  }
  for (const t of module.types) {
    if (!(t.ref >= 0 && t.ref < types.length)) refuse(`the type ${q(t.path.join("::"))} refers to type ${t.ref}, which the typespace does not have`);
  }
  refuseBareCycles(types);
  refuseSharedNames(module);
  return uses;
}

/** A type that is only a `Ref` to a type that is only a `Ref`… back to itself has no shape at all. */
function refuseBareCycles(types: AlgebraicType[]): void {
  const settled = new Set<number>();
  types.forEach((_, start) => {
    const chain = new Set<number>();
    for (let i = start; !settled.has(i); ) {
      if (chain.has(i)) {
        const cycle = [...chain].slice([...chain].indexOf(i));
        refuse(`type ${i} of the typespace is a cycle of bare references (${[...cycle, i].join(" → ")})`);
      }
      chain.add(i);
      const t = types[i]!;
      if (!("Ref" in t)) break;
      i = t.Ref;
    }
    for (const i of chain) settled.add(i);
  });
}

/** The server calls reducers and procedures by name: two of one name cannot both be bound. */
function refuseSharedNames(module: ModuleInfo): void {
  const seen = new Set<string>();
  for (const { name } of [...module.reducers, ...module.procedures]) {
    if (seen.has(name)) refuse(`two reducers or procedures are named ${q(name)}: calls name them, so each name must be one function's`);
    seen.add(name);
  }
}
