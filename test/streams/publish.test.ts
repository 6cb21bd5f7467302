/**
 * Publishing module bytes to a real HTTP server on loopback: every body form arrives byte-exact; a
 * stream is sent as it is read (chunked, never read far ahead of the socket); a streamed body is
 * never re-sent, whatever the retry settings; failures mid-upload are results, not throws.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createClient, type FetchLike } from "../../src/index.js";
import { uploadStream } from "../../src/core/upload.js";
import { fromFile, fromReadable } from "../../src/node.js";
import { gc } from "../helpers/gc.js";
import { consumeUpload, generatedBytes, PUBLISHED, startServer, type TestServer, type Upload } from "./server.js";

const DB = "quickstart-chat";
const MB = 1024 * 1024;

let server: TestServer;
let uploads: Upload[] = [];
/** How this test's server answers an upload; by default it reads it all and answers 200. */
let answer: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
const accept = async (req: IncomingMessage, res: ServerResponse) => {
  uploads.push(await consumeUpload(req));
  res.writeHead(200, { "content-type": "application/json" }).end(PUBLISHED);
};

beforeAll(async () => {
  server = await startServer((req, res) => answer(req, res));
});
afterAll(() => server.close());
beforeEach(() => {
  uploads = [];
  answer = accept;
  server.requests.length = 0;
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
/** Deterministic, not all-equal bytes. */
function bytesOf(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0, s = seed; i < size; i++) out[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
}

describe("publish: a 50 MB module from a stream", () => {
  it("arrives byte-exact, chunked, read no further ahead of the server than the socket buffers, with duplex half and redirect error", async () => {
    const SIZE = 50 * MB;
    const source = generatedBytes(SIZE);
    let maxLead = 0;
    answer = async (req, res) => {
      uploads.push(await consumeUpload(req, (received) => (maxLead = Math.max(maxLead, source.generated() - received))));
      res.writeHead(200, { "content-type": "application/json" }).end(PUBLISHED);
    };
    const requests: Request[] = [];
    const spy: FetchLike = (input, init) => (input instanceof Request && requests.push(input), globalThis.fetch(input, init));

    const result = await createClient({ baseUrl: server.url, token: "owner-token", fetch: spy }).publishDatabase(DB, source.stream, { hostType: "Wasm" });

    expect(result.ok).toBe(true);
    const [upload] = uploads;
    expect(upload?.bytes).toBe(SIZE);
    expect(upload?.sha256).toBe(source.sha256());
    expect(upload?.headers["transfer-encoding"]).toBe("chunked");
    expect(upload?.headers["content-length"]).toBeUndefined();
    expect(upload?.headers["content-type"]).toBe("application/wasm");
    expect(server.requests[0]).toMatchObject({ method: "PUT", url: `/v1/database/${DB}?host_type=Wasm` });
    // A body read whole before sending would be 50 MB ahead when the first bytes arrive.
    expect(maxLead).toBeLessThan(16 * MB);
    // Node 20's fetch keeps a streamed body whole (to replay a redirect) unless redirects are refused.
    expect(requests[0]).toMatchObject({ duplex: "half", redirect: "error" });
  });

  it("is not held in memory by Node's own fetch: what the process keeps stays far below the body", async () => {
    // Any redirect mode but "error" makes Node's fetch clone the Request, which tees the body and
    // keeps every chunk until the request ends (64 MiB here). Garbage is collected as it samples, so
    // what is measured is what is held, not what is not yet freed.
    const SIZE = 64 * MB;
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let held = 0;
    const sampler = setInterval(() => {
      gc();
      held = Math.max(held, process.memoryUsage().arrayBuffers - base);
    }, 20);
    const nodeFetch: FetchLike = (input, init) => globalThis.fetch(input, init);
    const result = await createClient({ baseUrl: server.url, fetch: nodeFetch }).publishDatabase(DB, generatedBytes(SIZE).stream).finally(() => clearInterval(sampler));
    expect(result.ok).toBe(true);
    expect(uploads[0]?.bytes).toBe(SIZE);
    expect(held).toBeLessThan(24 * MB);
  });
});

describe("publish: every body form", () => {
  const SIZE = 3 * MB + 17;
  const bytes = bytesOf(SIZE);
  const hash = sha256(bytes);
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "stdb-http-publish-"));
    file = join(dir, "module.wasm");
    await writeFile(file, bytes);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** A Node Readable of `bytes` in odd-sized pieces. */
  const nodeReadable = () =>
    Readable.from(
      (function* () {
        for (let off = 0, n = 1; off < SIZE; off += n, n = (n * 7 + 3) % 100_000 || 1) yield Buffer.from(bytes.subarray(off, off + n));
      })(),
    );

  const cases: [string, () => Parameters<ReturnType<typeof createClient>["publishNewDatabase"]>[0], "chunked" | "length"][] = [
    ["a Uint8Array", () => bytes, "length"],
    ["an ArrayBuffer", () => bytes.slice().buffer, "length"],
    ["a Blob", () => new Blob([bytes.subarray(0, MB), bytes.subarray(MB)]), "length"],
    ["a web ReadableStream", () => generatedFrom(bytes), "chunked"],
    ["a Node Readable as is", () => nodeReadable(), "chunked"],
    ["a Node Readable through fromReadable", () => fromReadable(nodeReadable()), "chunked"],
    ["a file through fromFile", () => fromFile(file), "chunked"],
  ];

  it.each(cases)("%s arrives byte-exact through publishNewDatabase", async (_name, body, framing) => {
    const result = await createClient({ baseUrl: server.url }).publishNewDatabase(body(), { numReplicas: 1 });
    expect(result.ok).toBe(true);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /v1/database?num_replicas=1"]);
    expect(uploads[0]?.bytes).toBe(SIZE);
    expect(uploads[0]?.sha256).toBe(hash);
    expect(uploads[0]?.headers["content-type"]).toBe("application/wasm");
    if (framing === "length") expect(uploads[0]?.headers["content-length"]).toBe(String(SIZE));
    else expect(uploads[0]?.headers["transfer-encoding"]).toBe("chunked");
  });
});

