/** meta.identity and meta.token give what the server minted or echoed; the token never prints. */
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createClient } from "../../src/index.js";
import { sendJson, sendText, startServer, type LocalServer } from "../helpers/local-server.js";

const MINTED = `minted-${Math.random().toString(36).slice(2)}`;
const OWNER = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";
let server: LocalServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const identity = { "spacetime-identity": OWNER, "spacetime-identity-token": MINTED };
    if (req.method === "POST" && req.url.pathname === "/v1/database") {
      sendJson(res, 200, { Success: { domain: null, database_identity: OWNER, op: "created" } }, identity);
    } else sendText(res, 403, `${OWNER} is not authorized to perform action on database x: delete database`, identity);
  });
});
afterAll(() => server.close());

describe("identity capture", () => {
  it("returns the new owner's token of an anonymous publish only in meta", async () => {
    const result = await createClient({ baseUrl: server.url }).publishNewDatabase(new Uint8Array([0, 97, 115, 109]));
    if (!result.ok) throw result.error;
    expect(result.meta.identity).toBe(OWNER);
    expect(result.meta.token).toBe(MINTED);
    expect(server.received[0]?.headers.authorization).toBeUndefined();
  });

  it("never shows the token in console.log, util.inspect or JSON.stringify of a result or an error", async () => {
    const client = createClient({ baseUrl: server.url });
    const ok = await client.publishNewDatabase(new Uint8Array([1]));
    const failed = await client.deleteDatabase("some-db");
    expect(failed.ok).toBe(false);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const shown: string[] = [];
    for (const value of [ok, failed, ok.meta, failed.ok ? null : failed.error]) {
      console.log(value);
      shown.push(inspect(value, { depth: 10 }), JSON.stringify(value), String(value));
    }
    shown.push(...log.mock.calls.map((args) => inspect(args, { depth: 10 })));
    log.mockRestore();
    for (const text of shown) expect(text).not.toContain(MINTED);
    expect(failed.meta?.token).toBe(MINTED);
  });
});
