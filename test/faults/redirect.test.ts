/**
 * Redirects with the default fetch: the token follows a same-origin redirect, never one to another
 * origin (two local servers: 127.0.0.1:A redirects to 127.0.0.1:B, a different origin by port).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { DB } from "./calls.js";
import { startServer, type TestServer } from "./server.js";

const TOKEN = "redirect-token-5d1e";
const ANSWER = { "content-type": "application/json" };

let origin: TestServer;
let other: TestServer;
beforeAll(async () => {
  other = await startServer((_req, res) => res.writeHead(200, ANSWER).end('{"names":[]}'));
  origin = await startServer();
});
afterAll(async () => {
  await origin.close();
  await other.close();
});

describe.each([307, 308])("a %i redirect", (code) => {
  it("to another origin: followed without Authorization (GET and POST)", async () => {
    other.received.length = 0;
    // 127.0.0.1:A/307/v1/… → 127.0.0.1:B/v1/…
    origin.handle((req, res) => res.writeHead(code, { location: other.url + req.url.slice(4) }).end());
    const client = createClient({ baseUrl: `${origin.url}/${code}`, token: TOKEN, retries: 0 });
    const get = await client.getDatabaseNames(DB);
    const post = await client.callReducer(DB, "send_message", ["hi"]);
    expect(get.ok && post.ok).toBe(true);
    expect(other.received.map((r) => [r.method, r.url, r.body, r.headers.authorization])).toEqual([
      ["GET", `/v1/database/${DB}/names`, "", undefined],
      ["POST", `/v1/database/${DB}/call/send_message`, '["hi"]', undefined],
    ]);
    expect(origin.received.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

it("a same-origin redirect keeps Authorization", async () => {
  origin.received.length = 0;
  origin.handle((req, res) => {
    if (req.url.startsWith("/same")) res.writeHead(307, { location: req.url.slice("/same".length) }).end();
    else res.writeHead(200, ANSWER).end('{"names":[]}');
  });
  const result = await createClient({ baseUrl: `${origin.url}/same`, token: TOKEN }).getDatabaseNames(DB);
  expect(result.ok).toBe(true);
  expect(origin.received.map((r) => [r.url, r.headers.authorization])).toEqual([
    [`/same/v1/database/${DB}/names`, `Bearer ${TOKEN}`],
    [`/v1/database/${DB}/names`, `Bearer ${TOKEN}`],
  ]);
});