/** A web stream over `bytes` in 64 KiB pieces. */
function generatedFrom(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, (off += 64 * 1024)));
    },
  });
}

describe("publish: failures", () => {
  const busy = async (req: IncomingMessage, res: ServerResponse) => {
    uploads.push(await consumeUpload(req));
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("busy");
  };
  const retrying = () => createClient({ baseUrl: server.url, retries: 3, retryDelayMs: 1 });

  it("a streamed publish answered 503 is sent exactly once, even with retry opted in", async () => {
    answer = busy;
    const result = await retrying().publishDatabase(DB, generatedBytes(MB).stream, { retry: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.kind, result.error.status]).toEqual(["http", 503]);
    expect(server.requests).toHaveLength(1);
    expect(uploads[0]?.bytes).toBe(MB);
  });

  it("the same publish from bytes is re-sent when retry is opted in (the count above is real)", async () => {
    answer = busy;
    const result = await retrying().publishDatabase(DB, bytesOf(MB), { retry: true });
    expect(!result.ok && result.error.status).toBe(503);
    expect(server.requests).toHaveLength(4);
  });

  it("a redirect is not followed for a streamed body: one request, an error result", async () => {
    answer = async (req, res) => {
      await consumeUpload(req);
      res.writeHead(307, { location: "/v1/database/elsewhere" }).end();
    };
    const result = await createClient({ baseUrl: server.url }).publishDatabase(DB, generatedBytes(MB).stream);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("redirect");
    expect(server.requests).toHaveLength(1);
  });

  // Node 20's fetch goes on reading a request stream to its end after an abort; the SDK cancels it.
  it("abort mid-upload is an aborted result, and the source is cancelled, not read to its end", async () => {
    const source = generatedBytes(256 * MB);
    const controller = new AbortController();
    let received = 0;
    answer = (req) =>
      new Promise<void>((resolve) => {
        req.on("data", (c: Buffer) => {
          received += c.length;
          if (received >= 2 * MB) controller.abort();
        });
        req.on("close", resolve);
      });
    const result = await createClient({ baseUrl: server.url }).publishDatabase(DB, source.stream, { signal: controller.signal });
    expect(!result.ok && result.error.kind).toBe("aborted");
    await delay(50);
    expect(source.cancelled()).toBe(true);
    const after = source.generated();
    await delay(100);
    expect(source.generated()).toBe(after);
    expect(after).toBeLessThan(64 * MB);
  });

  it("a source stream that fails mid-upload is a local error (invalid-input, not network), not a throw", async () => {
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= MB) throw new Error("disk read failed");
        sent += 64 * 1024;
        c.enqueue(new Uint8Array(64 * 1024));
      },
    });
    answer = (req) => new Promise<void>((resolve) => (req.resume(), req.on("close", resolve)));
    const result = await createClient({ baseUrl: server.url }).publishDatabase(DB, failing);
    expect(!result.ok && result.error.kind).toBe("invalid-input");
    if (!result.ok) expect(result.error.message).toMatch(/source failed: disk read failed; the upload was stopped/);
  });
});

describe("uploadStream", () => {
  it("cancels a streamed body (web stream or Node Readable) when the request's signal aborts", async () => {
    const source = generatedBytes(64 * MB);
    let destroyed = false;
    const node = Readable.from((function* () { for (;;) yield Buffer.alloc(1024); })()).on("close", () => (destroyed = true));
    for (const value of [source.stream, node]) {
      const controller = new AbortController();
      const body = uploadStream(value, controller.signal, () => {});
      const reader = body.getReader();
      expect((await reader.read()).done).toBe(false);
      controller.abort();
      // At most a chunk or two already in flight, then the stream errors.
      const rest = (async () => {
        for (let i = 0; i < 4; i++) if ((await reader.read()).done) return "ended";
        return "still flowing";
      })();
      await expect(rest).rejects.toThrow();
    }
    await delay(10);
    expect(source.cancelled()).toBe(true);
    expect(destroyed).toBe(true);
  });
});
