/** publishWithMigration against a local server playing each pre_publish branch. */
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { sendJson, sendText, startServer, type LocalServer } from "../helpers/local-server.js";

const MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const IDENTITY = "c20050d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6";
const HASH = "0x9a3c71e2b0f4d8856c1e7a2f03b9d4e6a15c8f7b2e0d9c4a6b3f8e1d7c2a5b90";
const ANSI_PLAN = "\u001b[1mDatabase Migration Plan\u001b[0m\n▸ Created user table: message\n";
let server: LocalServer | undefined;
afterEach(() => server?.close());

/** A server whose pre_publish answers `prePublish` (a status and body) and whose publish succeeds. */
async function serve(prePublish: [number, unknown]) {
  server = await startServer((req, res) => {
    if (req.url.pathname.endsWith("/pre_publish")) {
      const [status, body] = prePublish;
      return typeof body === "string" ? sendText(res, status, body) : sendJson(res, status, body);
    }
    const op = prePublish[0] === 404 ? "created" : "updated";
    if (req.method === "PUT") return sendJson(res, 200, { Success: { domain: "quickstart-chat", database_identity: IDENTITY, op } });
    sendText(res, 404, "unexpected");
  });
  return { client: createClient({ baseUrl: server.url, token: "owner" }), received: server.received };
}
const auto = (breakClients: boolean) => ({ AutoMigrate: { migrate_plan: ANSI_PLAN, break_clients: breakClients, token: HASH, major_version_upgrade: false } });

describe("publishWithMigration", () => {
  it("publishes a new database directly when pre_publish answers 404", async () => {
    const { client, received } = await serve([404, "`quickstart-chat` not found"]);
    const result = await client.publishWithMigration("quickstart-chat", MODULE);
    expect(result).toMatchObject({ ok: true, data: { published: { Success: { op: "created" } } } });
    expect(received.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual([
      "POST /v1/database/quickstart-chat/pre_publish",
      "PUT /v1/database/quickstart-chat",
    ]);
    expect(received[1]?.body).toEqual(Buffer.from(MODULE));
  });

  it("applies an automatic migration with its token, without BreakClients when nothing breaks", async () => {
    const { client, received } = await serve([200, auto(false)]);
    const result = await client.publishWithMigration("quickstart-chat", MODULE, { stripAnsi: true });
    expect(result).toMatchObject({ ok: true, data: { plan: "Database Migration Plan\n▸ Created user table: message\n", breakClients: false } });
    expect(received[0]?.url.searchParams.get("style")).toBe("NoColor");
    expect(received[1]?.url.searchParams.get("policy")).toBeNull();
    expect(received[1]?.url.searchParams.get("token")).toBeNull();
  });

  it("refuses a breaking migration unless allowed, and then sends policy=BreakClients with the token", async () => {
    const refused = await serve([200, auto(true)]);
    const no = await refused.client.publishWithMigration("quickstart-chat", MODULE);
    expect(no.ok ? "" : no.error.kind).toBe("invalid-input");
    expect(no.ok ? "" : no.error.message).toMatch(/allowBreakingClients/);
    expect(refused.received).toHaveLength(1);
    await server?.close();

    const allowed = await serve([200, auto(true)]);
    const yes = await allowed.client.publishWithMigration("quickstart-chat", MODULE, { allowBreakingClients: true });
    expect(yes).toMatchObject({ ok: true, data: { breakClients: true } });
    const query = allowed.received[1]?.url.searchParams;
    expect([query?.get("policy"), query?.get("token")]).toEqual(["BreakClients", HASH]);
    expect(allowed.received[1]?.headers.authorization).toBe("Bearer owner");
  });

  it("publishes nothing when the migration is manual", async () => {
    const { client, received } = await serve([200, { ManualMigrate: { reason: "Changing the columns of table `message` is not supported", major_version_upgrade: false } }]);
    const result = await client.publishWithMigration("quickstart-chat", MODULE);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error.message).toMatch(/manual migration.*Changing the columns/);
    expect(received).toHaveLength(1);
  });

  it("returns pre_publish's other errors and never retries", async () => {
    const { client, received } = await serve([503, "Logs are temporarily not available"]);
    const result = await client.publishWithMigration("quickstart-chat", MODULE, { retry: 3 });
    expect(result.ok ? 0 : result.error.status).toBe(503);
    expect(received).toHaveLength(1);
  });

  it("refuses a stream, which it could not send twice", async () => {
    const { client, received } = await serve([404, "x"]);
    const result = await client.publishWithMigration("quickstart-chat", new ReadableStream() as never);
    expect(result.ok ? "" : result.error.kind).toBe("invalid-input");
    expect(received).toHaveLength(0);
  });
});
