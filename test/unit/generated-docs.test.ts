/** The doc comments the generator writes from the spec read as whole sentences. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const generated = readFileSync(new URL("../../src/generated/method-types.ts", import.meta.url), "utf8");

it("no method's doc comment is cut at an abbreviation (\"e.g;\" where the spec says \"e.g. …\")", () => {
  const comments = generated.match(/\/\*\*[\s\S]*?\*\//g) ?? [];
  expect(comments.length).toBeGreaterThan(20);
  const joined = comments.map((c) => c.replace(/\n\s*\* ?/g, " ")).join("\n");
  expect(joined).not.toMatch(/\b(?:e\.g|i\.e|cf|vs)[;:]/i);
  expect(joined).toMatch(/e\.g\. /); // the spec's examples survive whole
});
