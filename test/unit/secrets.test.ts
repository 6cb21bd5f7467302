/** Redaction: once, where foreign text enters, in every form a server may echo a secret in. */
import { describe, expect, it } from "vitest";
import { LEFT_OUT, REDACTED, redact, redactJson } from "../../src/core/secrets.js";
import { createClient } from "../../src/index.js";
import { fakeFetch, json, text } from "../helpers/fake-fetch.js";

const TOKEN = "eyJ.secret-token.sig";

describe("redact", () => {
  it("replaces a secret as written, JSON-escaped and percent-encoded, in one pass", () => {
    const secret = 'pa"ss word\\x';
    const echoed = `raw ${secret} json ${JSON.stringify(secret).slice(1, -1)} url ${encodeURIComponent(secret)}`;
    expect(redact(echoed, [secret])).toBe(`raw ${REDACTED} json ${REDACTED} url ${REDACTED}`);
  });

  it("never matches inside its own marker, whatever the secrets", () => {
    // "redacted" and "[red" would match the marker if redaction ran twice or secret by secret.
    expect(redact("xx redacted-long yy [redacted] zz", ["redacted-long", "[redacted]"])).toBe(`xx ${REDACTED} yy ${REDACTED} zz`);
  });

  it("replaces the longest secret first when one holds another", () => {
    expect(redact("a secret-one-and-two b", ["secret-one", "secret-one-and-two"])).toBe(`a ${REDACTED} b`);
  });

  it("leaves out a text holding a secret too short to redact safely, and keeps one that does not", () => {
    expect(redact("invalid characters", ["t"])).toBe(LEFT_OUT);
    expect(redact("nothing here", ["q"])).toBe("nothing here");
  });

  it("redacts a parsed JSON body structurally: keys, strings, and the text of numbers and booleans", () => {
    const body = { [TOKEN]: 1, note: `bad ${TOKEN}`, port: 123456789, list: [true, "ok"] };
    expect(redactJson(body, [TOKEN, "123456789"])).toEqual({ [REDACTED]: 1, note: `bad ${REDACTED}`, port: REDACTED, list: [true, "ok"] });
    expect(redactJson({ port: 5432 }, ["5432"])).toBeUndefined();
  });
});

describe("the client redacts foreign text once and its own sentences never", () => {
  it("a short token does not garble the message: the server's text is left out and the message says so", async () => {
    const fetch = fakeFetch(text("invalid characters in the token", 400));
    const result = await createClient({ fetch, token: "t" }).getDatabase("quickstart-chat");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).not.toContain("[redac[");
    expect(result.error.message).toMatch(/left out: it may hold a secret too short to redact/);
    expect(result.error.body).toBeUndefined();
    expect(result.error.status).toBe(400);
  });

  it("a JSON error body stays valid JSON with the token redacted, and the status stays the server's", async () => {
    const fetch = fakeFetch(json({ error: `token ${TOKEN} expired`, echo: encodeURIComponent(TOKEN) }, 401));
    const result = await createClient({ fetch, token: TOKEN }).getDatabase("quickstart-chat");
    if (result.ok) throw new Error("expected a failure");
    expect(result.error.kind).toBe("http");
    expect(result.error.status).toBe(401);
    expect(result.error.body).toEqual({ error: `token ${REDACTED} expired`, echo: REDACTED });
    expect(result.error.message).not.toContain("secret-token");
  });

  it("a 401 after a token was sent says the token was refused, not that none was passed", async () => {
    const withToken = await createClient({ fetch: fakeFetch(text("", 401)), token: TOKEN }).getDatabase("quickstart-chat");
    const without = await createClient({ fetch: fakeFetch(text("", 401)) }).getDatabase("quickstart-chat");
    expect(withToken.ok ? "" : withToken.error.message).toMatch(/refused the token/);
    expect(withToken.ok ? "" : withToken.error.message).not.toMatch(/pass `token`/);
    expect(without.ok ? "" : without.error.message).toMatch(/pass `token`/);
  });

  it("a log-style body that is not JSON reads as a position, never the engine's quote", async () => {
    const fetch = fakeFetch(new Response("{not json", { status: 200, headers: { "content-type": "application/json" } }));
    const result = await createClient({ fetch }).getDatabase("quickstart-chat");
    if (result.ok) throw new Error("expected a failure");
    expect(result.error.kind).toBe("parse");
    expect(result.error.message).toMatch(/the body is not valid JSON \(at character 1\)/);
    expect(result.error.message).not.toMatch(/Unexpected token|is not valid JSON"/);
  });

  it("a getter or a toJSON that throws the token has it redacted, and the SDK's sentence kept", async () => {
    const throwing = { get timeoutMs(): number { throw new Error(`leaked ${TOKEN}`); } };
    const byGetter = await createClient({ fetch: fakeFetch(text("")), token: TOKEN }).getDatabase("quickstart-chat", throwing);
    const byToJson = await createClient({ fetch: fakeFetch(text("")), token: TOKEN }).callReducer("db", "r", [{ toJSON: () => { throw new Error(`bad ${TOKEN}`); } }]);
    for (const [result, sentence] of [[byGetter, "the options could not be read"], [byToJson, "the body cannot be written as JSON"]] as const) {
      if (result.ok) throw new Error("expected a failure");
      expect(result.error.kind).toBe("invalid-input");
      expect(result.error.message).not.toContain("secret-token");
      expect(result.error.message).toContain(sentence);
      expect(result.error.message).toContain("[redacted]");
    }
  });
});
