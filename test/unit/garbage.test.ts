/**
 * No public method throws or rejects, whatever it is given: it resolves to a result with a known
 * kind. `use` is configuration (docs/design.md#calls-never-throw): garbage there is a TypeError at once.
 */
import { describe, expect, it } from "vitest";
import { ERROR_KINDS, createClient } from "../../src/index.js";
import { fakeFetch, json } from "../helpers/fake-fetch.js";

const garbage: unknown[] = [
  undefined,
  null,
  0,
  -1,
  Number.NaN,
  1e309,
  12345678901234567890n,
  "",
  ".",
  "..",
  "a/../../identity",
  "%2F",
  "?#",
  "x".repeat(100_000),
  "0x" + "g".repeat(64),
  "\u0000\u202e\ud800",
  {},
  { toString: () => { throw new Error("boom"); } },
  [],
  Array.from({ length: 10_000 }, (_, i) => i),
  () => {},
  Symbol("s"),
  new Uint8Array(3),
];

describe("every public method, fed garbage", () => {
  const client = createClient({ fetch: fakeFetch(json({})), retries: 0, timeoutMs: 2_000 });
  const methods = Object.entries(client).filter(([name, member]) => typeof member === "function" && name !== "use") as [string, (...a: unknown[]) => unknown][];

  it("covers every method of the client", () => {
    expect(methods.length).toBeGreaterThan(33);
  });

  it("use throws a TypeError for anything that is not middleware", () => {
    for (const value of garbage) expect(() => client.use(value as never)).toThrow(TypeError);
  });

  for (const [name, method] of methods) {
    it(`${name} never throws and always resolves to a result`, async () => {
      for (let i = 0; i < garbage.length; i++) {
        const args = [garbage[i], garbage[(i + 5) % garbage.length], garbage[(i + 11) % garbage.length], garbage[(i + 17) % garbage.length]];
        let outcome: unknown;
        expect(() => (outcome = method(...args)), `${name}(${i}) threw synchronously`).not.toThrow();
        const result = (await Promise.resolve(outcome)) as { ok: boolean; error?: { kind: string } };
        expect(typeof result.ok, `${name}(${i}) resolved to a non-result`).toBe("boolean");
        if (!result.ok) expect(ERROR_KINDS).toContain(result.error?.kind);
      }
    });
  }
});
