/**
 * Hostile schemas at scale. Each runs the real CLI (`src/cli.ts` under tsx) in a child process with a
 * 512 MB heap, bounded in time as behaviour only (generously, for a loaded machine); the inputs are
 * sized so that the generator of 2026-12 needed far more than ten times the bound, or could not finish:
 * - a self-similar schema of 40 levels: inlined, its output doubled per level (2^40 × 12 B); it ran
 *   out of memory;
 * - 80k types and 80k reducers of one name: the name table was quadratic (16k took 5 s here, so 80k
 *   twice about 260 s);
 * - a 32 MB schema of nested arrays: `JSON.parse` alone ran out of the heap (exit 134);
 * - a chain of 10,000 unnamed array types: written as one 10,000-deep type, the compiler overflowed.
 * The outputs that must compile are type-checked; so is a definition as deep as the nesting limit
 * allows (the limit suits the compiler).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../src/codegen/index.js";
import { jsonDepthExceeds } from "../../src/sats/index.js";
import { runNode, type ChildRun } from "../helpers/child.js";
import { compileErrors, removeTempProjects, tempProject } from "./compile.js";
import { el, moduleV9, reducer, refChain, sameNames, selfSimilar, table } from "./hostile-schemas.js";

const root = resolve(import.meta.dirname, "../..");
const cli = join(root, "src/cli.ts");
afterAll(removeTempProjects);

/** `spacetimedb-http generate --schema <schema> --out <out>` in a child with a 512 MB heap, killed after `boundMs`. */
async function generateInChild(dir: string, schema: string, boundMs: number): Promise<ChildRun> {
  await writeFile(join(dir, "schema.json"), schema);
  return runNode(["--max-old-space-size=512"], [cli, "generate", "--schema", "schema.json", "--out", "bindings.ts"], { cwd: dir, boundMs });
}

describe("hostile schemas, in a 512 MB heap", { timeout: 180_000 }, () => {
  it("a self-similar schema of 40 levels gives a small file that compiles", async () => {
    const dir = await tempProject();
    const run = await generateInChild(dir, JSON.stringify(selfSimilar(40)), 30_000);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = await readFile(join(dir, "bindings.ts"), "utf8");
    expect(out.length).toBeLessThan(40_000);
    expect(compileErrors([join(dir, "bindings.ts")])).toEqual([]);
  });

  it("80k types and 80k reducers of one name are named in linear time", async () => {
    const dir = await tempProject();
    const run = await generateInChild(dir, JSON.stringify(sameNames(80_000)), 20_000);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = await readFile(join(dir, "bindings.ts"), "utf8");
    expect(out).toContain("export type A80000 = A;");
    expect(out).toContain("  a80000(args?: Record<string, never>");
  });

  it("a 32 MB schema of nested arrays exits 3, naming the depth, within the heap", async () => {
    const dir = await tempProject();
    const levels = 16 * 1024 * 1024;
    const run = await generateInChild(dir, `${"[".repeat(levels)}${"]".repeat(levels)}`, 30_000);
    expect(run.stderr).toBe("spacetimedb-http: the schema is not JSON: JSON nests arrays and objects more than 256 levels deep\n");
    expect(run.code).toBe(3);
  });

  it("a chain of 10,000 unnamed array types gives a file that compiles", async () => {
    const dir = await tempProject();
    const run = await generateInChild(dir, JSON.stringify(refChain(10_000)), 30_000);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(compileErrors([join(dir, "bindings.ts")])).toEqual([]);
  });
});

describe("the nesting limit suits the compiler", { timeout: 180_000 }, () => {
  it("a definition nested as deep as the limit allows gives a file that compiles", async () => {
    const shapes: Record<string, (inner: unknown) => unknown> = {
      array: (t) => ({ Array: t }),
      product: (t) => ({ Product: { elements: [el("a", t)] } }),
      option: (t) => ({ Sum: { variants: [el("some", t), el("none", { Product: { elements: [] } })] } }),
    };
    const dir = await tempProject();
    const files: string[] = [];
    for (const [name, wrap] of Object.entries(shapes)) {
      const nest = (levels: number) => {
        let t: unknown = { U32: [] };
        for (let i = 0; i < levels; i++) t = wrap(t);
        return t;
      };
      const def = (levels: number) =>
        JSON.stringify(moduleV9({ types: [{ Product: { elements: [el("x", nest(levels))] } }], tables: [table("t", 0)], reducers: [reducer("r", el("p", nest(levels)))] }));
      let levels = 1;
      while (!jsonDepthExceeds(def(levels + 1), 256)) levels++;
      expect(() => generate(def(levels + 1))).toThrow(/more than 256 levels deep/);
      files.push(join(dir, `${name}.ts`));
      await writeFile(files.at(-1)!, generate(def(levels)));
    }
    expect(compileErrors(files)).toEqual([]);
  });
});
