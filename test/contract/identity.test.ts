import { describe, expect, it } from "vitest";
import { IDENTITY, contract, mockClient } from "./support.js";

const client = mockClient();

contract("createIdentity", (o) => client.createIdentity(o));
contract("getPublicKey", (o) => client.getPublicKey(o));
contract("getWebsocketToken", (o) => client.getWebsocketToken(o));
// verify: 204 is `true`; the documented empty 400 (token of another identity) is `false`, not an error.
contract("verifyIdentity", (o) => client.verifyIdentity(IDENTITY, o), { expected: () => true, skipErrors: [400] });
contract("getDatabases", (o) => client.getDatabases(IDENTITY, o));

describe("verifyIdentity", () => {
  it("400 with an empty body: ok with data false", async () => {
    const result = await client.verifyIdentity(IDENTITY, { headers: { Prefer: "code=400, example=mismatch" } });
    expect(result).toMatchObject({ ok: true, data: false });
  });
});
