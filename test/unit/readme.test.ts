/** The README's method table matches the spec's operations and the client's methods. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { operations } from "../../src/generated/operations.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const rows = [...readme.matchAll(/^\| `(\w+)` \| `([A-Z*]+) (\/v1\/[^`]*)` \|$/gm)].map(([, method, verb, path]) => ({ method, verb, path }));

describe("README method table", () => {
  it("lists every operation under its method name and route", () => {
    for (const [id, op] of Object.entries(operations)) {
      if (id.startsWith("httpRoute")) continue;
      const method = id === "subscribe" ? "subscribeUrl" : id;
      expect(rows, id).toContainEqual({ method, verb: op.method, path: op.path });
    }
  });

  it("names only methods the client has", () => {
    const client = createClient();
    expect(rows.filter((r) => !(r.method! in client)).map((r) => r.method)).toEqual([]);
  });
});
