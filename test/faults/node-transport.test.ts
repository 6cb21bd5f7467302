/**
 * What only the Node build's transport (undici, src/transport/undici.ts) has to prove, beyond the
 * shared tests that the reliability-node project runs on it: middleware gets real Request and
 * Response objects, no Accept-Encoding is sent, a streamed upload's redirect names its URL, and a
 * caller's signal or the deadline stops a call mid-body.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createClient } from "../../src/index.node.js";
import { DB } from "./calls.js";
import { startServer, type TestServer } from "./server.js";

let server: TestServer;
beforeAll(async () => (server = await startServer()));
afterAll(() => server.close());
const JSON_TYPE = { "content-type": "application/json" };

it("middleware sees real Request and Response objects, and the call still answers", async () => {
  server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end('{"names":["a"]}'));
  const client = createClient({ baseUrl: server.url, token: "t" });
  const seen: unknown[] = [];
  client.use({
    onRequest: ({ request }) => void seen.push(request instanceof Request),
    onResponse: ({ response }) => void seen.push(response instanceof Response),
  });
  const result = await client.getDatabaseNames(DB);
  expect(result.ok && result.data).toEqual({ names: ["a"] });
  expect(seen).toEqual([true, true]);
});

it("sends no Accept-Encoding (bytes are counted as received) and keeps the connection alive", async () => {
  server.received.length = 0;
  server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end('{"names":[]}'));
  const client = createClient({ baseUrl: server.url });
  await client.getDatabaseNames(DB);
  await client.getDatabaseNames(DB);
  expect(server.received.map((r) => r.headers["accept-encoding"])).toEqual([undefined, undefined]);
  expect(server.received.map((r) => r.headers.connection)).toEqual(["keep-alive", "keep-alive"]);
});

it("a streamed upload is not re-sent on a redirect: the error names the URL it was sent to", async () => {
  server.handle((_req, res) => res.writeHead(307, { location: "/elsewhere" }).end());
  const body = new ReadableStream<Uint8Array>({ pull: (c) => (c.enqueue(new Uint8Array([0, 97, 115, 109])), c.close()) });
  const result = await createClient({ baseUrl: server.url }).publishNewDatabase(body);
  expect(result.ok ? "" : result.error.kind).toBe("network");
  expect(result.ok ? "" : result.error.message).toContain(`${server.url}/elsewhere`);
});

it("a caller's signal and the deadline stop a call whose body never ends", async () => {
  server.handle((_req, res) => void res.writeHead(200, JSON_TYPE).write("["));
  const client = createClient({ baseUrl: server.url, retries: 0 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const aborted = await client.getDatabaseNames(DB, { signal: controller.signal });
  expect(aborted.ok ? "" : aborted.error.kind).toBe("aborted");
  const timedOut = await client.getDatabaseNames(DB, { timeoutMs: 100 });
  expect(timedOut.ok ? "" : timedOut.error.kind).toBe("timeout");
});

it("a body cancelled while its source still holds data destroys the source and throws nothing", async () => {
  const { webStream } = await import("../../src/transport/undici.js");
  const { Readable } = await import("node:stream");
  let destroyed = false;
  const source = new Readable({ read() {} }).on("close", () => (destroyed = true));
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on("uncaughtException", onUncaught);
  try {
    const reader = webStream(source).getReader();
    // Chunks already buffered in the source keep flowing after a cancel, as a body's decoder emits them.
    for (const chunk of ["first", "second", "third", "fourth"]) source.push(Buffer.from(chunk));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("first");
    await reader.cancel();
    source.push(Buffer.from("after the cancel"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(uncaught).toEqual([]);
    expect(destroyed).toBe(true);
  } finally {
    process.off("uncaughtException", onUncaught);
  }
});
