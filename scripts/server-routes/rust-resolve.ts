/**
 * Name resolution over the indexed Rust, closely enough for route reading: `crate::`, `self::`,
 * `super::`, other indexed crates by name, `use` imports (re-exports and globs included), child
 * modules; for a path it cannot follow (an external crate, a macro-made module), a module whose
 * path ends with the path's module segments.
 */
import type { Token } from "./rust-tokens.js";
import type { Crate, FnDef, ImplDef, Module, StructDef } from "./rust-items.js";

type Pick<T> = (m: Module, name: string) => T | undefined;

export class Resolver {
  constructor(private readonly crate: Crate) {}

  fn(segments: string[], from: string): FnDef | undefined {
    return this.resolve(segments, from, (m, name) => m.fns.get(name));
  }

  struct(segments: string[], from: string): StructDef | undefined {
    return this.resolve(segments, from, (m, name) => m.structs.get(name)) ?? this.anyStruct(segments, from);
  }

  constant(segments: string[], from: string): Token[] | undefined {
    return this.resolve(segments, from, (m, name) => m.consts.get(name));
  }

  /** A method of `type` from any impl block, preferring one in the same crate as `from`. */
  implMethod(type: string, name: string, from: string): FnDef | undefined {
    return this.impls(type, from).find((i) => i.methods.has(name))?.methods.get(name);
  }

  /** The impl blocks of `type` (of `trait` if given), those in the same crate as `from` first. */
  impls(type: string, from: string, trait?: string): ImplDef[] {
    const root = crateOf(from);
    const all = this.crate.impls.filter((i) => i.type === type && (trait === undefined || i.trait === trait));
    return [...all.filter((i) => crateOf(i.module) === root), ...all.filter((i) => crateOf(i.module) !== root)];
  }

  /** A struct by bare name anywhere, when imports do not lead to it (same crate first). */
  private anyStruct(segments: string[], from: string): StructDef | undefined {
    if (segments.length !== 1) return undefined;
    const found = [...this.crate.modules.values()].filter((m) => m.structs.has(segments[0]!));
    const same = found.find((m) => crateOf(m.id) === crateOf(from)) ?? found[0];
    return same?.structs.get(segments[0]!);
  }

  private resolve<T>(segments: string[], from: string, pick: Pick<T>, depth = 0): T | undefined {
    if (depth > 12 || segments.length === 0) return undefined;
    const [head, ...tail] = segments as [string, ...string[]];
    const mod = this.crate.modules.get(from);
    if (head === "crate") return this.walk(crateOf(from), tail, pick, depth);
    if (head === "self") return this.walk(from, tail, pick, depth);
    if (head === "super") return this.resolve(["self", ...tail], parentOf(from), pick, depth + 1);
    if (this.crate.modules.has(head)) return this.walk(head, tail, pick, depth);
    if (mod?.uses.has(head)) {
      const target = [...mod.uses.get(head)!, ...tail];
      const found = this.resolve(target, from, pick, depth + 1) ?? this.resolve(target, parentOf(from), pick, depth + 1);
      if (found) return found;
    }
    if (this.crate.modules.has(`${from}::${head}`)) return this.walk(`${from}::${head}`, tail, pick, depth);
    if (tail.length === 0 && mod) {
      const local = this.pickIn(mod, head, pick, depth);
      if (local) return local;
    }
    const modSegs = segments.slice(0, -1);
    if (modSegs.length === 0) return undefined;
    const suffix = `::${modSegs.join("::")}`;
    const matches = [...this.crate.modules.values()].filter((m) => m.id.endsWith(suffix));
    const ordered = [...matches.filter((m) => crateOf(m.id) === crateOf(from)), ...matches.filter((m) => crateOf(m.id) !== crateOf(from))];
    for (const m of ordered) {
      const found = this.pickIn(m, segments[segments.length - 1]!, pick, depth);
      if (found) return found;
    }
    return undefined;
  }

  private walk<T>(moduleId: string, tail: string[], pick: Pick<T>, depth: number): T | undefined {
    if (tail.length === 0) return undefined;
    const [head, ...rest] = tail as [string, ...string[]];
    if (rest.length === 0) {
      const mod = this.crate.modules.get(moduleId);
      return mod ? this.pickIn(mod, head, pick, depth) : undefined;
    }
    if (this.crate.modules.has(`${moduleId}::${head}`)) return this.walk(`${moduleId}::${head}`, rest, pick, depth);
    return this.resolve(tail, moduleId, pick, depth + 1);
  }

  /** An item of a module, or one it imports under that name (`pub use`, globs). */
  private pickIn<T>(mod: Module, name: string, pick: Pick<T>, depth: number): T | undefined {
    const own = pick(mod, name);
    if (own) return own;
    const target = mod.uses.get(name);
    if (target && target.join("::") !== `${mod.id}::${name}`) {
      const found = this.resolve(target, mod.id, pick, depth + 1);
      if (found) return found;
    }
    for (const glob of mod.globs) {
      const found = this.resolve([...glob, name], mod.id, pick, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
}

export function crateOf(moduleId: string): string {
  return moduleId.split("::")[0]!;
}

export function parentOf(moduleId: string): string {
  const i = moduleId.lastIndexOf("::");
  return i === -1 ? moduleId : moduleId.slice(0, i);
}
