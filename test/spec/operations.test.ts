/** The spec's operation inventory: the agreed operationIds, and the metadata every operation needs. */
import { describe, expect, inject, it } from "vitest";
import { operations as methodOperations } from "../../src/generated/operations.js";
import { servedOperations } from "../../src/generated/served-operations.js";

const generated = { ...methodOperations, ...servedOperations };
import { listOperations, loadSpec } from "../helpers/spec.js";

const spec = loadSpec(inject("specPath"));
const operations = listOperations(spec);


const label = (op: (typeof operations)[number]) => `${op.method.toUpperCase()} ${op.path}`;

describe("spec inventory", () => {
  it("declares no top-level jsonSchemaDialect (it turns Prism's request validation off)", () => {
    expect(spec).not.toHaveProperty("jsonSchemaDialect");
  });

  it("has unique operationIds, each in the generated operation table (npm run generate)", () => {
    const ids = operations.map((op) => op.operationId ?? `(none: ${label(op)})`);
    const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(duplicates, "duplicate operationIds").toEqual([]);
    expect([...ids].sort()).toEqual(Object.keys(generated).sort());
  });

  it("gives every operation an operationId, a summary, exactly one declared tag and x-spacetimedb-handler", () => {
    const tagNames = new Set((spec.tags ?? []).map((t) => t.name));
    const problems: string[] = [];
    for (const op of operations) {
      const where = `${op.operationId ?? "?"} (${label(op)})`;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      if (!op.summary?.trim()) problems.push(`${where}: no summary`);
      if (op.tags.length !== 1) problems.push(`${where}: ${op.tags.length} tags (${op.tags.join(", ")})`);
      else if (!tagNames.has(op.tags[0] ?? "")) problems.push(`${where}: tag "${op.tags[0]}" is not declared in the root tags`);
      const handler = op.extensions["x-spacetimedb-handler"];
      if (typeof handler !== "string" || handler.trim() === "") problems.push(`${where}: no x-spacetimedb-handler`);
      else if (!/^[\w./-]+\.rs#\w[\w:]*$/.test(handler)) problems.push(`${where}: x-spacetimedb-handler "${handler}" is not <file>.rs#<fn>`);
    }
    expect(problems).toEqual([]);
  });
});
