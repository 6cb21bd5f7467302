/**
 * Nothing of a call outlives it. Over many calls whose body nobody reads (callReducer's empty 200:
 * openapi-fetch returns on `content-length: 0` without reading) the heap held after garbage
 * collection stays flat: the `reliability` project runs this with the universal build,
 * `reliability-node` with the Node build. A call that left its body unread once kept undici's abort
 * listener, and with it the request and the body, on the shared deadline until its timer fired
 * 30 s later: 1.6 KB per call. The Node build now drains an empty body itself; Node's fetch ends
 * one on its own (cancelling or reading it would cost a call about 25 µs and free nothing).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createClient, type Result } from "../../src/index.js";
import { createClient as createNodeClient } from "../../src/index.node.js";
import { heapHeld } from "../helpers/gc.js";

const CALLS = 20_000;
const CONCURRENCY = 32;
/** What 20,000 calls may leave on the heap: at 1.6 KB a call, a leak holds over ten times this. */
const HELD_BOUND = 3e6;

let server: Server;
let baseUrl = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = req.url ?? "";
      if (url.includes("/call/")) res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": "0" }).end();
      else if (url.endsWith("/verify")) res.writeHead(204).end();
      else if (url.includes("/missing")) res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("`missing` not found");
      else res.writeHead(200, { "content-type": "application/json" }).end('{"names":["x"]}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it("the Node build has read or drained every response body once its call settles: empty 200, 204, JSON, an HTTP error", async () => {
  const client = createNodeClient({ baseUrl, token: "held-token-3f9a", retries: 0 });
  const responses: Response[] = [];
  // With middleware the client hands openapi-fetch real Response objects, whose body state shows.
  client.use({ onResponse: ({ response }) => void responses.push(response) });
  const results: Result<unknown, unknown>[] = [
    await client.callReducer("db", "send_message", ["hi"]),
    await client.verifyIdentity("ab".repeat(32)),
    await client.getDatabaseNames("db"),
    await client.getDatabaseNames("missing"),
  ];
  expect(results.map((r) => (r.ok ? "ok" : r.error.status))).toEqual(["ok", "ok", "ok", 404]);
  expect(responses).toHaveLength(4);
  for (const response of responses) expect({ status: response.status, settled: response.body === null || response.bodyUsed }).toEqual({ status: response.status, settled: true });
});

it(`${CALLS.toLocaleString("en")} calls with an unread empty body, ${CONCURRENCY} at a time: the heap after GC stays flat`, { timeout: 120_000 }, async () => {
  const client = createClient({ baseUrl, token: "held-token-3f9a" });
  const run = async (calls: number) => {
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next++ < calls) if (!(await client.callReducer("db", "send_message", ["hi"])).ok) failed++;
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return failed;
  };
  // A first batch settles what is made once (compiled code, sockets, caches); the second must add nothing.
  expect(await run(CALLS / 4)).toBe(0);
  const before = await heapHeld();
  expect(await run(CALLS)).toBe(0);
  const held = (await heapHeld()) - before;
  expect(held, `${(held / 1e6).toFixed(2)} MB held`).toBeLessThan(HELD_BOUND);
});
