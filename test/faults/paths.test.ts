/**
 * Path safety, checked on what a real server receives: a database name, reducer or route path can
 * never leave its path segment or reach the query string, and names that a URL parser would
 * collapse are refused before anything is sent.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SpacetimeClient } from "../../src/index.js";
import { DB } from "./calls.js";
import { startServer, type TestServer } from "./server.js";

const TRICKY = ["a/../../identity", "../../v1/identity", "?", "#", "?x=1#y", "%2F", "%2e%2e", "a%2F..%2Fb", "\\..\\x", "a b", "é/🙂", "\u0000", "..;", ".a", "a."];

let server: TestServer;
let client: SpacetimeClient;
beforeAll(async () => {
  server = await startServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("null"));
  client = createClient({ baseUrl: server.url, retries: 0 });
});
afterAll(() => server.close());

/** The one request the server got for a call, split into decoded path segments and query. */
async function received(call: () => Promise<unknown>) {
  server.received.length = 0;
  const result = (await call()) as { ok: boolean; error?: { kind: string } };
  if (server.received.length === 0) return { result, segments: undefined, query: undefined };
  expect(server.received).toHaveLength(1);
  const url = new URL(server.received[0]!.url, server.url);
  return { result, segments: url.pathname.split("/").slice(1).map(decodeURIComponent), query: [...url.searchParams] };
}

describe("path parameters stay in their segment", () => {
  it.each(TRICKY)("reducer %j", async (reducer) => {
    const { segments, query } = await received(() => client.callReducer(DB, reducer, []));
    expect(segments).toEqual(["v1", "database", DB, "call", reducer]);
    expect(query).toEqual([]);
  });

  it.each([...TRICKY, "", ".", ".."])("database %j: refused (invalid-input), nothing sent", async (name) => {
    const { result, segments } = await received(() => client.getDatabaseNames(name));
    expect(result.error?.kind).toBe("invalid-input");
    expect(segments).toBeUndefined();
  });

  it.each(["", ".", ".."])("reducer %j: refused (invalid-input), nothing sent", async (reducer) => {
    const { result, segments } = await received(() => client.callReducer(DB, reducer, []));
    expect(result.error?.kind).toBe("invalid-input");
    expect(segments).toBeUndefined();
  });

  it("a module route path keeps its own segments; `.`/`..` in it are refused", async () => {
    const route = await received(() => client.route(DB, "/a/b?c#d/%2F"));
    expect(route.segments).toEqual(["v1", "database", DB, "route", "a", "b?c#d", "%2F"]);
    expect(route.query).toEqual([]);
    for (const path of ["/a/../../identity", "/./x", "/a//b"]) {
      const refused = await received(() => client.route(DB, path));
      expect([path, refused.result.error?.kind, refused.segments]).toEqual([path, "invalid-input", undefined]);
    }
  });

  it("a query value cannot add a parameter", async () => {
    const { query } = await received(() => client.publishDatabase(DB, new Uint8Array(1), { updateConfirmationTimeout: "5s&clear=true#x" }));
    expect(query).toEqual([["update_confirmation_timeout", "5s&clear=true#x"]]);
  });

  it("any reducer name: the server gets it back in one segment, or nothing is sent", async () => {
    const piece = fc.constantFrom("/", ".", "..", "%", "%2F", "%2e", "?", "#", "&", "\\", ";", " ", "\t", "\n", "\u0000", "\ud800", "é", "🙂", "a", "0x");
    const name = fc.oneof(fc.string({ unit: piece, maxLength: 8 }), fc.string({ unit: "binary", maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(name, async (reducer) => {
        const { result, segments, query } = await received(() => client.callReducer(DB, reducer, []));
        // A lone surrogate has no UTF-8 form, so it cannot be percent-encoded: refused too.
        const refusable = ["", ".", ".."].includes(reducer) || /\p{Surrogate}/u.test(reducer);
        if (segments === undefined) {
          expect(refusable, JSON.stringify(reducer)).toBe(true);
          expect(result.error?.kind).toBe("invalid-input");
        } else {
          expect(segments).toEqual(["v1", "database", DB, "call", reducer]);
          expect(query).toEqual([]);
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
