/**
 * Token safety against a real server with the default fetch: the token reaches the server only in
 * `Authorization: Bearer`, and no error or result shows it, even when the server echoes it back.
 */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { DB } from "./calls.js";
import { startServer, type TestServer } from "./server.js";

const TOKEN = "eyJhbGciOiJFUzI1NiJ9.c2VjcmV0LW1hcmtlci0zYjk.sig";

let server: TestServer;
beforeAll(async () => (server = await startServer()));
afterAll(() => server.close());

/** Every place a log line or a bug report would show a result. */
const views = (value: unknown) => {
  const r = value as { error?: Error & { cause?: unknown } };
  return [JSON.stringify(value), inspect(value, { depth: 8 }), String(r.error), String(JSON.stringify(r.error)), inspect(r.error?.cause, { depth: 8 })];
};

describe("the token", () => {
  it("is sent only as a Bearer header, never in the URL or body", async () => {
    server.received.length = 0;
    server.handle((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("[]"));
    await createClient({ baseUrl: server.url, token: TOKEN }).sql(DB, "SELECT 1");
    const [req] = server.received;
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.url).not.toContain("c2VjcmV0");
    expect(req?.body).not.toContain("c2VjcmV0");
  });

  it("read from a file with a trailing newline: trimmed and sent", async () => {
    server.received.length = 0;
    server.handle((_req, res) => res.writeHead(200).end());
    expect((await createClient({ baseUrl: server.url, token: `${TOKEN}\n` }).ping()).ok).toBe(true);
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it.each([
    ["a line break inside", "eyJhbGci\nc2VjcmV0LW1hcmtlci0zYjk"],
    ["a NUL", "eyJhbGci\u0000c2VjcmV0LW1hcmtlci0zYjk"],
    ["a character above U+00FF", "eyJhbGci✓c2VjcmV0LW1hcmtlci0zYjk"],
    ["a space", "eyJhbGci c2VjcmV0LW1hcmtlci0zYjk"],
  ])("with %s: invalid-input, nothing sent, and the error does not quote it", async (_label, token) => {
    server.received.length = 0;
    const result = await createClient({ baseUrl: server.url }).getDatabaseNames(DB, { token });
    expect(result.ok || result.error.kind).toBe("invalid-input");
    expect(server.received).toHaveLength(0);
    for (const shown of views(result)) expect(shown).not.toContain("c2VjcmV0");
  });

  it.each([
    ["text", "text/plain", (auth: string) => `Invalid token: ${auth}`],
    ["JSON", "application/json", (auth: string) => JSON.stringify({ error: { message: `bad ${auth}`, [auth]: [auth] } })],
  ])("echoed by the server in a %s error body: redacted everywhere", async (_label, type, body) => {
    server.handle((req, res) => res.writeHead(401, { "content-type": type, "spacetime-identity-token": TOKEN }).end(body(String(req.headers.authorization))));
    const result = await createClient({ baseUrl: server.url, token: TOKEN }).getDatabaseNames(DB);
    expect(result.ok || [result.error.kind, result.error.status]).toEqual(["http", 401]);
    expect(JSON.stringify(result)).toContain("[redacted]");
    for (const shown of views(result)) expect(shown).not.toContain("c2VjcmV0");
  });

  it("from spacetime-identity-token: kept in meta.token, which no log shows", async () => {
    server.handle((_req, res) => res.writeHead(200, { "content-type": "application/json", "spacetime-identity-token": TOKEN }).end('{"names":[]}'));
    const result = await createClient({ baseUrl: server.url }).getDatabaseNames(DB);
    expect(result.ok && result.meta.token).toBe(TOKEN);
    for (const shown of views(result)) expect(shown).not.toContain("c2VjcmV0");
  });
});
