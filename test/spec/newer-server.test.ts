/**
 * What only newer servers' docs show is described with its source and not declared until a server
 * source confirms it (docs/design.md#the-spec-is-the-source): `confirmed` on procedure calls.
 */
import { expect, inject, it } from "vitest";
import { listOperations, loadSpec } from "../helpers/spec.js";
import { createClient } from "../../src/index.js";

const spec = loadSpec(inject("specPath"));
const call = listOperations(spec).find((op) => op.operationId === "callReducer")!;

it("callReducer describes `confirmed` for procedures with the docs page as its source, and declares no such parameter", () => {
  expect(call.description).toMatch(/`confirmed`[\s\S]*procedure[\s\S]*default `true`/);
  expect(call.parameters.map((p) => p.name)).not.toContain("confirmed");
  const sources = call.extensions["x-spacetimedb-source"] as string[];
  expect(sources.some((s) => /00300-database\.md@[0-9a-f]{8}/.test(s))).toBe(true);
});

it("the client sends no `confirmed` on a call (the method takes only what the spec declares), and the mock accepts the call", async () => {
  const sent: string[] = [];
  const client = createClient({
    baseUrl: inject("prismUrl"),
    token: "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.contract.test",
    fetch: async (input) => (sent.push((input as Request).url), globalThis.fetch(input as Request)),
  });
  // @ts-expect-error `confirmed` is not an option of callReducer until a server source confirms it
  const result = await client.callReducer("quickstart-chat", "send_message", ["Hello!"], { confirmed: true });
  expect(result.ok).toBe(true);
  expect(new URL(sent[0]!).search).toBe("");
});
