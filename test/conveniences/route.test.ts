/** route(): the module's own HTTP handlers — paths, methods, bodies, and no SpacetimeDB token. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { sendText, startServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url.pathname.endsWith("/route/teapot")) return sendText(res, 418, "I'm a teapot");
    sendText(res, 200, `${req.method} ${req.url.pathname}`, { "x-response": "set" });
  });
});
afterAll(() => server.close());
const client = () => createClient({ baseUrl: server.url, token: "client-token" });

describe("route", () => {
  it("maps '', '/' and deeper paths to their three routes, each segment encoded", async () => {
    for (const path of ["", "/", "/hello", "/a/b c/d"]) await client().route("quickstart-chat", path);
    expect(server.received.slice(-4).map((r) => r.url.pathname)).toEqual([
      "/v1/database/quickstart-chat/route",
      "/v1/database/quickstart-chat/route/",
      "/v1/database/quickstart-chat/route/hello",
      "/v1/database/quickstart-chat/route/a/b%20c/d",
    ]);
  });

  it("sends the client's token nowhere, a per-call token only when given", async () => {
    await client().route("quickstart-chat", "/hello");
    await client().route("quickstart-chat", "/hello", { token: "for-the-module" });
    expect(server.received.slice(-2).map((r) => r.headers.authorization)).toEqual([undefined, "Bearer for-the-module"]);
  });

  it("sends strings as text, objects as JSON and bytes as octets, and reads the answer as text", async () => {
    const text = await client().route("quickstart-chat", "/echo", { method: "post", body: "hi" });
    await client().route("quickstart-chat", "/echo", { method: "PUT", body: { a: 1n } });
    await client().route("quickstart-chat", "/echo", { method: "PATCH", body: new Uint8Array([1, 2]) });
    expect(text).toMatchObject({ ok: true, data: "POST /v1/database/quickstart-chat/route/echo" });
    expect(text.ok && text.meta.headers["x-response"]).toBe("set");
    const sent = server.received.slice(-3).map((r) => [r.headers["content-type"], r.body.toString("hex")]);
    expect(sent).toEqual([
      ["text/plain; charset=utf-8", Buffer.from("hi").toString("hex")],
      ["application/json", Buffer.from('{"a":1}').toString("hex")],
      ["application/octet-stream", "0102"],
    ]);
  });

  it("returns the module's non-2xx answer as an http error, and refuses unknown methods and '..'", async () => {
    const teapot = await client().route("quickstart-chat", "/teapot");
    expect(teapot.ok ? 0 : [teapot.error.status, teapot.error.body]).toEqual([418, "I'm a teapot"]);
    const count = server.received.length;
    const trace = await client().route("quickstart-chat", "/x", { method: "TRACE" });
    const escape = await client().route("quickstart-chat", "/a/../../identity");
    expect([trace.ok || trace.error.kind, escape.ok || escape.error.kind]).toEqual(["invalid-input", "invalid-input"]);
    expect(server.received).toHaveLength(count);
  });
});

describe("route headers", () => {
  it("lets the caller's Content-Type, in any case, replace the SDK's instead of joining it", async () => {
    await createClient({ baseUrl: server.url }).route("quickstart-chat", "/echo", { method: "POST", body: "<a/>", headers: { "Content-Type": "application/xml" } });
    expect(server.received.at(-1)?.headers["content-type"]).toBe("application/xml");
  });
});
