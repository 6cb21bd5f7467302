/**
 * Environment values: the headers the SDK writes parse back, with the grammar of the server's docs,
 * to the same map; everything wrong is refused before sending; values never show in an error.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { IDENTITY, fakeFetch, json, text } from "../helpers/fake-fetch.js";

const PUBLISHED = { Success: { database_identity: IDENTITY, domain: "quickstart-chat", op: "updated" } };

/**
 * The `spacetime-environment` grammar, parsed as the docs state it (an independent reading, not the
 * SDK's encoder run backwards): a `#` list of `key=value`, a value bare, 'single-quoted' (literal)
 * or "double-quoted" with JSON escapes.
 */
function parseEnvironmentHeader(header: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  const skip = () => {
    while (i < header.length && /[\t ,]/.test(header[i]!)) i++;
  };
  for (skip(); i < header.length; skip()) {
    const key = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(header.slice(i))?.[0];
    if (!key) throw new Error(`bad key at ${i}`);
    i += key.length;
    let value = "";
    if (header[i] === "'") {
      const end = header.indexOf("'", i + 1);
      value = header.slice(i + 1, end);
      i = end + 1;
    } else if (header[i] === '"') {
      let j = i + 1;
      while (header[j] !== '"') j += header[j] === "\\" ? 2 : 1;
      const quoted = header.slice(i, j + 1);
      if (/[^\x20-\x7e]/.test(quoted)) throw new Error("a raw character outside printable ASCII inside quotes");
      value = JSON.parse(quoted) as string;
      i = j + 1;
    } else {
      const bare = /^[\x21\x23-\x26\x28-\x2b\x2d-\x5b\x5d-\x7e]*/.exec(header.slice(i))![0];
      value = bare;
      i += bare.length;
    }
    while (header[i] === " " || header[i] === "\t") i++;
    if (i < header.length && header[i] !== ",") throw new Error(`text after a value at ${i}`);
    if (out.has(key.slice(0, -1))) throw new Error("a key twice");
    out.set(key.slice(0, -1), value);
  }
  return out;
}

async function sentHeaders(environment: Record<string, string>, removeEnvironment?: readonly string[] | "*") {
  const fetch = fakeFetch(json(PUBLISHED));
  const result = await createClient({ fetch, token: "owner-token-123" }).publishDatabase("quickstart-chat", new Uint8Array([0]), { environment, removeEnvironment });
  return { result, headers: fetch.sent[0]?.headers ?? {} };
}

describe("publish environment headers", () => {
  it("round-trip values with spaces, commas, quotes, backslashes, newlines, control and non-ASCII characters", async () => {
    const values = {
      API_KEY: "abc123",
      EMPTY: "",
      SPACES: "  padded  ",
      COMMAS: "a, b,c",
      QUOTES: `it's "quoted"`,
      BACKSLASH: "C:\\path\\to",
      LINES: "line1\nline2\r\n\tend",
      CONTROL: "\u0000\u001f\u007f",
      ACCENTS: "héllo wörld",
      EMOJI: "😀 ok",
    };
    const { result, headers } = await sentHeaders(values, ["OLD_KEY", "_UNUSED"]);
    expect(result.ok).toBe(true);
    const header = headers["spacetime-environment"]!;
    expect(header).toMatch(/^[\x20-\x7e]*$/); // printable ASCII only, as a header must be
    expect(Object.fromEntries(parseEnvironmentHeader(header))).toEqual(values);
    expect(header).toContain("API_KEY=abc123"); // bare where it may be
    expect(header).toContain('EMOJI="\\ud83d\\ude00 ok"');
    expect(headers["spacetime-environment-remove"]).toBe("OLD_KEY, _UNUSED");
  });

  it("round-trip any string (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/), fc.string({ unit: "grapheme", maxLength: 40 }), { maxKeys: 8 }), async (values) => {
        const { headers } = await sentHeaders(values);
        const header = headers["spacetime-environment"];
        expect(header === undefined ? {} : Object.fromEntries(parseEnvironmentHeader(header))).toEqual(values);
      }),
      { numRuns: 200, seed: 5887 },
    );
  });

  it('sends "*" to replace the whole environment', async () => {
    const { headers } = await sentHeaders({ A: "1" }, "*");
    expect(headers["spacetime-environment-remove"]).toBe("*");
  });
});

