import { describe, expect, it } from "vitest";
import { createClient, SpacetimeHttpError, unwrap } from "../../src/index.js";
import { normalizeBaseUrl } from "../../src/core/options.js";
import { IDENTITY, empty, fakeFetch, hang, json, text } from "../helpers/fake-fetch.js";

const TOKEN = "tok-3f9a1c77";

describe("base URL", () => {
  it("treats a bare host:port as http and drops trailing slashes", () => {
    expect(normalizeBaseUrl("localhost:3000")).toBe("http://localhost:3000");
    expect(normalizeBaseUrl("https://maincloud.spacetimedb.com///")).toBe("https://maincloud.spacetimedb.com");
    expect(normalizeBaseUrl("http://proxy.local/spacetime/")).toBe("http://proxy.local/spacetime");
  });

  it("sends to the normalized URL", async () => {
    const fetch = fakeFetch(empty());
    await createClient({ baseUrl: "127.0.0.1:4000/", fetch }).ping();
    expect(fetch.sent[0]?.url).toBe("http://127.0.0.1:4000/v1/ping");
  });
});

describe("tokens", () => {
  it("prefers the per-call token over the client's", async () => {
    const fetch = fakeFetch(empty());
    const client = createClient({ fetch, token: "client-token" });
    await client.ping();
    await client.ping({ token: "call-token" });
    expect(fetch.sent.map((r) => r.headers.authorization)).toEqual(["Bearer client-token", "Bearer call-token"]);
  });

  it("re-reads a token function, sync or async, on every request", async () => {
    const fetch = fakeFetch(empty());
    let n = 0;
    await createClient({ fetch, token: () => `t${++n}` }).ping();
    const client = createClient({ fetch, token: async () => `a${++n}` });
    await client.ping();
    await client.ping();
    expect(fetch.sent.map((r) => r.headers.authorization)).toEqual(["Bearer t1", "Bearer a2", "Bearer a3"]);
  });

  it("sends no Authorization without a token, nor where the server reads no credentials", async () => {
    const fetch = fakeFetch(json({ identity: IDENTITY, token: "x" }));
    await createClient({ fetch }).ping();
    await createClient({ fetch, token: TOKEN }).createIdentity();
    expect(fetch.sent.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
  });

  it("returns invalid-input when the token function throws, and sends nothing", async () => {
    const fetch = fakeFetch(empty());
    const result = await createClient({ fetch, token: () => { throw new Error("vault down"); } }).ping();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("invalid-input");
    expect(fetch.sent).toHaveLength(0);
  });

  it("never shows the token in an error, even when the server echoes it", async () => {
    const fetch = fakeFetch(text(`Invalid token: ${TOKEN} is expired`, 401, { "spacetime-identity-token": TOKEN }));
    const result = await createClient({ fetch, token: TOKEN }).getDatabase("quickstart-chat");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const shown of [String(result.error), result.error.message, JSON.stringify(result.error), JSON.stringify(result), String(result.error.body)]) {
      expect(shown).not.toContain(TOKEN);
    }
    expect(result.meta?.token).toBe(TOKEN);
    expect(JSON.stringify(result.meta)).not.toContain(TOKEN);
  });
});

describe("retries", () => {
  const client = (fetch: ReturnType<typeof fakeFetch>, retries = 2) => createClient({ fetch, retries, retryDelayMs: 1 });

  it("retries GET on 503 and then succeeds", async () => {
    const fetch = fakeFetch(text("busy", 503), text("busy", 503), text(IDENTITY));
    const result = await client(fetch).getDatabaseIdentity("quickstart-chat");
    expect(unwrap(result)).toBe(IDENTITY);
    expect(fetch.sent).toHaveLength(3);
  });

  it("gives up after `retries` with the last status", async () => {
    const fetch = fakeFetch(text("busy", 503), text("busy", 502), text("still busy", 504));
    const result = await client(fetch).getDatabaseIdentity("quickstart-chat");
    expect(fetch.sent).toHaveLength(3);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.kind, result.error.status, result.error.body]).toEqual(["http", 504, "still busy"]);
  });

  it("never retries a POST, PUT or DELETE unless the call opts in", async () => {
    for (const run of [
      (c: ReturnType<typeof client>) => c.sql("quickstart-chat", "SELECT 1"),
      (c: ReturnType<typeof client>) => c.setDatabaseNames("quickstart-chat", ["a"]),
      (c: ReturnType<typeof client>) => c.deleteDatabase("quickstart-chat"),
    ]) {
      const fetch = fakeFetch(text("busy", 503));
      await run(client(fetch));
      expect(fetch.sent).toHaveLength(1);
    }
    const fetch = fakeFetch(text("busy", 503), json([]));
    const result = await client(fetch).sql("quickstart-chat", "SELECT 1", { retry: true });
    expect(result.ok).toBe(true);
    expect(fetch.sent).toHaveLength(2);
  });

  it("does not retry a 500 or a 4xx", async () => {
    for (const status of [500, 400, 404]) {
      const fetch = fakeFetch(text("no", status));
      await client(fetch).getDatabaseIdentity("quickstart-chat");
      expect(fetch.sent).toHaveLength(1);
    }
  });

  it("honours Retry-After and returns the error when it asks for more than 30 s", async () => {
    const fetch = fakeFetch(text("slow down", 429, { "retry-after": "0" }), text(IDENTITY));
    expect((await client(fetch).getDatabaseIdentity("a")).ok).toBe(true);
    const late = fakeFetch(text("slow down", 429, { "retry-after": "31" }), text(IDENTITY));
    const result = await client(late).getDatabaseIdentity("a");
    expect(late.sent).toHaveLength(1);
    expect(result.ok ? 0 : result.error.status).toBe(429);
  });

  it("retries network errors on GET", async () => {
    let n = 0;
    const fetch = fakeFetch(() => {
      if (n++ === 0) throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
      return empty();
    });
    expect((await client(fetch).ping()).ok).toBe(true);
    expect(fetch.sent).toHaveLength(2);
  });
});

