/** subscribeUrl: a short-lived token in the URL, the server's query parameters and subprotocol order. */
import { createHash } from "node:crypto";
import { request } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { sendJson, startServer, type LocalServer } from "../helpers/local-server.js";
import { fakeFetch, json } from "../helpers/fake-fetch.js";

const LONG = "long-lived-token";
const SHORT = "short.lived.token";
const PREFERENCE = ["v3.bsatn.spacetimedb", "v2.bsatn.spacetimedb", "v1.bsatn.spacetimedb", "v1.json.spacetimedb"];
let server: LocalServer;
const upgrades: { url: URL; headers: Record<string, string | string[] | undefined> }[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url.pathname === "/v1/identity/websocket-token" && req.headers.authorization === `Bearer ${LONG}`) sendJson(res, 200, { token: SHORT });
    else sendJson(res, 401, "Authorization required");
  });
  // A tiny WebSocket-upgrade endpoint: checks the handshake as the server would and answers 101.
  server.server.on("upgrade", (req, socket: Socket) => {
    const url = new URL(req.url ?? "/", server.url);
    upgrades.push({ url, headers: req.headers });
    const offered = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    const chosen = PREFERENCE.find((p) => offered.includes(p));
    if (url.searchParams.get("token") !== SHORT || !chosen) {
      socket.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-accept: ${accept}\r\nsec-websocket-protocol: ${chosen}\r\n\r\n`);
  });
});
afterAll(() => server.close());

/** Opens the handshake the way `new WebSocket(url, protocols)` would; resolves to the chosen protocol. */
function handshake(url: string, protocols: string[]): Promise<{ status: number; protocol?: string }> {
  const http = new URL(url.replace(/^ws/, "http"));
  return new Promise((resolve, reject) => {
    const req = request(http, {
      headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-protocol": protocols.join(", ") },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, protocol: res.headers["sec-websocket-protocol"] as string });
    });
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("subscribeUrl", () => {
  it("completes the handshake with a short-lived token and the preferred subprotocol", async () => {
    const result = await createClient({ baseUrl: server.url, token: LONG }).subscribeUrl("quickstart-chat", { compression: "None", confirmed: true });
    if (!result.ok) throw result.error;
    expect(result.data.url.startsWith("ws://127.0.0.1:")).toBe(true);
    expect(result.data.url).not.toContain(LONG);
    expect(result.data.protocols).toEqual(PREFERENCE);
    expect(await handshake(result.data.url, result.data.protocols)).toEqual({ status: 101, protocol: "v3.bsatn.spacetimedb" });
    const seen = upgrades.at(-1)!;
    expect(seen.url.pathname).toBe("/v1/database/quickstart-chat/subscribe");
    expect(Object.fromEntries(seen.url.searchParams)).toEqual({ compression: "None", confirmed: "true", token: SHORT });
  });

  it("offers only the requested protocol", async () => {
    const result = await createClient({ baseUrl: server.url, token: LONG }).subscribeUrl("quickstart-chat", { protocol: "v1.json.spacetimedb" });
    if (!result.ok) throw result.error;
    expect(await handshake(result.data.url, result.data.protocols)).toEqual({ status: 101, protocol: "v1.json.spacetimedb" });
  });

  it("builds an anonymous wss URL without asking for a token when the client has none", async () => {
    const fetch = fakeFetch(json({ token: SHORT }));
    const result = await createClient({ baseUrl: "https://maincloud.spacetimedb.com", fetch }).subscribeUrl("0x" + "ab".repeat(32));
    expect(result.ok && result.data.url).toBe(`wss://maincloud.spacetimedb.com/v1/database/0x${"ab".repeat(32)}/subscribe`);
    expect(fetch.sent).toHaveLength(0);
  });

  it("returns the token endpoint's error, and refuses unknown protocols and bad names", async () => {
    const client = createClient({ baseUrl: server.url, token: "wrong" });
    const denied = await client.subscribeUrl("quickstart-chat");
    expect(denied.ok ? 0 : denied.error.status).toBe(401);
    const badProtocol = await client.subscribeUrl("quickstart-chat", { protocol: "v9.json" });
    const badName = await client.subscribeUrl("Bad_Name");
    expect([badProtocol.ok || badProtocol.error.kind, badName.ok || badName.error.kind]).toEqual(["invalid-input", "invalid-input"]);
  });
});
