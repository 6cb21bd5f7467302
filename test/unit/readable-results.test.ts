/** Results that read well and errors that name the cause (what a new user trips over first). */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createClient, normalizeIdentity, toJson, unwrap } from "../../src/index.js";
import { DATABASE, IDENTITY, fakeFetch, json } from "../helpers/fake-fetch.js";

describe("results pleasant to log", () => {
  it("shows status and identity, and headers only when asked for", async () => {
    const fetch = fakeFetch(json(DATABASE, 200, { "spacetime-identity": IDENTITY, "x-request-id": "r-17", "content-length": "200" }));
    const result = await createClient({ fetch }).getDatabase("quickstart-chat");
    expect(inspect(result, { depth: 5 })).not.toContain("x-request-id");
    expect(JSON.stringify(result)).not.toContain("x-request-id");
    expect(result.ok && result.meta).toMatchObject({ status: 200, identity: IDENTITY });
    expect(result.ok && result.meta.headers["x-request-id"]).toBe("r-17");
  });

  it("keeps a new identity's token as data that copies keep, but out of inspection and JSON of the result", async () => {
    const fetch = fakeFetch(json({ identity: IDENTITY, token: "eyJ.new-token.sig" }));
    const result = await createClient({ fetch }).createIdentity();
    const data = unwrap(result);
    expect(data.token).toBe("eyJ.new-token.sig");
    expect(data.identity).toBe(IDENTITY);
    // The user asked for it: saving it must not lose it.
    expect(JSON.parse(JSON.stringify(data))).toEqual({ identity: IDENTITY, token: "eyJ.new-token.sig" });
    expect({ ...data }.token).toBe("eyJ.new-token.sig");
    expect(structuredClone(data).token).toBe("eyJ.new-token.sig");
    for (const shown of [inspect(result, { depth: 5 }), inspect(result, { depth: 5, showHidden: true }), inspect(data), JSON.stringify(result)]) {
      expect(shown).not.toContain("new-token");
      expect(shown).toContain("[redacted]");
    }
  });

  it("hides a short-lived websocket token the same way", async () => {
    const fetch = fakeFetch(json({ token: "eyJ.ws-token.sig" }));
    const result = await createClient({ fetch, token: "eyJ.long-lived.sig" }).getWebsocketToken();
    expect(unwrap(result).token).toBe("eyJ.ws-token.sig");
    expect(inspect(result, { depth: 5 })).not.toContain("ws-token");
    expect(JSON.stringify(result)).not.toContain("ws-token");
  });

  it("shows meta.token as [redacted] to inspectors, even with showHidden, and leaves it out of JSON", async () => {
    const fetch = fakeFetch(json(DATABASE, 200, { "spacetime-identity": IDENTITY, "spacetime-identity-token": "eyJ.minted.sig" }));
    const result = await createClient({ fetch }).getDatabase("quickstart-chat");
    expect(result.meta?.token).toBe("eyJ.minted.sig");
    for (const shown of [inspect(result, { depth: 5 }), inspect(result, { depth: 5, showHidden: true }), JSON.stringify(result)]) expect(shown).not.toContain("minted");
    expect(inspect(result.meta)).toContain("token: '[redacted]'");
    expect(Object.keys(result.meta!)).toEqual(["status", "identity"]);
  });

  it("toJson writes bigints as exact digits, with optional indentation", () => {
    expect(toJson({ n: 18446744073709551615n, rows: [[-170141183460469231731687303715884105728n]] })).toBe('{"n":18446744073709551615,"rows":[[-170141183460469231731687303715884105728]]}');
    expect(toJson({ a: 1n }, 2)).toBe('{\n  "a": 1\n}');
    expect(() => JSON.stringify({ a: 1n })).toThrow(TypeError); // why the helper exists
  });

  it("normalizeIdentity gives one form for bare hex, 0x hex and { __identity__ }", () => {
    const upper = IDENTITY.toUpperCase();
    const forms = [IDENTITY, upper, `0x${IDENTITY}`, { __identity__: `0x${upper}` }, DATABASE.owner_identity];
    expect(new Set(forms.map(normalizeIdentity))).toEqual(new Set([IDENTITY]));
    expect(normalizeIdentity("0x1f")).toBe("1f".padStart(64, "0"));
    for (const bad of ["", "0x", "xyz", "1".repeat(65), { __identity__: 7 }]) expect(() => normalizeIdentity(bad as never)).toThrow(TypeError);
  });
});

describe("errors name the likely cause", () => {
  it("a baseUrl that is not a URL is a TypeError at construction, not a network error per call", () => {
    expect(() => createClient({ baseUrl: "not a url" })).toThrow(/baseUrl "not a url" is not an http\(s\) URL/);
    expect(() => createClient({ baseUrl: "ftp://host" })).toThrow(TypeError);
    expect(() => createClient({ baseUrl: "localhost:3000" })).not.toThrow();
  });

  it("a publish 401 PermissionDenied says another identity owns the name, not that the token is bad", async () => {
    const fetch = fakeFetch(json({ PermissionDenied: { name: "quickstart-chat" } }, 401));
    const result = await createClient({ fetch, token: "eyJ.owner-of-another.sig" }).publishDatabase("quickstart-chat", new Uint8Array([0]));
    expect(result.ok ? "" : result.error.message).toMatch(/the name "quickstart-chat" belongs to another identity/);
    expect(result.ok ? "" : result.error.message).not.toMatch(/token is missing or invalid/);
  });

  it("in a browser, an opaque fetch failure points at CORS or a server that is down", async () => {
    const g = globalThis as { document?: unknown };
    g.document = {};
    try {
      const fetch = async () => {
        throw new TypeError("Failed to fetch");
      };
      const result = await createClient({ fetch, retries: 0 }).getDatabase("quickstart-chat");
      expect(result.ok ? "" : result.error.message).toMatch(/or CORS blocked it \(the server allows no request header but Authorization/);
    } finally {
      delete g.document;
    }
  });
});