describe("timeouts and abort", () => {
  it("classifies a call that outlives timeoutMs as a timeout", async () => {
    // How soon it fires is timed in the reliability tier (test/faults) and with a clock in retry.test.ts.
    const fetch = fakeFetch(hang);
    const result = await createClient({ fetch, timeoutMs: 50, retries: 0 }).ping();
    expect(result.ok ? "" : result.error.kind).toBe("timeout");
  });

  it("classifies the caller's abort as aborted", async () => {
    const controller = new AbortController();
    const fetch = fakeFetch(hang);
    const pending = createClient({ fetch }).ping({ signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const result = await pending;
    expect(result.ok ? "" : result.error.kind).toBe("aborted");
  });

  it("sends nothing when the signal is already aborted", async () => {
    const fetch = fakeFetch(empty());
    const result = await createClient({ fetch }).ping({ signal: AbortSignal.abort() });
    expect(result.ok ? "" : result.error.kind).toBe("aborted");
    expect(fetch.sent).toHaveLength(0);
  });
});

describe("validation before sending", () => {
  const fetch = fakeFetch(empty());
  const client = createClient({ fetch });
  const cases: [string, () => Promise<{ ok: boolean }>][] = [
    ["identity with 0x", () => client.getDatabases(`0x${IDENTITY}`)],
    ["short identity", () => client.verifyIdentity("c200")],
    ["uppercase name", () => client.getDatabase("QuickStart")],
    ["name with a slash", () => client.getDatabase("a/../../identity")],
    ["empty name", () => client.getDatabase("")],
    ["reducer ..", () => client.callReducer("quickstart-chat", "..", [])],
    ["args a string", () => client.callReducer("quickstart-chat", "send", "hi" as never)],
    ["args a Map", () => client.callReducer("quickstart-chat", "send", new Map() as never)],
    ["sql not a string", () => client.sql("quickstart-chat", 42 as never)],
    ["num_replicas 300", () => client.publishDatabase("quickstart-chat", new Uint8Array([0]), { numReplicas: 300 })],
    ["BreakClients without token", () => client.publishDatabase("quickstart-chat", new Uint8Array([0]), { policy: "BreakClients" })],
    ["module not bytes", () => client.publishDatabase("quickstart-chat", "wasm" as never)],
    ["schema version 8", () => client.schema("quickstart-chat", { version: 8 as never })],
  ];
  for (const [name, run] of cases) {
    it(`refuses ${name}`, async () => {
      const result = (await run()) as Awaited<ReturnType<typeof client.ping>>;
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(SpacetimeHttpError);
        expect(result.error.kind).toBe("invalid-input");
        expect(result.error.message).toMatch(/no request was sent/);
      }
      expect(fetch.sent).toHaveLength(0);
    });
  }
});

describe("bodies", () => {
  it("sends reducer args as JSON with Content-Type exactly application/json, bigints exact", async () => {
    const fetch = fakeFetch(empty());
    await createClient({ fetch }).callReducer("quickstart-chat", "send_message", ["Hello!", 18446744073709551615n]);
    expect(fetch.sent[0]?.headers["content-type"]).toBe("application/json");
    expect(fetch.sent[0]?.body).toBe('["Hello!",18446744073709551615]');
  });

  it("sends SQL as raw text", async () => {
    const fetch = fakeFetch(json([]));
    await createClient({ fetch }).sql("quickstart-chat", "SELECT * FROM message");
    expect(fetch.sent[0]?.body).toBe("SELECT * FROM message");
    expect(fetch.sent[0]?.headers["content-type"]).toMatch(/^text\/plain/);
  });

  it("sends module bytes unchanged", async () => {
    const fetch = fakeFetch(json({ Success: { domain: null, database_identity: IDENTITY, op: "created" } }));
    await createClient({ fetch }).publishNewDatabase(new Uint8Array([0, 97, 115, 109]));
    expect(fetch.sent[0]?.body).toBe("\0asm");
  });

  it("keeps the raw text of a 200 that is not the JSON the spec promises", async () => {
    const fetch = fakeFetch(new Response("<html>proxy</html>", { status: 200, headers: { "content-type": "text/html" } }));
    const result = await createClient({ fetch }).getDatabaseNames("quickstart-chat");
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.kind, result.error.body]).toEqual(["parse", "<html>proxy</html>"]);
  });
});

