/** use(): one middleware sees every SDK call, conveniences and raw included, each retry as its own request. */
import { describe, expect, it } from "vitest";
import { createClient, unwrap, type Middleware } from "../../src/index.js";
import { IDENTITY, SCHEMA_V9, empty, fakeFetch, json, text } from "../helpers/fake-fetch.js";

const SQL_ANSWER = [{ schema: { elements: [{ name: { some: "n" }, algebraic_type: { U64: [] } }] }, rows: [[18446744073709551615n.toString()]], total_duration_micros: 1, stats: {} }];

/** A middleware that records each request's method and path, and marks it with a header. */
function recorder() {
  const seen: string[] = [];
  const middleware: Middleware = {
    onRequest({ request }) {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      request.headers.set("x-seen-by", "middleware");
    },
  };
  return { seen, middleware };
}

describe("use", () => {
  it("sees every SDK call: operations, publish, SQL, reducer calls, logs, conveniences and raw", async () => {
    const fetch = fakeFetch((request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith("/sql")) return new Response(JSON.stringify(SQL_ANSWER).replace('"18446744073709551615"', "18446744073709551615"), { headers: { "content-type": "application/json" } });
      if (path.endsWith("/logs")) return new Response('{"level":"info","message":"hi"}\n', { headers: { "content-type": "application/x-ndjson" } });
      if (path.endsWith("/call/send_message")) return empty();
      if (path.endsWith("/route/hello")) return text("world");
      if (request.method === "PUT" && path === "/v1/database/chat") return json({ Success: { database_identity: IDENTITY, domain: "chat", op: "updated" } });
      return json({ names: [] });
    });
    const client = createClient({ fetch, token: "tok" });
    const { seen, middleware } = recorder();
    client.use(middleware);

    unwrap(await client.getDatabaseNames("chat"));
    unwrap(await client.publishDatabase("chat", new Uint8Array([0, 97, 115, 109])));
    unwrap(await client.publishDatabase("chat", new Blob([new Uint8Array([1])]).stream()));
    unwrap(await client.sql("chat", "SELECT n FROM t"));
    expect(unwrap(await client.sqlRows("chat", "SELECT n FROM t"))[0]?.[0]?.n).toBe(18446744073709551615n);
    unwrap(await client.callReducer("chat", "send_message", ["hi"]));
    unwrap(await client.callReducerWith("chat", "send_message", { text: "hi" }, { moduleDef: SCHEMA_V9 }));
    unwrap(await client.logs("chat"));
    const stream = unwrap(await client.followLogs("chat"));
    for await (const record of stream) expect(record.message).toBe("hi");
    unwrap(await client.route("chat", "/hello"));
    await client.raw.GET("/v1/database/{name_or_identity}/names", { params: { path: { name_or_identity: "chat" } } });

    expect(seen).toEqual([
      "GET /v1/database/chat/names",
      "PUT /v1/database/chat",
      "PUT /v1/database/chat",
      "POST /v1/database/chat/sql",
      "POST /v1/database/chat/sql",
      "POST /v1/database/chat/call/send_message",
      "POST /v1/database/chat/call/send_message",
      "GET /v1/database/chat/logs",
      "GET /v1/database/chat/logs",
      "GET /v1/database/chat/route/hello",
      "GET /v1/database/chat/names",
    ]);
    // What middleware changes is what is sent.
    expect(fetch.sent.every((r) => r.headers["x-seen-by"] === "middleware")).toBe(true);
  });

  it("sees each retry as a request of its own", async () => {
    const fetch = fakeFetch(text("busy", 503), json({ names: [] }));
    const client = createClient({ fetch, retryDelayMs: 1 });
    const { seen, middleware } = recorder();
    client.use(middleware);
    unwrap(await client.getDatabaseNames("chat"));
    expect(seen).toEqual(["GET /v1/database/chat/names", "GET /v1/database/chat/names"]);
  });

  it("a middleware that throws is an invalid-input result, and nothing is sent", async () => {
    const fetch = fakeFetch(json({ names: [] }));
    const client = createClient({ fetch });
    client.use({
      onRequest() {
        throw new Error("policy says no");
      },
    });
    const result = await client.getDatabaseNames("chat");
    expect(result.ok ? "" : result.error.message).toMatch(/policy says no.*no request was sent/);
    expect(fetch.sent).toHaveLength(0);
  });
});

describe("raw", () => {
  it("has openapi-fetch's methods and nothing else: not a thenable, and JSON of it sends nothing", async () => {
    const fetch = fakeFetch(json({ names: ["chat"] }));
    const client = createClient({ baseUrl: "http://127.0.0.1:3000", fetch });
    const raw = client.raw as unknown as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "eject", "request", "use"]);
    expect(raw.then).toBeUndefined();
    expect(await (async () => client.raw)()).toBe(client.raw); // returned from an async function as it is
    JSON.stringify(raw);
    expect(fetch.sent).toHaveLength(0);
    await client.raw.GET("/v1/database/{name_or_identity}/names", { params: { path: { name_or_identity: "chat" } } });
    expect(fetch.sent).toHaveLength(1);
  });
});
