/**
 * What only the reliability tier caught when mutated (issue 26), pinned in the unit tier with an
 * injected fetch, so that `npm run test:unit` alone catches it: path segments percent-encoded, a
 * database name checked before anything is sent, a log stream's body cancelled on `break`.
 * Retryable statuses (408, 429, 502, 503, 504 retried; 500 not) are test/unit/retry.test.ts's.
 */
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { fakeFetch, json } from "../helpers/fake-fetch.js";

const BASE = "http://127.0.0.1:1";
const DB = "quickstart-chat";

describe("path segments", () => {
  it.each([
    ["send message/x", "send%20message%2Fx"],
    ["a?b#c%d", "a%3Fb%23c%25d"],
    ["é", "%C3%A9"],
  ])("a reducer named %j is sent as /call/%s", async (reducer, encoded) => {
    const fetch = fakeFetch(json(null));
    await createClient({ baseUrl: BASE, fetch, retries: 0 }).callReducer(DB, reducer, []);
    expect(fetch.sent.map((r) => r.url)).toEqual([`${BASE}/v1/database/${DB}/call/${encoded}`]);
  });

  it.each(["Chat_Room", "a/b", "a b", "-chat", "chat-"])("a database name %j that its pattern refuses: invalid-input, nothing sent", async (name) => {
    const fetch = fakeFetch(json({ names: [] }));
    const result = await createClient({ baseUrl: BASE, fetch, retries: 0 }).getDatabaseNames(name);
    expect(result.ok || result.error.kind).toBe("invalid-input");
    expect(result.ok || result.error.message).toMatch(/no request was sent/);
    expect(fetch.sent).toEqual([]);
  });
});

describe("followLogs", () => {
  it("break ends the loop and cancels the response body", async () => {
    const line = new TextEncoder().encode('{"level":"info","message":"m"}\n');
    let cancelled = false;
    const fetch = fakeFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull: (controller) => controller.enqueue(line), // endless: only a cancel ends it
            cancel: () => void (cancelled = true),
          }),
          { headers: { "content-type": "application/x-ndjson" } },
        ),
    );
    const opened = await createClient({ baseUrl: BASE, fetch }).followLogs(DB);
    if (!opened.ok) throw opened.error;
    let seen = 0;
    for await (const record of opened.data) {
      expect(record.message).toBe("m");
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
    expect(cancelled).toBe(true);
  });
});
