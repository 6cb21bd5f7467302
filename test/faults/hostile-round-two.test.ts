/**
 * Hostile servers, round two (issue 26), on both builds: the reliability project runs it on the
 * universal build (Node's fetch), reliability-node on the Node build (undici). Local servers on
 * 127.0.0.1; the memory and process-lifetime cases run in child processes (deep-json.child.ts,
 * pending-call.child.ts, the CLI), each on the entry of the project's build.
 * What is pinned (docs/design.md): secrets never travel and never show (#secrets), kinds say what
 * happened and 2xx bodies are checked (#calls-never-throw, #answers-are-checked), deadlines cover
 * the call and keep the process alive (#deadlines-cover-the-call), deep JSON is `parse` before it is
 * parsed, protocol errors are named as such, and the two mutants the unit tier missed are killed
 * (a token in a network error's message; the cap's boundary).
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { createClient, type CallOptions, type ClientOptions, type Result, type SpacetimeClient } from "../../src/index.js";
import { runNode, type ChildRun } from "../helpers/child.js";
import { SCHEMA_V9 } from "../helpers/fake-fetch.js";
import { WASM_HEADER as MODULE } from "../helpers/requests.js";
import { DB, IDENTITY } from "./calls.js";
import { rawServer, startServer, type Handler, type TestServer } from "./server.js";

const TOKEN = "tok-ROUND2-7c4e1a9b03d5";
const JSON_TYPE = { "content-type": "application/json" };
const TEXT_TYPE = { "content-type": "text/plain; charset=utf-8" };
const PUBLISHED = JSON.stringify({ Success: { database_identity: IDENTITY, domain: DB, op: "updated" } });

const root = resolve(import.meta.dirname, "../..");

let server: TestServer;
let other: TestServer;
beforeAll(async () => {
  server = await startServer();
  other = await startServer((_req, res) => res.writeHead(200, JSON_TYPE).end("{}"));
});
afterAll(async () => {
  await server.close();
  await other.close();
});
const client = (extra: ClientOptions = {}): SpacetimeClient => createClient({ baseUrl: server.url, token: TOKEN, retries: 0, ...extra });

type AnyResult = Result<unknown, unknown>;
/** `[kind, status]` of a failure, `["ok"]` of a success: one assertion shows both. */
const outcome = (r: AnyResult) => (r.ok ? ["ok"] : [r.error.kind, r.error.status]);
const messageOf = (r: AnyResult) => (r.ok ? "" : r.error.message);

/** Whether this file runs in the reliability-node project (the Node build: undici). */
const nodeBuild = (ctx: TestContext) => ctx.task.file.projectName === "reliability-node";
/** The entry the project tests, as a file URL for a child process to import. */
const entryOf = (ctx: TestContext) => pathToFileURL(join(root, nodeBuild(ctx) ? "src/index.node.ts" : "src/index.ts")).href;

/** Answers after `ms`, unless the client has gone away by then. */
const after =
  (ms: number, handler: Handler): Handler =>
  (req, res, raw) =>
    void setTimeout(() => {
      if (!res.socket?.destroyed) handler(req, res, raw);
    }, ms);

// --- secrets: environment values

/** An environment value with `"`, `\` and a newline; "Zq9Vx" marks it in any form (raw, escaped, percent-encoded). */
const SECRET = 'sec"ret\\val\nue-Zq9Vx';
/** One a header can carry raw (no newline), with `"` and `\`. */
const HEADER_SECRET = 'hdr"sec\\ret-Yw3Kp';

/** Every form a value may take in a text: raw, JSON-escaped, percent-encoded, and as inspect escapes it. */
const formsOf = (value: string) => [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), inspect(value).slice(1, -1)];

/** Everything a user could print or serialize of a result, together. */
function shown(result: AnyResult): string {
  const error = result.ok ? undefined : result.error;
  return [
    inspect(result, { depth: 10, showHidden: true }),
    JSON.stringify(result),
    error?.message ?? "",
    typeof error?.body === "string" ? error.body : (JSON.stringify(error?.body) ?? ""),
    JSON.stringify(result.meta?.headers ?? {}),
  ].join("\n");
}

