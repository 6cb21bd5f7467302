/** callReducerWith with an injected fetch: exact encoding, schema cache, lossless procedure results. */
import { describe, expect, it } from "vitest";
import { createClient, unwrap } from "../../src/index.js";
import { empty, fakeFetch, json, type Reply } from "../helpers/fake-fetch.js";

const u64 = { U64: [] };
const identity = { Product: { elements: [{ name: { some: "__identity__" }, algebraic_type: { U256: [] } }] } };
const option = (t: unknown) => ({ Sum: { variants: [{ name: { some: "some" }, algebraic_type: t }, { name: { some: "none" }, algebraic_type: { Product: { elements: [] } } }] } });
const param = (name: string, type: unknown) => ({ name: { some: name }, algebraic_type: type });
const schemaV9 = {
  typespace: { types: [] },
  tables: [],
  reducers: [{ name: "transfer", params: { elements: [param("to", identity), param("amount", u64), param("memo", option({ String: [] }))] }, lifecycle: { none: [] } }],
  types: [],
  misc_exports: [{ Procedure: { name: "total", params: { elements: [] }, return_type: { U128: [] } } }],
  row_level_security: [],
};
const TO = "00000000000000000000000000000000000000000000000000000000000000ff";

function client(...replies: Reply[]) {
  const fetch = fakeFetch(json(schemaV9), ...replies);
  return { client: createClient({ fetch }), sent: fetch.sent };
}

describe("callReducerWith", () => {
  it("writes u64 digits exactly, Identity as a u256 hex string, Option none for undefined", async () => {
    const { client: c, sent } = client(empty());
    unwrap(await c.callReducerWith("bank", "transfer", { amount: 18446744073709551615n, to: TO, memo: undefined }, { refreshSchema: true }));
    expect(sent.at(-1)?.body).toBe('[["0xff"],18446744073709551615,[1,[]]]');
    expect(sent.at(-1)?.headers["content-type"]).toBe("application/json");
  });

  it("sends an F64 -0 as -0 (the one JSON writer on the wire keeps the sign)", async () => {
    const scale = { ...schemaV9, reducers: [{ name: "scale", params: { elements: [param("by", { F64: [] })] }, lifecycle: { none: [] } }] };
    const fetch = fakeFetch(empty());
    unwrap(await createClient({ fetch }).callReducerWith("bank", "scale", { by: -0 }, { moduleDef: scale }));
    expect(fetch.sent[0]?.body).toBe("[-0]");
  });

  it("fetches the schema once per database", async () => {
    const { client: c, sent } = client(empty(), empty());
    await c.callReducerWith("bank", "transfer", { amount: 1n, to: TO, memo: "a" });
    await c.callReducerWith("bank", "transfer", { amount: 2n, to: TO, memo: "b" });
    expect(sent.map((r) => new URL(r.url).pathname).filter((p) => p.endsWith("/schema"))).toHaveLength(1);
  });

  it("decodes a procedure's return value against its type, losslessly", async () => {
    const { client: c } = client(new Response("340282366920938463463374607431768211455", { headers: { "content-type": "application/json" } }));
    expect(unwrap(await c.callReducerWith("bank", "total", {}))).toBe(340282366920938463463374607431768211455n);
  });

  it("uses a given moduleDef and fetches no schema: one call, one request", async () => {
    const fetch = fakeFetch(empty());
    unwrap(await createClient({ fetch }).callReducerWith("bank", "transfer", { amount: 7n, to: TO, memo: "x" }, { moduleDef: schemaV9 }));
    expect(fetch.sent.map((r) => new URL(r.url).pathname)).toEqual(["/v1/database/bank/call/transfer"]);
  });

  it("returns the schema's error when the schema cannot be read", async () => {
    const fetch = fakeFetch(new Response("`bank` not found", { status: 404 }));
    const result = await createClient({ fetch }).callReducerWith("bank", "transfer", {});
    expect(result.ok ? 0 : result.error.status).toBe(404);
  });
});
