/**
 * What README.md and SECURITY.md promise about the token, checked from the INSTALLED package (required
 * by name in a fresh project, as a CommonJS user gets it in Node: the undici build) against a local
 * server that misbehaves on purpose: it echoes credentials, redirects, and sends bad lines. Each
 * promise runs on both transports a Node user has: the default one, and `fetch` injected.
 * (Inspection in every runtime, and copies, are in runtimes.test.ts.)
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_V9 } from "../helpers/fake-fetch.js";
import { sendJson, sendText, startServer, type LocalServer, type Received } from "../helpers/local-server.js";
import { freshProject } from "./install.js";
import { DATABASE } from "./server.js";

const TOKEN = "promise-CONSUMER-5e6f7a8b9c0d";
const SHORT_LIVED = "websocket-CONSUMER-1a2b3c4d";
/** A module with one reducer taking an F64, passed as `moduleDef` so no schema is fetched. */
const F64_MODULE = { ...SCHEMA_V9, reducers: [{ name: "set", params: { elements: [{ name: { some: "x" }, algebraic_type: { F64: [] } }] }, lifecycle: { none: [] } }] };

// The package's public surface, as far as these tests use it (the package's own types live in the project).
interface SdkError extends Error {
  kind: string;
  status?: number;
  body?: unknown;
  cause?: unknown;
}
type Result = { ok: true; data: unknown; meta: { status: number; headers?: Record<string, string> } } | { ok: false; error: SdkError };
type Call = (...args: unknown[]) => Promise<Result>;
type Method = "callReducer" | "callReducerWith" | "createIdentity" | "getDatabase" | "getDatabases" | "getEnergyBalance" | "getPublicKey" | "health" | "ping" | "publishDatabase" | "route" | "subscribeUrl" | "followLogs";
type Client = Record<Method, Call>;
interface Sdk {
  createClient(options: Record<string, unknown>): Client;
}

let sdk: Sdk;
let server: LocalServer;
let other: LocalServer;
beforeAll(async () => {
  const project = await freshProject("promises", { type: "commonjs" });
  sdk = createRequire(join(project, "package.json"))("spacetimedb-http") as Sdk;
  other = await startServer((_r, res) => sendJson(res, 200, DATABASE));
  server = await startServer((r, res) => answer(r, res));
}, 180_000);
afterAll(async () => {
  await server?.close();
  await other?.close();
});

const bearer = (r: Received) => String(r.headers.authorization ?? "").replace(/^Bearer /, "");

function answer(r: Received, res: Parameters<Parameters<typeof startServer>[0]>[1]): void {
  const route = `${r.method} ${r.url.pathname}`;
  switch (route) {
    case "GET /v1/database/echo-json": // a JSON error body quoting the credential, as a key and in a string
      return sendJson(res, 400, { [bearer(r)]: "the key", message: `bad credential ${bearer(r)}` });
    case "GET /v1/ping": // a header quoting it back on a success
      return void res.writeHead(200, { "x-echo": String(r.headers.authorization ?? "") }).end();
    case "GET /v1/database/bad-200": // a 2xx that is not JSON, quoting the credential
      return sendText(res, 200, `{"database_identity": ${bearer(r)}`, { "content-type": "application/json" });
    case "GET /v1/database/quickstart-chat/logs":
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      return void res.end(`{"level":"Info","ts":1,"target":"m","message":"first"}\nnot json ${bearer(r)}\n`);
    case "GET /v1/database/garble":
      return sendText(res, 400, "invalid characters in the request at position 3");
    case "GET /v1/database/needs-auth":
      return sendText(res, 401, "");
    case "GET /v1/database/cross-origin":
      return void res.writeHead(307, { location: `${other.url}/v1/database/landed` }).end();
    case "GET /v1/database/same-origin":
      return void res.writeHead(307, { location: "/v1/database/landed" }).end();
    case "GET /v1/database/landed":
      return sendJson(res, 200, DATABASE);
    case "PUT /v1/database/moved":
      return void res.writeHead(307, { location: "/v1/database/quickstart-chat" }).end();
    case "POST /v1/database/floats/call/set":
      return void res.writeHead(200).end();
    case "POST /v1/identity/websocket-token":
      return sendJson(res, 200, { token: SHORT_LIVED });
    default:
      return sendText(res, 404, `no route ${route}`);
  }
}