function expectNoSecret(result: AnyResult, values: readonly string[]): void {
  const text = shown(result);
  for (const value of values) for (const form of formsOf(value)) expect(text).not.toContain(form);
  for (const marker of ["Zq9Vx", "Yw3Kp"]) expect(text).not.toContain(marker);
}

/** The calls that carry environment values: two in a JSON body, one in a header of an upload. */
const ENV_CALLS: [string, (c: SpacetimeClient, values: Record<string, string>) => Promise<AnyResult>][] = [
  ["setDatabaseEnvironment", (c, values) => c.setDatabaseEnvironment(DB, values)],
  ["updateDatabaseEnvironment", (c, values) => c.updateDatabaseEnvironment(DB, values)],
  ["publishDatabase with environment", (c, values) => c.publishDatabase(DB, MODULE, { environment: values })],
];

describe("environment values never travel", () => {
  it.each(ENV_CALLS.slice(0, 2))("%s answered 307 to another origin: nothing reaches it, network error naming the redirect", async (_name, call) => {
    other.received.length = 0;
    server.received.length = 0;
    server.handle((req, res) => res.writeHead(307, { location: other.url + req.url }).end());
    const result = await call(client(), { API_KEY: SECRET });
    expect(other.received).toEqual([]);
    expect(server.received).toHaveLength(1);
    expect(outcome(result)[0], messageOf(result)).toBe("network");
    expect(messageOf(result)).toMatch(/redirect/i);
    expectNoSecret(result, [SECRET]);
  });

  it.each(ENV_CALLS.slice(0, 2))("%s answered 307 to the same origin: not followed either (one request)", async (_name, call) => {
    server.received.length = 0;
    server.handle((req, res) => (req.url.startsWith("/moved") ? res.writeHead(200, JSON_TYPE).end("{}") : res.writeHead(307, { location: `/moved${req.url}` }).end()));
    const result = await call(client(), { API_KEY: SECRET });
    expect(server.received.map((r) => r.url.startsWith("/moved"))).toEqual([false]);
    expect(outcome(result)[0], messageOf(result)).toBe("network");
    expect(messageOf(result)).toMatch(/redirect/i);
  });
});

describe("environment values never show, in any form", () => {
  it.each(ENV_CALLS)("%s: echoed JSON-escaped in a JSON 400 body: redacted structurally, still JSON, still http 400", async (_name, call) => {
    server.handle((_req, res) => res.writeHead(400, JSON_TYPE).end(JSON.stringify({ error: `invalid value ${SECRET}`, [SECRET]: [SECRET] })));
    const result = await call(client(), { API_KEY: SECRET });
    expect(outcome(result), messageOf(result)).toEqual(["http", 400]);
    expect(result.ok || result.error.body).toEqual({ error: "invalid value [redacted]", "[redacted]": ["[redacted]"] });
    expectNoSecret(result, [SECRET]);
  });

  it.each(ENV_CALLS)("%s: echoed percent-encoded in a text body: redacted", async (_name, call) => {
    server.handle((_req, res) => res.writeHead(400, TEXT_TYPE).end(`rejected: value=${encodeURIComponent(SECRET)}&retry=no`));
    const result = await call(client(), { API_KEY: SECRET });
    expect(outcome(result), messageOf(result)).toEqual(["http", 400]);
    expect(result.ok || result.error.body).toBe("rejected: value=[redacted]&retry=no");
    expectNoSecret(result, [SECRET]);
  });

  it.each(ENV_CALLS)("%s: echoed in response headers (raw, and JSON-escaped): redacted", async (_name, call) => {
    server.handle((_req, res) => res.writeHead(400, { ...TEXT_TYPE, "x-echo": HEADER_SECRET, "x-echo-json": JSON.stringify(SECRET).slice(1, -1) }).end("refused"));
    const result = await call(client(), { API_KEY: SECRET, OTHER_KEY: HEADER_SECRET });
    expect(outcome(result), messageOf(result)).toEqual(["http", 400]);
    expect([result.meta?.headers["x-echo"], result.meta?.headers["x-echo-json"]]).toEqual(["[redacted]", "[redacted]"]);
    expectNoSecret(result, [SECRET, HEADER_SECRET]);
  });

  it.each(ENV_CALLS)("%s: a value under 8 characters in a JSON 400 ({\"port\":5432}): http 400, the body left out and the message says so", async (_name, call) => {
    server.handle((_req, res) => res.writeHead(400, JSON_TYPE).end('{"port":5432}'));
    const result = await call(client(), { DB_PORT: "5432" });
    expect(outcome(result), messageOf(result)).toEqual(["http", 400]);
    expect(result.ok || result.error.body).toBeUndefined();
    expect(messageOf(result)).toMatch(/left out/);
    expect(messageOf(result)).not.toMatch(/no request was sent/);
  });

  it.each(ENV_CALLS)("%s: a long numeric value echoed as a JSON number: that number becomes \"[redacted]\", http 400", async (_name, call) => {
    server.handle((_req, res) => res.writeHead(400, JSON_TYPE).end('{"port":1234567890}'));
    const result = await call(client(), { DB_PORT: "1234567890" });
    expect(outcome(result), messageOf(result)).toEqual(["http", 400]);
    expect(result.ok || result.error.body).toEqual({ port: "[redacted]" });
    expect(shown(result)).not.toContain("1234567890");
  });
});

