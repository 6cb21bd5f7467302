/**
 * A tiny loopback HTTP server for the stream tests and `bench/streams.ts`: 127.0.0.1, a random port,
 * one handler per test, every connection destroyed on close (a log follow never ends by itself).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo, Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes a chunk and waits until the socket takes it (backpressure), or the client has gone. */
export function write(res: ServerResponse, chunk: Uint8Array | string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

/** Starts an NDJSON log response as the server does (`database.rs:636-645`). */
export function startLogResponse(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-cache" });
  res.flushHeaders();
}

/** Log record number `i` as one NDJSON line's JSON (a `LogRecord`; the Go check validates it against the spec). */
export const logRecord = (i: number, message = `line ${i}`): string =>
  JSON.stringify({ level: i % 7 === 0 ? "Warn" : "Info", ts: 1755820800123456 + i, target: "chat", filename: "src/lib.rs", line_number: 40 + i, function: "send_message", message });

/** Resolves when the client's side of this request has gone (closed or aborted the connection). */
export function clientGone(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => (res.destroyed || res.socket?.destroyed ? resolve() : res.once("close", () => resolve())));
}

export interface Upload {
  bytes: number;
  sha256: string;
  headers: IncomingMessage["headers"];
}

/** Reads a whole request body without keeping it: byte count and SHA-256. */
export function consumeUpload(req: IncomingMessage, onChunk?: (received: number) => void): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
      onChunk?.(bytes);
    });
    req.on("end", () => resolve({ bytes, sha256: hash.digest("hex"), headers: req.headers }));
    req.on("error", reject);
  });
}

/** The publish success body (`PublishResult`, server-behaviour.md §3.6). */
export const PUBLISHED = JSON.stringify({
  Success: { domain: null, database_identity: "c200a8b2b7a06cc5e8e6b5c4a5d7f0e2a7b1c9d3e5f7a9b1c3d5e7f9a1b3c5d7", op: "created" },
});

/**
 * Deterministic bytes: `size` bytes from a xorshift PRNG, in chunks of `chunkSize`, produced only when
 * pulled. `generated()` tells how many bytes have been produced so far, `cancelled()` whether the
 * reader cancelled the stream; `sha256()` computes the digest of the whole sequence separately.
 */
export function generatedBytes(size: number, chunkSize = 64 * 1024, seed = 0x9e3779b9) {
  const chunkAt = (state: { s: number }, n: number) => {
    const out = new Uint8Array(n);
    const words = new Uint32Array(out.buffer, 0, n >>> 2);
    let s = state.s;
    for (let i = 0; i < words.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      words[i] = s >>> 0;
    }
    for (let i = words.length * 4; i < n; i++) out[i] = i & 0xff;
    state.s = s;
    return out;
  };
  const sha256 = () => {
    const hash = createHash("sha256");
    for (let off = 0, state = { s: seed }; off < size; off += chunkSize) hash.update(chunkAt(state, Math.min(chunkSize, size - off)));
    return hash.digest("hex");
  };

  let produced = 0;
  let cancelled = false;
  const state = { s: seed };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= size) return controller.close();
        const chunk = chunkAt(state, Math.min(chunkSize, size - produced));
        produced += chunk.length;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, sha256, generated: () => produced, cancelled: () => cancelled };
}
