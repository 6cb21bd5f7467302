/** client.raw and client.use: the typed openapi-fetch client with the SDK's base URL and token. */
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { fakeFetch, json } from "../helpers/fake-fetch.js";

describe("raw and use", () => {
  it("calls any path with the client's base URL and token, and runs added middleware", async () => {
    const fetch = fakeFetch(json({ names: ["quickstart-chat"] }));
    const client = createClient({ baseUrl: "127.0.0.1:3000/", token: "t0k", fetch });
    client.use({
      onRequest({ request }) {
        const url = new URL(request.url);
        url.searchParams.set("extra", "1"); // a query parameter the spec does not have yet
        return new Request(url, request);
      },
    });
    const { data } = await client.raw.GET("/v1/database/{name_or_identity}/names", { params: { path: { name_or_identity: "quickstart-chat" } } });
    expect(data).toEqual({ names: ["quickstart-chat"] });
    const sent = fetch.sent[0]!;
    expect(sent.url).toBe("http://127.0.0.1:3000/v1/database/quickstart-chat/names?extra=1");
    expect(sent.headers.authorization).toBe("Bearer t0k");
  });

  it("throws a TypeError at once for middleware with no hook (configuration, not a call)", () => {
    expect(() => createClient().use({} as never)).toThrow(TypeError);
    expect(() => createClient().use(null as never)).toThrow(/middleware 0 has none of onRequest/);
  });
});
