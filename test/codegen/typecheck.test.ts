/**
 * The generated files type-check under `strict` (the repo's compiler options): the committed ones
 * (importing ../../../src/index.js) with the type tests, and freshly generated ones importing the
 * package's public entry "spacetimedb-http" (mapped to src/index.ts), from every schema fixture.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../src/codegen/index.js";
import { compileErrors as check, removeTempProjects, tempProject } from "./compile.js";

const root = resolve(import.meta.dirname, "../..");
const fixtures = join(root, "test/codegen/fixtures");
afterAll(removeTempProjects);

describe("generated bindings type-check under strict", { timeout: 180_000 }, () => {
  it("the committed files and the type tests (wrong calls are errors)", () => {
    const files = ["quickstart-chat.v9", "quickstart-chat.v10", "rich.v9", "every-type.v9", "edge.v10"].map((f) => join(root, `test/codegen/bindings/${f}.ts`));
    expect(check([...files, join(root, "test/codegen/bindings.types.test.ts")])).toEqual([]);
  });

  it("fresh files importing \"spacetimedb-http\", from every fixture", async () => {
    const dir = await tempProject();
    const names = (await readdir(fixtures)).filter((f) => f.endsWith(".json"));
    expect(names.length).toBeGreaterThanOrEqual(4);
    const files: string[] = [];
    for (const name of names) {
      const text = generate(await readFile(join(fixtures, name), "utf8"));
      expect(text).toContain('from "spacetimedb-http";');
      expect(text).not.toMatch(/from "(?!spacetimedb-http")/);
      const file = join(dir, name.replace(/\.json$/, ".ts"));
      await writeFile(file, text);
      files.push(file);
    }
    expect(check(files)).toEqual([]);
  });

  it("and the check can fail: a wrong call is reported", async () => {
    const dir = await tempProject();
    await writeFile(join(dir, "chat.ts"), generate(await readFile(join(fixtures, "quickstart-chat.v9.json"), "utf8")));
    await writeFile(
      join(dir, "use.ts"),
      'import { createClient } from "spacetimedb-http";\nimport { connect } from "./chat.js";\n' +
        'const m = connect(createClient(), "chat");\nvoid m.reducers.sendMessage({ text: 42 });\nvoid m.reducers.init();\n',
    );
    const errors = check([join(dir, "chat.ts"), join(dir, "use.ts")]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/use\.ts:4: Type 'number' is not assignable to type 'string'/);
    expect(errors[1]).toMatch(/use\.ts:5: Property 'init' does not exist/);
  });

  it("the examples of the README's bindings section, against bindings generated for quickstart-chat", async () => {
    const dir = await tempProject();
    await writeFile(join(dir, "module.ts"), generate(await readFile(join(fixtures, "quickstart-chat.v10.json"), "utf8")));
    const readme = await readFile(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Typed bindings for your own module"), readme.indexOf("\n## ", readme.indexOf("### Typed bindings for your own module")));
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    const files = blocks.map((code, i) => join(dir, `example${i}.ts`));
    await Promise.all(blocks.map((code, i) => writeFile(files[i]!, `${code}export {};\n`)));
    expect(check([join(dir, "module.ts"), ...files])).toEqual([]);
  });
});