describe("checked before sending", () => {
  const SECRET = "s3cr3t-value-9f2";
  const cases: [string, () => Promise<{ ok: boolean }>, RegExp][] = [];
  const fetch = fakeFetch(json({ Ok: null }));
  const client = createClient({ fetch, token: "owner-token-123" });
  const add = (name: string, run: () => Promise<{ ok: boolean }>, why: RegExp) => cases.push([name, run, why]);
  add("a key that is not a name", () => client.setDatabaseEnvironment("db", { "1FIRST": SECRET }), /"1FIRST" is not an environment key/);
  add("a key with a dash", () => client.updateDatabaseEnvironment("db", { "A-B": SECRET }), /"A-B" is not an environment key/);
  add("a value over 8192 bytes", () => client.setDatabaseEnvironment("db", { BIG: "é".repeat(4097) }), /the value of BIG is over 8192 bytes/);
  add("more than 256 values", () => client.setDatabaseEnvironment("db", Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`K${i}`, SECRET]))), /257 values; a database holds at most 256/);
  add("a value that is not a string", () => client.setDatabaseEnvironment("db", { N: 1 as never }), /the value of N must be a string, not number/);
  add("set and removed at once", () => client.updateDatabaseEnvironment("db", { API_KEY: SECRET }, { remove: ["API_KEY"] }), /API_KEY is both set and removed/);
  add("a key removed twice", () => client.updateDatabaseEnvironment("db", {}, { remove: ["OLD", "OLD"] }), /OLD is listed twice/);
  add('"*" on PATCH', () => client.updateDatabaseEnvironment("db", {}, { remove: "*" as never }), /remove must be an array of environment keys/);
  add("a publish with a bad key", () => client.publishDatabase("db", new Uint8Array([0]), { environment: { "A=B": SECRET } }), /"A=B" is not an environment key/);
  add("a publish setting and removing a key", () => client.publishDatabase("db", new Uint8Array([0]), { environment: { K: SECRET }, removeEnvironment: ["K"] }), /K is both set and removed/);
  for (const [name, run, why] of cases) {
    it(`refuses ${name}, names the key, never the value, and sends nothing`, async () => {
      const result = (await run()) as { ok: boolean; error?: { kind: string; message: string } };
      expect(result.error?.kind).toBe("invalid-input");
      expect(result.error?.message).toMatch(why);
      expect(result.error?.message).toMatch(/no request was sent/);
      expect(inspect(result, { depth: Infinity })).not.toContain(SECRET);
      expect(fetch.sent).toHaveLength(0);
    });
  }
});

describe("values are secrets", () => {
  it("a server error that quotes a value shows it redacted", async () => {
    const value = "sk-live-4f9e2a";
    const fetch = fakeFetch(text(`value '${value}' does not match the declared type of MODE`, 400));
    const result = await createClient({ fetch, token: "owner-token-123" }).setDatabaseEnvironment("db", { MODE: value });
    expect(result.ok ? "" : result.error.message).toMatch(/value '\[redacted\]' does not match/);
    expect(inspect(result, { depth: Infinity }) + JSON.stringify(result)).not.toContain(value);
  });

  it("a missing required value is an http error whose typed body names the keys", async () => {
    const fetch = fakeFetch(json({ Err: { MissingRequiredEnvironment: { keys: ["API_KEY"] } } }, 400));
    const result = await createClient({ fetch, token: "owner-token-123" }).updateDatabaseEnvironment("db", {}, { remove: ["API_KEY"], expectedModuleHash: "0xab" });
    expect(result.ok ? undefined : result.error.body).toEqual({ Err: { MissingRequiredEnvironment: { keys: ["API_KEY"] } } });
    expect(fetch.sent[0]).toMatchObject({ method: "PATCH", body: "{}" });
    expect(fetch.sent[0]?.url).toMatch(/\/v1\/database\/db\/environment\?expected_module_hash=0xab$/);
    expect(fetch.sent[0]?.headers["spacetime-environment-remove"]).toBe("API_KEY");
  });
});
