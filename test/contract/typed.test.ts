/** callReducerWith against the Prism mock: schema from the mock, arguments checked, the array Prism receives. */
import { describe, expect, inject, it } from "vitest";
import { createClient, type FetchLike } from "../../src/index.js";
import { DATABASE, TOKEN } from "./support.js";

function spiedClient() {
  const bodies: { url: string; body: string | undefined }[] = [];
  // openapi-fetch hands fetch a Request: read a copy of its body, send the original.
  const fetch: FetchLike = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    bodies.push({ url: request.url, body: request.body ? await request.clone().text() : undefined });
    return globalThis.fetch(request);
  };
  return { client: createClient({ baseUrl: inject("prismUrl"), token: TOKEN, retries: 0, fetch }), bodies };
}

describe("callReducerWith", () => {
  it("orders and encodes named arguments from the v10 schema, then calls", async () => {
    const { client, bodies } = spiedClient();
    const result = await client.callReducerWith(DATABASE, "set_name", { name: "Alice" });
    if (!result.ok) throw result.error;
    expect(result.data).toBeUndefined();
    expect(bodies.map((b) => new URL(b.url).pathname)).toEqual([`/v1/database/${DATABASE}/schema`, `/v1/database/${DATABASE}/call/set_name`]);
    expect(bodies[1]?.body).toBe('["Alice"]');
  });

  it("names the wrong or missing argument and sends no call", async () => {
    const { client, bodies } = spiedClient();
    const missing = await client.callReducerWith(DATABASE, "set_name", {});
    const wrong = await client.callReducerWith(DATABASE, "set_name", { name: 42 });
    const extra = await client.callReducerWith(DATABASE, "set_name", { name: "x", nmae: "y" });
    for (const [result, word] of [[missing, "name"], [wrong, "name"], [extra, "nmae"]] as const) {
      expect(result.ok ? "" : result.error.kind).toBe("invalid-input");
      expect(result.ok ? "" : result.error.message).toContain(word);
    }
    expect(bodies.filter((b) => b.url.includes("/call/"))).toEqual([]);
  });

  it("refuses the lifecycle reducer and unknown names before calling", async () => {
    const { client, bodies } = spiedClient();
    const init = await client.callReducerWith(DATABASE, "init", {});
    const unknown = await client.callReducerWith(DATABASE, "nope", {});
    expect(init.ok ? "" : init.error.message).toMatch(/Init lifecycle reducer/);
    expect(unknown.ok ? "" : unknown.error.message).toMatch(/no reducer or procedure "nope"/);
    expect(bodies.filter((b) => b.url.includes("/call/"))).toEqual([]);
  });
});
