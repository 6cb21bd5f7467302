/**
 * The shipped declarations document every client member: a real tsup build (with .d.ts) is read
 * with the TypeScript compiler, and each member of the client's interfaces must carry its own doc
 * comment, each operation's starting with its summary in the spec.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { build, type Options } from "tsup";
import { bundle, createConfig } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tsupConfig from "../../tsup.config.js";
import { createClient } from "../../src/index.js";

let out = "";
let dts = "";
let summaries = new Map<string, string>();

beforeAll(async () => {
  await mkdir("node_modules/.cache", { recursive: true });
  out = await mkdtemp(join("node_modules", ".cache", "spacetimedb-http-dts-"));
  const options = (Array.isArray(tsupConfig) ? tsupConfig[0] : tsupConfig) as Options;
  await build({ ...options, entry: { index: "src/index.ts" }, format: ["esm"], outDir: out, config: false, silent: true, dts: { only: true } });
  dts = await readFile(join(out, "index.d.ts"), "utf8");
  const { bundle: doc } = await bundle({ ref: "openapi/spacetimedb-v1.yaml", config: await createConfig({}) });
  const spec = doc.parsed as { paths: Record<string, Record<string, { operationId?: string; summary?: string }>> };
  summaries = new Map(Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((op) => (op?.operationId ? [[op.operationId, op.summary ?? ""] as const] : []))));
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

/** Each member of the named interfaces in the .d.ts, with its own doc comment text. */
function members(names: string[]): Map<string, string> {
  const file = ts.createSourceFile("index.d.ts", dts, ts.ScriptTarget.Latest, true);
  const found = new Map<string, string>();
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && names.includes(node.name.text)) {
      for (const member of node.members) {
        const docs = ts.getJSDocCommentsAndTags(member).map((d) => (ts.isJSDoc(d) ? ts.getTextOfJSDocComment(d.comment) ?? "" : "")).join("\n");
        found.set(member.name!.getText(file), docs.trim());
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("dist/index.d.ts", () => {
  it("gives every client member its own doc comment, each operation's starting with its spec summary", () => {
    const documented = members(["OperationMethods", "Conveniences"]);
    const runtime = Object.keys(createClient()).sort();
    expect([...documented.keys()].sort()).toEqual(runtime);
    const undocumented = [...documented].filter(([, doc]) => doc === "").map(([name]) => name);
    expect(undocumented).toEqual([]);
    for (const [name, doc] of documented) {
      const summary = summaries.get(name);
      if (summary !== undefined) expect(doc.startsWith(summary), `${name}: ${doc.slice(0, 80)}`).toBe(true);
    }
    expect([...documented.keys()].filter((name) => summaries.has(name)).length).toBeGreaterThan(25);
  });

  it("shows results as shapes, not as type-level lookups", () => {
    expect(dts).not.toMatch(/DataOf<|ErrorBodyOf</);
    expect(dts).toMatch(/getDatabase\(nameOrIdentity: string, options\?: CallOptions\): Promise<Result<Database, string>>/);
    expect(dts).toMatch(/publishDatabase\(nameOrIdentity: string, module: BinaryBody, options\?: PublishDatabaseOptions\): Promise<Result<PublishSuccess, /);
  });
});
