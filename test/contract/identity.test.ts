import { describe, expect, it } from "vitest";
import { IDENTITY, mockClient } from "./support.js";

const client = mockClient();

// verify: the documented empty 400 (token of another identity) is `false`, not an error (204 is in operations.test.ts).

describe("verifyIdentity", () => {
  it("400 with an empty body: ok with data false", async () => {
    const result = await client.verifyIdentity(IDENTITY, { headers: { Prefer: "code=400, example=mismatch" } });
    expect(result).toMatchObject({ ok: true, data: false });
  });
});