describe("honest kinds: a request was sent, and the answer does not fit", () => {
  it.each(["AutoMigrate", "ManualMigrate"])("publishWithMigration whose pre_publish answers 200 {%j: null}: parse, 200, nothing published", async (plan) => {
    server.received.length = 0;
    server.handle((req, res) => res.writeHead(200, JSON_TYPE).end(req.url.includes("/pre_publish") ? JSON.stringify({ [plan]: null }) : PUBLISHED));
    const result = await client().publishWithMigration(DB, MODULE);
    expect(outcome(result), messageOf(result)).toEqual(["parse", 200]);
    expect(messageOf(result)).not.toMatch(/no request was sent/);
    expect(server.received.map((r) => r.url.includes("/pre_publish"))).toEqual([true]);
  });

  it("subscribeUrl whose websocket-token answers 200 null: parse", async () => {
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end("null"));
    const result = await client().subscribeUrl(DB);
    expect(outcome(result), messageOf(result)).toEqual(["parse", 200]);
    expect(messageOf(result)).not.toMatch(/no request was sent/);
  });

  it("subscribeUrl whose websocket-token answers 200 {}: parse, and no URL with token=undefined", async () => {
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end("{}"));
    const result = await client().subscribeUrl(DB);
    expect(outcome(result), messageOf(result)).toEqual(["parse", 200]);
    expect(JSON.stringify(result)).not.toContain("token=undefined");
  });

  it("getDatabaseNames answered 200 null: parse, status 200, the raw text kept", async () => {
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end("null"));
    const result = await client().getDatabaseNames(DB);
    expect(outcome(result), messageOf(result)).toEqual(["parse", 200]);
    expect(result.ok || result.error.body).toBe("null");
  });

  it("getDatabase answered 200 []: parse", async () => {
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end("[]"));
    const result = await client().getDatabase(DB);
    expect(outcome(result), messageOf(result)).toEqual(["parse", 200]);
    expect(result.ok || result.error.body).toBe("[]");
  });

  it("getWebsocketToken answered 200 without its required token: parse naming the property", async () => {
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end('{"other":1}'));
    const result = await client().getWebsocketToken();
    expect(outcome(result), messageOf(result)).toEqual(["parse", 200]);
    expect(messageOf(result).replace(/^getWebsocketToken: /, "")).toMatch(/\btoken\b/);
  });
});

