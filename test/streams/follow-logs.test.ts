/**
 * followLogs against a real HTTP server on loopback: the records arrive as the server writes them,
 * in whatever chunks TCP delivers; the stream ends with the server, on break, close() and abort; a
 * dropped connection or a bad line makes the iterator throw; opening never throws.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { createClient, SpacetimeHttpError, type LogLine } from "../../src/index.js";
import { clientGone, logRecord as record, startLogResponse, startServer, write, type Handler, type TestServer } from "./server.js";

const DB = "quickstart-chat";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler) {
  server = await startServer(handler);
  return { server, client: createClient({ baseUrl: server.url, token: "owner-token" }) };
}

/** Writes `bytes` in slices of the given sizes (cycled), pausing a little so they go out separately. */
async function writeInSlices(res: ServerResponse, bytes: Uint8Array, sizes: number[]) {
  for (let off = 0, i = 0; off < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    await write(res, bytes.subarray(off, off + size));
    off += size;
    await delay(1);
  }
}

async function collect(stream: AsyncIterable<LogLine>): Promise<{ records: LogLine[]; error?: unknown }> {
  const records: LogLine[] = [];
  try {
    for await (const r of stream) records.push(r);
    return { records };
  } catch (error) {
    return { records, error };
  }
}

function opened<T>(result: { ok: true; data: T } | { ok: false; error: SpacetimeHttpError<unknown> }): T {
  if (!result.ok) throw new Error(`followLogs did not open: ${result.error.message}`);
  return result.data;
}

describe("followLogs: reading", () => {
  it("asks for follow=true with the owner's token and yields each record before the server sends the next", async () => {
    let acknowledge!: () => void;
    const acknowledged = new Promise<void>((resolve) => (acknowledge = resolve));
    const { server, client } = await serve(async (_req, res) => {
      startLogResponse(res);
      await write(res, `${record(1)}\n`);
      await acknowledged; // the second line exists only once the client has seen the first
      await write(res, `${record(2)}\n`);
      res.end();
    });
    const stream = opened(await client.followLogs(DB, { numLines: 10 }));
    const seen: string[] = [];
    for await (const r of stream) {
      seen.push(r.message);
      acknowledge();
    }
    expect(seen).toEqual(["line 1", "line 2"]);
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.method).toBe("GET");
    expect(req?.url).toBe(`/v1/database/${DB}/logs?num_lines=10&follow=true`);
    expect(req?.headers.authorization).toBe("Bearer owner-token");
  });

  it("joins lines split across odd chunk sizes (multi-byte characters too), skips blank lines and keeps a last line with no newline", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => record(i, i % 3 === 0 ? `héllo 日本 🚀 ${i}` : `plain ${"x".repeat(i * 7)}`));
    const body = `${lines.slice(0, 20).join("\n")}\n\n${lines.slice(20).join("\n")}`; // a blank line, no final newline
    const { client } = await serve(async (_req, res) => {
      startLogResponse(res);
      await writeInSlices(res, new TextEncoder().encode(body), [1, 7, 3, 64, 13, 2, 250, 5]);
      res.end();
    });
    const { records, error } = await collect(opened(await client.followLogs(DB)));
    expect(error).toBeUndefined();
    expect(records).toEqual(lines.map((l) => JSON.parse(l)));
    expect(records.map((r) => r.raw)).toEqual(lines);
    // `raw` is kept but never shows: the record serializes back to its own line.
    expect(Object.keys(records[0]!)).not.toContain("raw");
    expect(JSON.stringify(records[5])).toBe(lines[5]);
  });

  it("has no timeout on a live stream: a pause longer than the client's timeoutMs is fine", async () => {
    const { server } = await serve(async (_req, res) => {
      startLogResponse(res);
      await write(res, `${record(1)}\n`);
      await delay(300);
      await write(res, `${record(2)}\n`);
      res.end();
    });
    const fast = createClient({ baseUrl: server.url, timeoutMs: 50 });
    const { records, error } = await collect(opened(await fast.followLogs(DB)));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.message)).toEqual(["line 1", "line 2"]);
  });

  it("an idle timeout, when asked for, ends a silent stream with a timeout error and hangs up", async () => {
    let gone!: Promise<void>;
    const { client } = await serve(async (_req, res) => {
      startLogResponse(res);
      await write(res, `${record(1)}\n`);
      gone = clientGone(res); // and then nothing more
    });
    const started = Date.now();
    const { records, error } = await collect(opened(await client.followLogs(DB, { idleTimeoutMs: 150 })));
    expect(records.map((r) => r.message)).toEqual(["line 1"]);
    expect(error).toBeInstanceOf(SpacetimeHttpError);
    expect((error as SpacetimeHttpError).kind).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await gone;
  });
});