/** The transports a Node user has: the package's default, and a `fetch` they pass. */
const TRANSPORTS: [string, Record<string, unknown>][] = [
  ["default transport", {}],
  ["injected fetch", { fetch: (input: RequestInfo, init?: RequestInit) => fetch(input, init) }],
];
const received = (path: string, on = server) => on.received.filter((r) => r.url.pathname === path);
/** Every text a user may print of a result. */
const everything = (r: Result): string[] =>
  (r.ok ? [JSON.stringify(r), JSON.stringify(r.meta.headers)] : [r.error.message, String(r.error), JSON.stringify(r.error), JSON.stringify(r.error.body), String(r.error.body), String((r.error.cause as Error | undefined)?.message)]).map(String);

for (const [transport, extra] of TRANSPORTS) {
  const client = (token?: unknown, more: Record<string, unknown> = {}) => sdk.createClient({ baseUrl: server.url, retries: 0, ...(token === undefined ? {} : { token }), ...extra, ...more });

  describe(`SECURITY.md: how the client handles your token (${transport})`, () => {
    it("sends it only as Authorization: Bearer, trimmed; never in a URL or a body", async () => {
      const before = server.received.length;
      const r = await client(`  ${TOKEN}\n`).callReducer("floats", "set", [1]);
      expect(r.ok).toBe(true);
      const sent = server.received.slice(before);
      expect(sent.map((s) => s.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
      expect(sent.filter((s) => s.url.href.includes(TOKEN) || s.body.includes(TOKEN))).toEqual([]);
    });

    it("refuses a token a header cannot carry, sends nothing, and does not quote it", async () => {
      const before = server.received.length;
      const r = await client(`${TOKEN} with a space`).getDatabase("landed");
      expect(r.ok ? "ok" : r.error.kind).toBe("invalid-input");
      expect(server.received.length).toBe(before);
      expect(everything(r).filter((t) => t.includes(TOKEN))).toEqual([]);
    });

    it("gives the client's token to no operation where the server reads none; a per-call token is sent", async () => {
      const before = server.received.length;
      const c = client(TOKEN);
      const identity = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";
      await Promise.all([c.createIdentity(), c.getPublicKey(), c.getDatabases(identity), c.getEnergyBalance(identity), c.health(), c.route("quickstart-chat", "/hello")]);
      const anonymous = server.received.slice(before);
      expect(anonymous.length).toBe(6);
      expect(anonymous.filter((s) => s.headers.authorization !== undefined).map((s) => `${s.method} ${s.url.pathname}`)).toEqual([]);
      await c.createIdentity({ token: "per-call-CONSUMER-token" });
      expect(server.received.at(-1)?.headers.authorization).toBe("Bearer per-call-CONSUMER-token");
    });

    it("redacts it from a JSON error body (keys and strings), keeping the body JSON", async () => {
      const r = await client(TOKEN).getDatabase("echo-json");
      expect(r.ok).toBe(false);
      expect(everything(r).filter((t) => t.includes(TOKEN))).toEqual([]);
      if (!r.ok) expect(JSON.stringify(r.error.body)).toContain("[redacted]");
    });

    it("redacts it from response headers (meta.headers)", async () => {
      const r = await client(TOKEN).ping({ headers: {} });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.meta.headers?.["x-echo"]).toBe("Bearer [redacted]");
    });

    it("never quotes a bad 2xx body that holds it in a parse error", async () => {
      const r = await client(TOKEN).getDatabase("bad-200");
      expect(r.ok ? "ok" : r.error.kind).toBe("parse");
      expect(everything(r).filter((t) => t.includes(TOKEN))).toEqual([]);
    });

    it("keeps it out of the error a log stream throws on a bad line (message, body, cause), and says what was wrong in words", async () => {
      const opened = await client(TOKEN).followLogs("quickstart-chat");
      if (!opened.ok) throw opened.error;
      let thrown: SdkError | undefined;
      try {
        for await (const record of opened.data as AsyncIterable<unknown>) void record;
      } catch (e) {
        thrown = e as SdkError;
      }
      expect(thrown?.name).toBe("SpacetimeHttpError");
      const texts = [thrown!.message, String(thrown), JSON.stringify(thrown), String(thrown!.body), String((thrown!.cause as Error | undefined)?.message)];
      expect(texts.filter((t) => t.includes(TOKEN))).toEqual([]);
      // V8's "Unexpected token 'n', "not json…" is not valid JSON" with its quotes cut out read "Unexpected token, is not valid JSON".
      expect(thrown!.message).not.toMatch(/Unexpected token\s*,/);
    });

    it("a cross-origin redirect drops Authorization; a same-origin one keeps it", async () => {
      const cross = await client(TOKEN).getDatabase("cross-origin");
      expect(cross.ok).toBe(true);
      expect(other.received.at(-1)?.headers.authorization).toBeUndefined();
      const same = await client(TOKEN).getDatabase("same-origin");
      expect(same.ok).toBe(true);
      expect(received("/v1/database/landed").at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it("never redirects or re-sends a streamed upload", async () => {
      const before = server.received.length;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
          controller.close();
        },
      });
      const r = await client(TOKEN).publishDatabase("moved", body);
      expect(r.ok).toBe(false);
      const sent = server.received.slice(before).map((s) => `${s.method} ${s.url.pathname}`);
      expect(sent).toEqual(["PUT /v1/database/moved"]);
      // README: on the Node transport "the call fails naming the redirect's URL" (fetch's redirect: "error" gives none).
      if (transport === "default transport") expect(r.ok ? "" : r.error.message).toContain(`${server.url}/v1/database/quickstart-chat`);
    });

    it("puts a short-lived token in a WebSocket URL, never the long-lived one", async () => {
      const r = await client(TOKEN).subscribeUrl("quickstart-chat");
      expect(r.ok).toBe(true);
      const url = r.ok ? (r.data as { url: string }).url : "";
      expect(url).toContain(`token=${SHORT_LIVED}`);
      expect(url).not.toContain(TOKEN);
    });

    it("bounds a token function that never settles by the call's deadline", async () => {
      const r = await client(() => new Promise<string>(() => undefined), { timeoutMs: 300 }).getDatabase("landed");
      expect(r.ok ? "ok" : r.error.kind).toBe("timeout");
    });

    it("turns a throw from the token function into an invalid-input result naming its message", async () => {
      const r = await client(() => {
        throw new Error("the vault is locked");
      }).getDatabase("landed");
      expect(r.ok ? "ok" : `${r.error.kind}: ${/the vault is locked/.test(r.error.message)}`).toBe("invalid-input: true");
    });
  });

  describe(`messages a user reads (${transport})`, () => {
    it("a short token does not garble the message (redaction runs once, never inside a word or its own marker)", async () => {
      const r = await client("t").getDatabase("garble");
      expect(r.ok).toBe(false);
      const message = r.ok ? "" : r.error.message;
      expect(message).not.toMatch(/\[redac(?!ted\])|\w\[redacted\]|\[redacted\]\w/);
    });

    it("a 401 after a token was sent does not tell the user to pass one", async () => {
      const r = await client(TOKEN).getDatabase("needs-auth");
      expect(r.ok ? 0 : r.error.status).toBe(401);
      expect(r.ok ? "" : r.error.message).not.toMatch(/pass `token`/);
    });

    it("an F64 argument -0 reaches the server as -0 (callReducerWith)", async () => {
      const before = server.received.length;
      const r = await client().callReducerWith("floats", "set", { x: -0 }, { moduleDef: F64_MODULE });
      expect(r.ok).toBe(true);
      expect(server.received.slice(before).map((s) => s.body.toString())).toEqual(["[-0]"]);
    });
  });
}
