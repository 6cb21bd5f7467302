/**
 * Retries, backoff, Retry-After and deadlines with an injected clock and an injected fetch: exact
 * delays, no waiting. (The reliability tier checks the same against local servers in real time.)
 */
import { describe, expect, it } from "vitest";
import { createClientWith } from "../../src/client/create-client.js";
import { MAX_RETRY_AFTER_MS, retryDelay } from "../../src/core/retry.js";
import type { ClientOptions } from "../../src/index.js";
import { DATABASE, empty, fakeFetch, hang, json, text, type Reply } from "../helpers/fake-fetch.js";
import { ManualClock } from "../helpers/manual-clock.js";

function setup(options: ClientOptions, ...replies: Reply[]) {
  const clock = new ManualClock();
  const fetch = fakeFetch(...replies);
  const client = createClientWith({ baseUrl: "http://127.0.0.1:1", retries: 2, retryDelayMs: 500, ...options, fetch }, { clock });
  return { clock, fetch, client };
}

describe("retries (GET and HEAD by default)", () => {
  it.each([408, 429, 502, 503, 504])("retries a %i, then answers the success", async (status) => {
    const { clock, fetch, client } = setup({}, text("busy", status), json(DATABASE));
    const pending = client.getDatabase("quickstart-chat");
    await clock.advance(1_000);
    const result = await pending;
    expect(result.ok).toBe(true);
    expect(fetch.sent).toHaveLength(2);
  });

  it.each([400, 401, 404, 500, 501])("does not retry a %i", async (status) => {
    const { clock, fetch, client } = setup({}, text("no", status), json(DATABASE));
    const result = await client.getDatabase("quickstart-chat");
    expect(result.ok ? 0 : result.error.status).toBe(status);
    expect(fetch.sent).toHaveLength(1);
    expect(clock.delays.filter((d) => d < 30_000)).toEqual([]); // only the deadline's timer was set
  });

  it("backs off exponentially with up to 25% jitter: about 500 ms, then about 1000 ms", async () => {
    const { clock, fetch, client } = setup({ timeoutMs: 0 }, text("busy", 503), text("busy", 503), text("busy", 503));
    const pending = client.getDatabase("quickstart-chat");
    await clock.advance(10_000);
    const result = await pending;
    expect(result.ok ? 0 : result.error.status).toBe(503);
    expect(fetch.sent).toHaveLength(3);
    const [first, second] = clock.delays;
    expect(first).toBeGreaterThanOrEqual(375);
    expect(first).toBeLessThanOrEqual(500);
    expect(second).toBeGreaterThanOrEqual(750);
    expect(second).toBeLessThanOrEqual(1000);
  });

  it("waits exactly what Retry-After says, in seconds or as an HTTP date", async () => {
    const { clock, client } = setup({ timeoutMs: 0 }, text("slow down", 429, { "retry-after": "3" }), json(DATABASE));
    const pending = client.getDatabase("quickstart-chat");
    await clock.settle();
    expect(clock.pending()).toEqual([3_000]);
    await clock.advance(2_999);
    expect(clock.pending()).toEqual([1]);
    await clock.advance(1);
    expect((await pending).ok).toBe(true);

    const dated = setup({ timeoutMs: 0 });
    const until = new Date(dated.clock.now() + 7_000).toUTCString();
    expect(retryDelay(0, until, 500, dated.clock.now())).toBe(7_000);
  });

  it("returns the error at once when Retry-After asks for longer than 30 s", async () => {
    const { fetch, client } = setup({ timeoutMs: 0 }, text("later", 503, { "retry-after": String(MAX_RETRY_AFTER_MS / 1000 + 1) }), json(DATABASE));
    const result = await client.getDatabase("quickstart-chat");
    expect(result.ok ? 0 : result.error.status).toBe(503);
    expect(fetch.sent).toHaveLength(1);
  });

  it("never retries POST, PUT or DELETE unless the call opts in", async () => {
    const { clock, fetch, client } = setup({}, text("busy", 503), text("busy", 503), empty(200));
    expect((await client.deleteDatabase("quickstart-chat")).ok).toBe(false);
    expect(fetch.sent).toHaveLength(1);
    const pending = client.deleteDatabase("quickstart-chat", { retry: true });
    await clock.advance(1_000);
    expect((await pending).ok).toBe(true);
    expect(fetch.sent).toHaveLength(3);
  });

  it("retries a GET that failed on the network", async () => {
    let calls = 0;
    const { clock, client } = setup({}, () => {
      if (++calls === 1) throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
      return json(DATABASE);
    });
    const pending = client.getDatabase("quickstart-chat");
    await clock.advance(1_000);
    expect((await pending).ok).toBe(true);
    expect(calls).toBe(2);
  });
});

describe("retryDelay", () => {
  it("the cap is 30 s: 30 is waited, 31 is not; a past date or junk falls back to backoff", () => {
    expect(MAX_RETRY_AFTER_MS).toBe(30_000);
    expect(retryDelay(0, "30", 5, 0)).toBe(30_000);
    expect(retryDelay(0, "31", 5, 0)).toBeUndefined();
    expect(retryDelay(0, new Date(0).toUTCString(), 5, 60_000)).toBe(0);
    expect(retryDelay(0, "soon", 100, 0)).toBeLessThanOrEqual(100);
  });
});

describe("deadlines", () => {
  it("a call that gets no answer ends as timeout when its deadline passes, not before", async () => {
    const { clock, client } = setup({ timeoutMs: 1_000 }, hang);
    let settled = false;
    const pending = client.getDatabase("quickstart-chat").finally(() => (settled = true));
    await clock.advance(999);
    expect(settled).toBe(false);
    await clock.advance(300); // the deadline's window: at most 1/50 of the timeout later
    const result = await pending;
    expect(result.ok ? "" : result.error.kind).toBe("timeout");
  });

  it("covers the retries and their waits: a retry that would start after the deadline is not sent", async () => {
    const { clock, fetch, client } = setup({ timeoutMs: 2_000 }, text("busy", 503, { "retry-after": "5" }), json(DATABASE));
    const pending = client.getDatabase("quickstart-chat");
    await clock.advance(3_000);
    const result = await pending;
    expect(result.ok ? "" : result.error.kind).toBe("timeout");
    expect(fetch.sent).toHaveLength(1);
  });

  it("leaves no timer behind once a call is over", async () => {
    const { clock, client } = setup({ timeoutMs: 1_000 }, json(DATABASE));
    expect((await client.getDatabase("quickstart-chat")).ok).toBe(true);
    await clock.settle();
    expect(clock.pending()).toEqual([]);
  });
});
