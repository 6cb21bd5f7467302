/** Contract variants beyond the spec-driven ones (operations.test.ts): options that shape a request, and subscribe. */
import { describe, expect, it } from "vitest";
import { DATABASE, IDENTITY, MODULE, contract, mockClient, ndjson, operation, successStatus } from "./support.js";

const client = mockClient();

contract("publishDatabase", (o) => client.publishDatabase(DATABASE, MODULE, { ...o, hostType: "Wasm", numReplicas: 1 }));
contract("logs", (o) => client.logs(DATABASE, { ...o, numLines: 10 }), { expected: ndjson });
contract("prePublish", (o) => client.prePublish(DATABASE, MODULE, { ...o, style: "NoColor" }));

describe("subscribe", () => {
  // fetch cannot complete a WebSocket handshake; subscribeUrl prepares it (test/spec sends one).
  it("subscribeUrl builds the ws URL with a short-lived token and the server's subprotocols", async () => {
    const result = await client.subscribeUrl(DATABASE, { compression: "Gzip", light: true });
    if (!result.ok) throw result.error;
    const url = new URL(result.data.url);
    expect(url.protocol).toBe("ws:");
    expect(url.pathname).toBe(`/v1/database/${DATABASE}/subscribe`);
    expect(url.searchParams.get("compression")).toBe("Gzip");
    expect(url.searchParams.get("light")).toBe("true");
    expect(url.searchParams.get("token")).toMatch(/^eyJ/);
    expect(result.data.protocols).toEqual(["v3.bsatn.spacetimedb", "v2.bsatn.spacetimedb", "v1.bsatn.spacetimedb", "v1.json.spacetimedb"]);
    expect(operation("subscribe").responses["101"]).toBeDefined();
  });
});

// The module's own HTTP routes: one SDK method, `route`, serves the 18 operations.
const routes = { Root: "", RootSlash: "/", "": "/hello" } as const;
for (const [kind, path] of Object.entries(routes)) {
  for (const method of ["Get", "Post", "Put", "Patch", "Delete", "Head"]) {
    const id = `httpRoute${kind}${method}`;
    const body = method === "Get" || method === "Head" ? undefined : "ping";
    contract(id, (o) => client.route(DATABASE, path, { ...o, method: method.toUpperCase(), body }), {
      expected: (example) => (method === "Head" ? undefined : example),
    });
  }
}

describe("route", () => {
  it("sends no client token to the module's routes", () => {
    expect(successStatus(operation("httpRouteGet"))).toBe(200);
    expect(operation("httpRouteGet").security).toEqual([]);
  });
});

describe("sqlRows", () => {
  it("decodes the documented result into named rows: Identity as hex, Timestamp with exact microseconds", async () => {
    const result = await client.sqlRows(DATABASE, "SELECT * FROM message");
    if (!result.ok) throw result.error;
    expect(result.data).toHaveLength(1);
    const [row] = result.data[0]!;
    expect(row).toMatchObject({ sender: IDENTITY, text: "Hello!" });
    expect((row?.sent as { microsSinceUnixEpoch: bigint }).microsSinceUnixEpoch).toBe(1764763200000000n);
  });

  it("decodes a DML result to no rows", async () => {
    const result = await client.sqlRows(DATABASE, "INSERT INTO person (name) VALUES ('Alice')", { headers: { Prefer: "example=dml" } });
    expect(result).toMatchObject({ ok: true, data: [[]] });
  });

  it("keeps the server's error as an http error", async () => {
    const result = await client.sqlRows(DATABASE, "SELECT 1; SELECT 2", { headers: { Prefer: "code=400" } });
    expect(result.ok ? 0 : result.error.status).toBe(400);
  });
});

describe("the mock's named examples (README: Mock the API)", () => {
  it("callReducer answers a reducer's empty body by default, and a procedure's value with Prefer: example=procedure", async () => {
    const reducer = await client.callReducer(DATABASE, "send_message", ["Hello!"]);
    expect(reducer).toMatchObject({ ok: true, data: undefined });
    const procedure = await client.callReducer(DATABASE, "send_message", ["Hello!"], { headers: { Prefer: "example=procedure", Accept: "application/json" } });
    expect(procedure).toMatchObject({ ok: true, data: ["World"] });
  });

  it("schema answers version 10's example by default, and version 9's with Prefer: example=v9", async () => {
    const v10 = await client.schema(DATABASE, { version: 10 });
    expect(v10.ok && "sections" in v10.data).toBe(true);
    const v9 = await client.schema(DATABASE, { version: 9, headers: { Prefer: "example=v9" } });
    expect(v9.ok && "typespace" in v9.data).toBe(true);
  });
});
