/**
 * The client against a real local server that misbehaves: refused, reset and closed connections,
 * silence, throttling, error storms and bad 200s. Every outcome is a result with the right kind, and
 * a call that is not safe to repeat reaches the server exactly once unless the caller opted in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type Result, type SpacetimeClient } from "../../src/index.js";
import { DB, UNSAFE_CALLS, UNSAFE_OPERATIONS } from "./calls.js";
import {
  closeBeforeHeaders,
  deadPort,
  namesOk,
  resetBeforeHeaders,
  resetMidBody,
  sequence,
  silent,
  stallAfterHeaders,
  startServer,
  status,
  type Handler,
  type TestServer,
} from "./server.js";

const RETRIES = 2;
/** Generous: a bound on behaviour on a busy 2-core CI, not a performance figure. */
const SLACK_MS = 1_000;

let server: TestServer;
let client: SpacetimeClient;
beforeAll(async () => {
  server = await startServer();
  client = createClient({ baseUrl: server.url, token: "tok", retries: RETRIES, retryDelayMs: 5, timeoutMs: 10_000 });
});
afterAll(() => server.close());

/** Serves `handler` for one block of calls, with a clean request log. */
function serve(handler: Handler): void {
  server.received.length = 0;
  server.handle(handler);
}

function failed(result: Result<unknown, unknown>) {
  if (result.ok) throw new Error(`expected a failure, got ok with ${JSON.stringify(result.data)}`);
  return result.error;
}

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await p;
  return [value, performance.now() - start];
}

describe("connection refused", () => {
  it("is kind network, says so, and resolves promptly for GET (retried) and POST", async () => {
    const dead = createClient({ baseUrl: `127.0.0.1:${await deadPort()}`, retries: RETRIES, retryDelayMs: 5 });
    const outcomes: [Result<unknown, unknown>, number][] = [await timed(dead.getDatabaseNames(DB)), await timed(dead.sql(DB, "SELECT 1"))];
    for (const [result, elapsed] of outcomes) {
      const error = failed(result);
      expect(error.kind).toBe("network");
      expect(error.message).toContain("ECONNREFUSED");
      expect(elapsed).toBeLessThan(2 * SLACK_MS);
    }
  });
});

describe("a connection that breaks", () => {
  it.each([
    ["reset before the headers", resetBeforeHeaders],
    ["closed before the headers", closeBeforeHeaders],
    ["reset in the middle of the body", resetMidBody],
  ])("%s: GET is retried (1 + retries requests), then kind network", async (_label, fault) => {
    serve(fault);
    expect(failed(await client.getDatabaseNames(DB)).kind).toBe("network");
    expect(server.received).toHaveLength(1 + RETRIES);
  });

  it("reset before the headers, then an answer: a GET recovers", async () => {
    serve(sequence(resetBeforeHeaders, namesOk));
    const result = await client.getDatabaseNames(DB);
    expect(result.ok && result.data).toEqual({ names: ["quickstart-chat"] });
    expect(server.received).toHaveLength(2);
  });
});

describe("a server that never answers", () => {
  it.each([
    ["no response at all", silent],
    ["headers, then no body", stallAfterHeaders],
  ])("%s: kind timeout within timeoutMs (+ slack), one request", async (_label, fault) => {
    serve(fault);
    const [result, elapsed] = await timed(client.getDatabaseNames(DB, { timeoutMs: 300 }));
    expect(failed(result).kind).toBe("timeout");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + SLACK_MS);
    expect(server.received).toHaveLength(1);
  });

  it("a timeout too long for a timer (Infinity, 2^31 ms) never fires early", async () => {
    serve((_req, res) => setTimeout(() => namesOk(_req, res, undefined as never), 50));
    for (const timeoutMs of [Number.POSITIVE_INFINITY, 2 ** 31]) {
      const result = await client.getDatabaseNames(DB, { timeoutMs });
      expect(result.ok, `timeoutMs ${timeoutMs}`).toBe(true);
    }
  });
});

describe("Retry-After", () => {
  it("429 with Retry-After in seconds: the GET waits that long, then succeeds", async () => {
    serve(sequence(status(429, { "retry-after": "1" }), namesOk));
    expect((await client.getDatabaseNames(DB)).ok).toBe(true);
    const [first, second] = server.received;
    expect(server.received).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000 - 20);
    expect(second!.at - first!.at).toBeLessThan(1_000 + SLACK_MS);
  });

  it("503 with Retry-After as an HTTP date: the GET waits until then", async () => {
    let until = 0;
    serve(
      sequence((_req, res) => {
        const date = new Date(Date.now() + 2_000).toUTCString(); // whole seconds: 1–2 s from now
        until = performance.now() + (Date.parse(date) - Date.now());
        status(503, { "retry-after": date })(_req, res, undefined as never);
      }, namesOk),
    );
    expect((await client.getDatabaseNames(DB)).ok).toBe(true);
    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.at).toBeGreaterThanOrEqual(until - 20);
    expect(server.received[1]!.at - server.received[0]!.at).toBeLessThan(2_000 + SLACK_MS);
  });

  it.each([
    ["seconds", () => "31"],
    ["an HTTP date", () => new Date(Date.now() + 3_600_000).toUTCString()],
  ])("a wait over the 30 s cap (%s) returns the 503 at once instead", async (_label, value) => {
    serve((req, res, raw) => status(503, { "retry-after": value() }, "busy")(req, res, raw));
    const [result, elapsed] = await timed(client.getDatabaseNames(DB));
    const error = failed(result);
    expect([error.kind, error.status, error.body]).toEqual(["http", 503, "busy"]);
    expect(server.received).toHaveLength(1);
    expect(elapsed).toBeLessThan(SLACK_MS);
  });

});