describe("verifyIdentity", () => {
  it("maps 204 to true and an empty 400 to false", async () => {
    const yes = await createClient({ fetch: fakeFetch(empty(204)), token: TOKEN }).verifyIdentity(IDENTITY);
    const no = await createClient({ fetch: fakeFetch(empty(400)), token: TOKEN }).verifyIdentity(IDENTITY);
    expect([unwrap(yes), unwrap(no)]).toEqual([true, false]);
  });

  it("keeps a 400 with a body and a 401 as errors", async () => {
    const bad = await createClient({ fetch: fakeFetch(text("Authorization is invalid: malformed token", 400)) }).verifyIdentity(IDENTITY);
    const anon = await createClient({ fetch: fakeFetch(text("Authorization required", 401)) }).verifyIdentity(IDENTITY);
    expect([bad.ok, anon.ok ? 0 : anon.error.status]).toEqual([false, 401]);
  });
});

describe("schema", () => {
  it("asks for version 10 and falls back to 9 on a 4xx", async () => {
    const fetch = fakeFetch(text("unknown variant `10`", 400), json({ typespace: { types: [] } }));
    const result = await createClient({ fetch }).schema("quickstart-chat");
    expect(result.ok).toBe(true);
    expect(fetch.sent.map((r) => new URL(r.url).searchParams.get("version"))).toEqual(["10", "9"]);
  });
});

describe("meta", () => {
  it("exposes the identity and a non-enumerable token", async () => {
    const fetch = fakeFetch(text(IDENTITY, 200, { "spacetime-identity": IDENTITY, "spacetime-identity-token": TOKEN }));
    const result = await createClient({ fetch }).getDatabaseIdentity("quickstart-chat");
    if (!result.ok) throw result.error;
    expect(result.meta.identity).toBe(IDENTITY);
    expect(result.meta.token).toBe(TOKEN);
    expect(Object.keys(result.meta)).not.toContain("token");
    expect(result.meta.headers["spacetime-identity-token"]).toBeUndefined();
  });
});

describe("sqlRows", () => {
  it("keeps every digit of u64 and i128 values and names the columns", async () => {
    const body = '[{"schema":{"elements":[{"name":{"some":"id"},"algebraic_type":{"U64":[]}},{"name":{"some":"big"},"algebraic_type":{"I128":[]}},{"name":{"some":"who"},"algebraic_type":{"Product":{"elements":[{"name":{"some":"__identity__"},"algebraic_type":{"U256":[]}}]}}}]},"rows":[[18446744073709551615,-170141183460469231731687303715884105728,["0x1"]]],"total_duration_micros":5,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]';
    const fetch = fakeFetch(new Response(body, { headers: { "content-type": "application/json" } }));
    const result = await createClient({ fetch }).sqlRows("quickstart-chat", "SELECT * FROM t");
    expect(unwrap(result)).toEqual([
      [{ id: 18446744073709551615n, big: -170141183460469231731687303715884105728n, who: "0".repeat(63) + "1" }],
    ]);
  });

  it("reports rows that do not fit their schema as a parse error with the raw text", async () => {
    const body = '[{"schema":{"elements":[{"name":{"some":"n"},"algebraic_type":{"U8":[]}}]},"rows":[["not a number"]],"total_duration_micros":1,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]';
    const result = await createClient({ fetch: fakeFetch(new Response(body)) }).sqlRows("quickstart-chat", "SELECT n FROM t");
    expect(result.ok ? "" : result.error.kind).toBe("parse");
    expect(result.ok ? "" : result.error.body).toBe(body);
  });

  it("reports an empty 200 as a parse error that says the body is empty", async () => {
    const result = await createClient({ fetch: fakeFetch(new Response(null, { status: 200 })) }).sqlRows("quickstart-chat", "SELECT n FROM t");
    expect(result.ok ? "" : `${result.error.kind}: ${result.error.message}`).toBe(
      "parse: sqlRows: the body does not fit its schema: it is empty, where the server sends one result per statement",
    );
  });
});

describe("names", () => {
  it("checks new names against the server's rules before sending", async () => {
    const fetch = fakeFetch(json("Success"));
    const client = createClient({ fetch });
    const results = await Promise.all([
      client.addDatabaseName("quickstart-chat", "Bad_Name"),
      client.addDatabaseName("quickstart-chat", "chat\n"),
      client.setDatabaseNames("quickstart-chat", ["ok-name", "-bad"]),
      client.setDatabaseNames("quickstart-chat", "ok-name" as never),
      client.setDatabaseNames("quickstart-chat", ["a".repeat(64)]), // a name may not be an identity
    ]);
    expect(results.map((r) => (r.ok ? "ok" : r.error.kind))).toEqual(Array(5).fill("invalid-input"));
    expect(fetch.sent).toHaveLength(0);
    await client.setDatabaseNames("quickstart-chat", []);
    expect(fetch.sent[0]?.body).toBe("[]");
  });
});