describe("followLogs: failures", () => {
  it("a connection dropped mid-line throws a network error after the complete records, never the partial line", async () => {
    const { client } = await serve(async (_req, res) => {
      startLogResponse(res);
      await write(res, `${record(1)}\n${record(2)}\n${record(3).slice(0, 30)}`);
      await delay(20);
      res.socket?.destroy();
    });
    const { records, error } = await collect(opened(await client.followLogs(DB)));
    expect(records.map((r) => r.message)).toEqual(["line 1", "line 2"]);
    expect(error).toBeInstanceOf(SpacetimeHttpError);
    expect((error as SpacetimeHttpError).kind).toBe("network");
    expect((error as SpacetimeHttpError).operation).toBe("followLogs");
  });

  it("a line that is not a JSON record throws a parse error carrying the line", async () => {
    const { client } = await serve(async (_req, res) => {
      startLogResponse(res);
      await write(res, `${record(1)}\nthread 'main' panicked\n${record(2)}\n`);
      res.end();
    });
    const { records, error } = await collect(opened(await client.followLogs(DB)));
    expect(records.map((r) => r.message)).toEqual(["line 1"]);
    expect((error as SpacetimeHttpError).kind).toBe("parse");
    expect((error as SpacetimeHttpError).body).toBe("thread 'main' panicked");
  });

  it("opening never throws: a 403, an unreachable server and an aborted signal are results", async () => {
    const { client } = await serve((_req, res) => void res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end("Not authorized"));
    const denied = await client.followLogs(DB);
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect([denied.error.kind, denied.error.status, denied.error.body]).toEqual(["http", 403, "Not authorized"]);

    const url = server!.url;
    await server!.close();
    server = undefined;
    const unreachable = await createClient({ baseUrl: url, retries: 0 }).followLogs(DB);
    expect(!unreachable.ok && unreachable.error.kind).toBe("network");

    const aborted = await createClient({ baseUrl: url }).followLogs(DB, { signal: AbortSignal.abort() });
    expect(!aborted.ok && aborted.error.kind).toBe("aborted");
  });
});

describe("followLogs: stopping", () => {
  /** A server that never ends the stream: one line every 5 ms until the client hangs up. */
  async function endless() {
    let gone!: Promise<void>;
    const ctx = await serve(async (_req, res) => {
      startLogResponse(res);
      gone = clientGone(res);
      for (let i = 1; !res.destroyed; i++) {
        await write(res, `${record(i)}\n`);
        await delay(5);
      }
    });
    return { ...ctx, gone: () => gone };
  }

  it("break ends the loop and closes the connection", async () => {
    const { client, gone } = await endless();
    const seen: string[] = [];
    for await (const r of opened(await client.followLogs(DB))) {
      seen.push(r.message);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(["line 1", "line 2", "line 3"]);
    await gone();
  });

  it("abort mid-stream ends the loop quietly and closes the connection", async () => {
    const { client, gone } = await endless();
    const controller = new AbortController();
    const stream = opened(await client.followLogs(DB, { signal: controller.signal }));
    const seen: string[] = [];
    const { error } = await collect(
      (async function* () {
        for await (const r of stream) {
          seen.push(r.message);
          if (seen.length === 2) controller.abort();
          yield r;
        }
      })(),
    );
    expect(error).toBeUndefined();
    expect(seen).toEqual(["line 1", "line 2"]);
    await gone();
  });

  it("close() while a read is pending ends the loop quietly, and later reads are done", async () => {
    let gone!: Promise<void>;
    const { client } = await serve(async (_req, res) => {
      startLogResponse(res);
      await write(res, `${record(1)}\n`);
      gone = clientGone(res); // silent from here on: the loop waits for a line that never comes
    });
    const stream = opened(await client.followLogs(DB));
    const reading = collect(stream);
    await delay(50);
    await stream.close();
    const { records, error } = await reading;
    expect(error).toBeUndefined();
    expect(records.map((r) => r.message)).toEqual(["line 1"]);
    expect(await stream[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    await gone;
  });
});