describe("deadlines cover the whole call", () => {
  it("schema: v10 refused after 600 ms, v9 after 600 more: timeout at the call's 1000 ms", async () => {
    server.handle(after(600, (req, res) => (req.url.includes("version=9") ? res.writeHead(200, JSON_TYPE).end(JSON.stringify(SCHEMA_V9)) : res.writeHead(400, TEXT_TYPE).end("no v10 here"))));
    const t0 = performance.now();
    const result = await client().schema(DB, { timeoutMs: 1000 });
    const ms = performance.now() - t0;
    expect(outcome(result)[0], messageOf(result)).toBe("timeout");
    expect(ms).toBeLessThan(1600);
  });

  it("callReducerWith: the schema (600 ms) and the call (600 ms) under one 1000 ms deadline: timeout", async () => {
    const slowly = after(600, (req, res) => (req.url.includes("/schema") ? res.writeHead(200, JSON_TYPE).end(JSON.stringify(SCHEMA_V9)) : res.writeHead(200).end()));
    // v10 refused at once, v9 and the call each after 600 ms.
    server.handle((req, res, raw) => (req.url.includes("version=10") ? res.writeHead(400, TEXT_TYPE).end("no v10 here") : slowly(req, res, raw)));
    const t0 = performance.now();
    const result = await client().callReducerWith(DB, "send_message", { text: "hi" }, { timeoutMs: 1000 });
    const ms = performance.now() - t0;
    expect(outcome(result)[0], messageOf(result)).toBe("timeout");
    expect(ms).toBeLessThan(1600);
  });

  it.each([
    ["a request never answered", () => void server.handle(() => {}), (o: CallOptions) => client().getDatabase(DB, o)],
    ["the second request of schema", () => void server.handle((req, res) => void (req.url.includes("version=10") && res.writeHead(400, TEXT_TYPE).end("no v10 here"))), (o: CallOptions) => client().schema(DB, o)],
    ["a retry's wait (Retry-After: 5)", () => void server.handle((_req, res) => res.writeHead(503, { ...TEXT_TYPE, "retry-after": "5" }).end("busy")), (o: CallOptions) => client({ retries: 2 }).getDatabase(DB, o)],
    ["a token function that never settles", () => {}, (o: CallOptions) => client({ token: () => new Promise<string>(() => {}) }).getDatabase(DB, o)],
  ])("a signal (never aborted) and a timeoutMs that passes during %s: timeout, not aborted", async (_label, serve, call) => {
    serve();
    const t0 = performance.now();
    const result = await call({ signal: new AbortController().signal, timeoutMs: 300 });
    expect(outcome(result)[0], messageOf(result)).toBe("timeout");
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("followLogs with timeoutMs on a stream that stays open: the iteration ends with timeout", async () => {
    server.handle((_req, res) => void res.writeHead(200, { "content-type": "application/x-ndjson" }).write('{"level":"info","message":"first"}\n'));
    const opened = await client().followLogs(DB, { timeoutMs: 300 });
    if (!opened.ok) throw opened.error;
    const seen: string[] = [];
    const error = await (async () => {
      for await (const record of opened.data) seen.push(String(record.message));
    })().then(
      () => undefined,
      (e: unknown) => e as { kind?: string },
    );
    expect(seen).toEqual(["first"]);
    expect(error?.kind).toBe("timeout");
  });
});

// --- child processes

/** `node --import tsx <args>` from the repository's root, with a clean environment for the CLI; killed after `boundMs`. */
function runChild(nodeFlags: string[], args: string[], boundMs: number): Promise<ChildRun> {
  const { SPACETIMEDB_URL: _url, SPACETIMEDB_TOKEN: _token, ...env } = process.env;
  return runNode(nodeFlags, args, { cwd: root, boundMs, env });
}

describe("a pending call keeps the process alive", () => {
  it("a token function that never settles, timeoutMs 500, nothing else alive: prints timeout and exits 0", async (ctx) => {
    const run = await runChild([], [join(root, "test/faults/pending-call.child.ts"), entryOf(ctx)], 30_000);
    expect([run.code, run.stdout.trim()], run.stderr).toEqual([0, "timeout"]);
  }, 40_000);
});

/**
 * Nested arrays `[[[…]]]`, 90M levels: 180 MB, under the 256 MiB cap. `JSON.parse` holds 58 bytes
 * per level (measured on Node 20: 231 MB of heap for 4M levels, 927 MB for 16M), so parsing it needs
 * about 5.2 GB, ten times the children's 512 MB heap (32 MB of nesting would need only 1.8 times).
 */
const LEVELS = 90_000_000;
let deep: Buffer | undefined;
const nestedJson = () => {
  if (!deep) {
    deep = Buffer.allocUnsafe(2 * LEVELS);
    deep.fill(0x5b, 0, LEVELS).fill(0x5d, LEVELS);
  }
  return deep;
};
const answerDeep =
  (status: number): Handler =>
  (_req, res) =>
    res.writeHead(status, { ...JSON_TYPE, "content-length": String(nestedJson().length) }).end(nestedJson());

describe("memory under the cap: deep JSON is parse before it is parsed (512 MB heap)", { timeout: 120_000 }, () => {
  afterAll(() => void (deep = undefined));

  it("a 2xx body nested 90M deep: parse naming the nesting, and the child exits normally", async (ctx) => {
    server.handle(answerDeep(200));
    const run = await runChild(["--max-old-space-size=512"], [join(root, "test/faults/deep-json.child.ts"), entryOf(ctx), server.url], 90_000);
    expect([run.code, run.signal], run.stderr.slice(0, 2000)).toEqual([0, null]);
    const result = JSON.parse(run.stdout) as { kind: string; status: number; message: string };
    expect([result.kind, result.status], result.message).toEqual(["parse", 200]);
    expect(result.message).toMatch(/nest/i);
  });

  it("the same as a 4xx error body: http with its status, the body left out or a short marker", async (ctx) => {
    server.handle(answerDeep(400));
    const run = await runChild(["--max-old-space-size=512"], [join(root, "test/faults/deep-json.child.ts"), entryOf(ctx), server.url], 90_000);
    expect([run.code, run.signal], run.stderr.slice(0, 2000)).toEqual([0, null]);
    const result = JSON.parse(run.stdout) as { kind: string; status: number; message: string; body: { type: string; length: number } | null };
    expect([result.kind, result.status], result.message).toEqual(["http", 400]);
    expect(result.body === null || (result.body.length >= 0 && result.body.length <= 200), JSON.stringify(result.body)).toBe(true);
  });

  it("the CLI's generate --database on such a schema exits 3 with a message (not 134)", async (ctx) => {
    if (nodeBuild(ctx)) ctx.skip(); // one CLI, whichever project runs: once is enough
    server.handle(answerDeep(200));
    const run = await runChild(["--max-old-space-size=512"], [join(root, "src/cli.ts"), "generate", "--database", "x", "--out", "-", "--server", server.url], 90_000);
    expect([run.code, run.signal], run.stderr.slice(0, 2000)).toEqual([3, null]);
    expect(run.stderr).toMatch(/^spacetimedb-http: .*nest/im);
    expect(run.stdout).toBe("");
  });
});

// --- transport wording

describe("protocol errors are named as such, not as an unreachable server", () => {
  it.each([
    ["an unsolicited 100 Continue, then a garbage line", "HTTP/1.1 100 Continue\r\n\r\nthis is not HTTP at all\r\n\r\n"],
    ["headers over 16 KB", `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-padding: ${"a".repeat(20 * 1024)}\r\ncontent-length: 2\r\n\r\n{}`],
    ["Content-Length together with Transfer-Encoding: chunked", "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"],
  ])("%s: network, the answer called malformed", async (_label, answer) => {
    const raw = await rawServer(answer);
    try {
      const result = await client({ baseUrl: raw.url }).getDatabaseNames(DB);
      expect(outcome(result)[0], messageOf(result)).toBe("network");
      expect(messageOf(result)).not.toMatch(/is the server running/);
      expect(messageOf(result)).toMatch(/malformed/);
    } finally {
      await raw.close();
    }
  });

  it.each(["file:///etc/passwd", "data:,x"])("a 302 to %s: network, naming the redirect", async (location) => {
    server.handle((_req, res) => res.writeHead(302, { location }).end());
    const result = await client().getDatabaseNames(DB);
    expect(outcome(result)[0], messageOf(result)).toBe("network");
    expect(messageOf(result)).not.toMatch(/is the server running/);
    expect(messageOf(result)).toMatch(/redirect/i);
  });

  it("Content-Encoding: gzip, gzip (a body gzipped twice) decodes as fetch does", async () => {
    const twice = gzipSync(gzipSync(Buffer.from('{"names":["quickstart-chat"]}')));
    server.handle((_req, res) => res.writeHead(200, { ...JSON_TYPE, "content-encoding": "gzip, gzip", "content-length": String(twice.length) }).end(twice));
    const result = await client().getDatabaseNames(DB);
    expect(outcome(result), messageOf(result)).toEqual(["ok"]);
    expect(result.ok && result.data).toEqual({ names: ["quickstart-chat"] });
  });
});

// --- the two mutants that survived

describe("a token in foreign text stays out of the message", () => {
  it("an injected fetch that rejects with the token in its message (no cause): redacted from error.message", async () => {
    const fetch = async (): Promise<Response> => {
      throw new Error(`boom ${TOKEN}`);
    };
    const result = await client({ fetch }).getDatabase(DB);
    expect(outcome(result)[0], messageOf(result)).toBe("network");
    expect(messageOf(result)).toMatch(/boom/);
    expect(messageOf(result)).not.toContain(TOKEN);
    expect(shown(result)).not.toContain(TOKEN);
  });

  it("an upload's refused redirect whose Location holds the token: not in the message (the Node build names the URL)", async (ctx) => {
    server.handle((_req, res) => res.writeHead(307, { location: `/moved/${TOKEN}` }).end());
    const result = await client().publishNewDatabase(MODULE);
    expect(outcome(result)[0], messageOf(result)).toBe("network");
    expect(messageOf(result)).toMatch(/redirect/i);
    expect(messageOf(result)).not.toContain(TOKEN);
    if (nodeBuild(ctx)) expect(messageOf(result)).toContain(`${server.url}/moved/[redacted]`);
  });

  it("a redirect answer handed back (as under redirect: manual) whose Location holds the token: named, redacted", async () => {
    const fetch = async (): Promise<Response> => new Response(null, { status: 307, headers: { location: `http://127.0.0.1:1/moved/${TOKEN}` } });
    const result = await client({ fetch }).publishNewDatabase(MODULE);
    expect(outcome(result)[0], messageOf(result)).toBe("network");
    expect(messageOf(result)).toContain("http://127.0.0.1:1/moved/[redacted]");
    expect(shown(result)).not.toContain(TOKEN);
  });
});

describe("maxResponseBytes at its boundary", () => {
  const CAP = 4096;
  /** A names answer of exactly `bytes` bytes. */
  const namesOf = (bytes: number) => `{"names":["${"a".repeat(bytes - 14)}"]}`;
  const declared = (body: string): Handler => (_req, res) => res.writeHead(200, { ...JSON_TYPE, "content-length": String(body.length) }).end(body);
  const chunked = (body: string): Handler => (_req, res) => {
    res.writeHead(200, JSON_TYPE); // no length: Node sends it chunked
    res.write(body.slice(0, 1000));
    res.end(body.slice(1000));
  };

  it.each([
    ["a declared Content-Length", declared],
    ["a chunked body without length", chunked],
  ])("%s: exactly maxResponseBytes passes, one byte more is too-large", async (_label, answer) => {
    expect(namesOf(CAP)).toHaveLength(CAP);
    server.handle(answer(namesOf(CAP)));
    const exact = await client({ maxResponseBytes: CAP }).getDatabaseNames(DB);
    expect(outcome(exact), messageOf(exact)).toEqual(["ok"]);
    expect(exact.ok && exact.data.names[0]).toHaveLength(CAP - 14);
    server.handle(answer(namesOf(CAP + 1)));
    const over = await client({ maxResponseBytes: CAP }).getDatabaseNames(DB);
    expect(outcome(over)[0], messageOf(over)).toBe("too-large");
  });
});