describe("error storms", () => {
  it("a 500 storm: not retried, the 500 is returned", async () => {
    serve(status(500, { "content-type": "text/plain" }, "internal error"));
    const error = failed(await client.getDatabaseNames(DB));
    expect([error.kind, error.status, error.body]).toEqual(["http", 500, "internal error"]);
    expect(server.received).toHaveLength(1);
  });

  it("a 502/504/503 storm: gives up after `retries` with the last status", async () => {
    serve(sequence(status(502), status(504), status(503), status(502), status(504)));
    const error = failed(await client.getDatabaseNames(DB));
    expect([error.kind, error.status]).toEqual(["http", 503]);
    expect(server.received).toHaveLength(1 + RETRIES);

    serve(sequence(status(502), status(504), status(503), status(502), status(504)));
    const more = failed(await client.getDatabaseNames(DB, { retry: 4 }));
    expect([more.kind, more.status]).toEqual(["http", 504]);
    expect(server.received).toHaveLength(5);
  });
});

describe("a 200 that is not what the spec promises", () => {
  it("invalid JSON: kind parse, status 200, the raw text kept", async () => {
    const raw = '{"names": ["quickstart-chat",';
    serve(status(200, { "content-type": "application/json" }, raw));
    const error = failed(await client.getDatabaseNames(DB));
    expect([error.kind, error.status, error.body]).toEqual(["parse", 200, raw]);
    expect(server.received).toHaveLength(1);
  });

  it("the wrong content type: kind parse naming it, the raw text kept", async () => {
    const raw = "<html><body>Sign in to continue</body></html>";
    serve(status(200, { "content-type": "text/html" }, raw));
    const error = failed(await client.getDatabaseNames(DB));
    expect([error.kind, error.status, error.body]).toEqual(["parse", 200, raw]);
    expect(error.message).toContain("text/html");
  });
});

describe("calls that are not safe to repeat reach the server exactly once", () => {
  it("the list covers every non-GET/HEAD operation", () => {
    expect(new Set(UNSAFE_CALLS.map((c) => c.operation))).toEqual(new Set(UNSAFE_OPERATIONS));
  });

  const retryable: [string, Handler][] = [
    ["reset before the headers", resetBeforeHeaders],
    ["closed before the headers", closeBeforeHeaders],
    ["reset in the middle of the body", resetMidBody],
    ["503 with Retry-After: 0", status(503, { "retry-after": "0" })],
    ["429 with Retry-After: 0", status(429, { "retry-after": "0" })],
    ["502", status(502)],
    ["504", status(504)],
    ["408", status(408)],
  ];
  const silentFaults: [string, Handler][] = [
    ["no response (timeout)", silent],
    ["headers, then no body (timeout)", stallAfterHeaders],
  ];

  /** Runs every unsafe call at once, each tagged; returns how many requests each one sent. */
  async function countAll(options: { retry?: number; timeoutMs?: number }) {
    const results = await Promise.all(UNSAFE_CALLS.map((c) => c.call(client, { ...options, headers: { "x-case": c.name } })));
    return UNSAFE_CALLS.map((c, i) => ({ name: c.name, requests: server.count(c.name), kind: results[i]!.ok ? "ok" : results[i]!.error.kind }));
  }

  it.each(retryable)("%s: one request each, the fault returned", async (_label, fault) => {
    serve(fault);
    const counts = await countAll({});
    const kind = fault === resetBeforeHeaders || fault === closeBeforeHeaders || fault === resetMidBody ? "network" : "http";
    expect(counts).toEqual(UNSAFE_CALLS.map((c) => ({ name: c.name, requests: 1, kind })));
  });

  it.each(silentFaults)("%s: one request each, kind timeout", async (_label, fault) => {
    serve(fault);
    // 35 calls at once, uploads among them: 1 s leaves room for a loaded 2-core machine to send them all.
    const counts = await countAll({ timeoutMs: 1_000 });
    expect(counts).toEqual(UNSAFE_CALLS.map((c) => ({ name: c.name, requests: 1, kind: "timeout" })));
  });

  // publishWithMigration never retries: it sends the module twice and must not apply it twice.
  it.each(retryable)("%s: a caller that opts in (retry: 2) gets 3 requests", async (_label, fault) => {
    serve(fault);
    const counts = await countAll({ retry: 2 });
    const expected = UNSAFE_CALLS.map((c) => ({ name: c.name, requests: c.name === "publishWithMigration" ? 1 : 3 }));
    expect(counts.map(({ name, requests }) => ({ name, requests }))).toEqual(expected);
  });
});
