/**
 * Hostile servers and hostile inputs (local servers on 127.0.0.1, small caps so the cases stay fast):
 * capped bodies, redaction everywhere, no throw and no hang, bytes-only uploads, honest kinds.
 * Gigabyte-scale figures (RSS for a 2.3 GB decompression bomb, a 200 MB log line) are in bench/hostile.ts.
 */
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SpacetimeClient } from "../../src/index.js";
import { fromFile } from "../../src/node.js";
import { DB, IDENTITY } from "./calls.js";
import { rawServer, startServer, type TestServer } from "./server.js";

const TOKEN = "tok-HOSTILE-5e1f0c9a2b7d";
const KB = 1024;
const MB = 1024 * KB;
const JSON_TYPE = { "content-type": "application/json" };

let server: TestServer;
beforeAll(async () => (server = await startServer()));
afterAll(() => server.close());
const client = (extra: Parameters<typeof createClient>[0] = {}) => createClient({ baseUrl: server.url, token: TOKEN, retries: 0, ...extra });

/** Everything a user could print or serialize of a result, together. */
function shown(value: unknown): string {
  const error = (value as { error?: Error }).error;
  return [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value), String(error), error?.stack ?? "", inspect(error?.cause, { depth: Infinity, showHidden: true })].join("\n");
}

/** Writes `total` bytes of `chunk` with no Content-Length, stopping when the client goes away; resolves to the bytes written. */
function flood(res: import("node:http").ServerResponse, total: number, chunk: Buffer, status = 200): Promise<number> {
  if (!res.headersSent) res.writeHead(status, JSON_TYPE);
  return new Promise((resolve) => {
    let written = 0;
    const more = () => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", more);
      }
      res.end();
      resolve(written);
    };
    res.on("close", () => resolve(written));
    more();
  });
}

describe("maxResponseBytes", () => {
  it("stops a success body at the cap, closes the connection and says how to raise it", async () => {
    let written: Promise<number> = Promise.resolve(0);
    server.handle((_req, res) => void (written = flood(res, 64 * MB, Buffer.alloc(64 * KB, 0x20))));
    const result = await client().sql(DB, "SELECT * FROM message", { maxResponseBytes: 256 * KB });
    expect(result.ok ? "" : result.error.kind).toBe("too-large");
    expect(result.ok ? "" : result.error.message).toMatch(/over maxResponseBytes \(262144 bytes\).*raise maxResponseBytes/);
    expect(await written).toBeLessThan(32 * MB); // the server stopped long before its 64 MB
  });

  it("refuses a declared Content-Length over the cap before reading it", async () => {
    server.handle((_req, res) => res.writeHead(200, { ...JSON_TYPE, "content-length": String(8 * MB) }).end(Buffer.alloc(8 * MB, 0x20)));
    const result = await client({ maxResponseBytes: MB }).getDatabase(DB);
    expect(result.ok ? "" : result.error.kind).toBe("too-large");
  });

  it("counts a gzip body by its decoded size (a small bomb)", async () => {
    const bomb = gzipSync(Buffer.alloc(32 * MB, 0x20));
    expect(bomb.length).toBeLessThan(64 * KB);
    server.handle((_req, res) => res.writeHead(200, { ...JSON_TYPE, "content-encoding": "gzip", "content-length": String(bomb.length) }).end(bomb));
    const result = await client().getDatabase(DB, { maxResponseBytes: MB });
    expect(result.ok ? "" : result.error.kind).toBe("too-large");
  });

  it("caps an error body the same way", async () => {
    server.handle((_req, res) => void flood(res, 16 * MB, Buffer.alloc(64 * KB, 0x41), 500));
    const result = await client().getDatabase(DB, { maxResponseBytes: 128 * KB });
    expect(result.ok ? "" : result.error.kind).toBe("too-large");
  });

  it("Infinity turns the cap off, and a body within it is read whole", async () => {
    server.handle((_req, res) => void flood(res, 2 * MB, Buffer.from(" ".repeat(64 * KB - 2) + "[]")).then(() => {}));
    // Whitespace then arrays: not valid JSON as a whole, but read whole (a parse error, not too-large).
    const result = await client({ maxResponseBytes: Infinity }).getDatabase(DB);
    expect(result.ok ? "" : result.error.kind).toBe("parse");
  });

  it("followLogs fails a record longer than the cap, after the records before it", async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write('{"level":"info","message":"first"}\n');
      void flood(res, 8 * MB, Buffer.alloc(64 * KB, 0x61));
    });
    const opened = await client().followLogs(DB, { maxResponseBytes: 256 * KB });
    if (!opened.ok) throw opened.error;
    const seen: string[] = [];
    const error = await (async () => {
      for await (const record of opened.data) seen.push(String(record.message));
    })().catch((e: unknown) => e as { kind?: string; message?: string });
    expect(seen).toEqual(["first"]);
    expect(error?.kind).toBe("too-large");
    expect(error?.message).toMatch(/log record is over maxResponseBytes/);
  });

  it("is a TypeError on the client and invalid-input on a call when it is not a byte count", async () => {
    expect(() => createClient({ maxResponseBytes: -1 })).toThrow(TypeError);
    const result = await client().ping({ maxResponseBytes: "1" as never });
    expect(result.ok ? "" : result.error.kind).toBe("invalid-input");
  });
});

describe("the token is redacted everywhere", () => {
  it("from a response header the server echoes it in (meta.headers, inspect, JSON)", async () => {
    server.handle((_req, res) => res.writeHead(200, { ...JSON_TYPE, "x-echo": `Bearer ${TOKEN}` }).end('{"names":[]}'));
    const result = await client().getDatabaseNames(DB);
    expect(result.ok && result.meta.headers["x-echo"]).toBe("Bearer [redacted]");
    expect(shown(result)).not.toContain(TOKEN);
  });

  it("from a JSON parse error, including the prefix an engine quotes", async () => {
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end(`${TOKEN} is not JSON`));
    const result = await client().getDatabase(DB);
    expect(result.ok ? "" : result.error.kind).toBe("parse");
    expect(shown(result)).not.toContain(TOKEN.slice(0, 8));
    expect(result.ok ? "" : result.error.body).toBe("[redacted] is not JSON");
  });

  it("from a log line that is not JSON (the error the iterator throws)", async () => {
    server.handle((_req, res) => res.writeHead(200, { "content-type": "application/x-ndjson" }).end(`not json ${TOKEN}\n`));
    const opened = await client().followLogs(DB);
    if (!opened.ok) throw opened.error;
    const error = await (async () => {
      for await (const _ of opened.data);
    })().catch((e: unknown) => e);
    expect((error as { kind?: string }).kind).toBe("parse");
    expect(shown({ error })).not.toContain(TOKEN.slice(0, 8));
  });

  it("from undici's parser error on a malformed response (its cause keeps the raw bytes)", async () => {
    // The answer has a header holding the token and a control character.
    const raw = await rawServer(`HTTP/1.1 200 OK\r\nx-echo: ${TOKEN}\u0001\r\ncontent-length: 2\r\n\r\n{}`);
    try {
      const result = await createClient({ baseUrl: raw.url, token: TOKEN, retries: 0 }).getDatabase(DB);
      expect(result.ok ? "" : result.error.kind).toBe("network");
      expect(shown(result)).not.toContain(TOKEN);
    } finally {
      await raw.close();
    }
  });
});

describe("never throw, never hang", () => {
  const throwing = { get token(): string { throw new Error("getter boom"); } };
  const proxy = new Proxy({}, { get: () => { throw new Error("proxy boom"); }, has: () => { throw new Error("proxy boom"); } });
  const calls: [string, (c: SpacetimeClient, o: never) => Promise<{ ok: boolean }>][] = [
    ["ping", (c, o) => c.ping(o)],
    ["sql", (c, o) => c.sql(DB, "SELECT 1", o)],
    ["setEnergyBalance", (c, o) => c.setEnergyBalance(IDENTITY, 1n, o)],
    ["setDatabaseNames", (c, o) => c.setDatabaseNames(DB, ["chat"], o)],
    ["followLogs", (c, o) => c.followLogs(DB, o)],
    ["publishDatabase", (c, o) => c.publishDatabase(DB, new Uint8Array([0]), o)],
  ];
  for (const [name, run] of calls) {
    it(`${name}: a throwing getter or a Proxy as options is invalid-input, synchronously nothing`, async () => {
      for (const options of [throwing, proxy]) {
        let promise: Promise<{ ok: boolean; error?: { kind: string } }> | undefined;
        expect(() => (promise = run(client(), options as never) as never)).not.toThrow();
        const result = await promise!;
        expect(result.ok ? "" : result.error?.kind).toBe("invalid-input");
      }
    });
  }

  it("a body whose toJSON throws is invalid-input", async () => {
    const result = await client().callReducer(DB, "send_message", [{ toJSON: () => { throw new Error("no JSON for you"); } }]);
    expect(result.ok ? "" : result.error.message).toMatch(/cannot be written as JSON: no JSON for you.*no request was sent/);
  });

  it("a token function that never settles ends with the call's timeout, and with its signal", async () => {
    const stuck = createClient({ baseUrl: server.url, token: () => new Promise<string>(() => {}), timeoutMs: 150 });
    const timedOut = await stuck.getDatabase(DB);
    expect(timedOut.ok ? "" : timedOut.error.kind).toBe("timeout");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await stuck.getDatabase(DB, { signal: controller.signal, timeoutMs: 0 });
    expect(aborted.ok ? "" : aborted.error.kind).toBe("aborted");
  });

  it("numeric options must be non-negative numbers: strings, NaN and -1 are invalid-input; 0 and Infinity mean no timeout", async () => {
    server.handle((_req, res) => res.writeHead(200).end());
    for (const timeoutMs of ["100000", Number.NaN, -1]) {
      const result = await client().ping({ timeoutMs: timeoutMs as never });
      expect(result.ok ? "" : result.error.kind, String(timeoutMs)).toBe("invalid-input");
    }
    for (const timeoutMs of [0, Infinity]) expect((await client().ping({ timeoutMs })).ok).toBe(true);
    expect(() => createClient({ timeoutMs: "100000" as never })).toThrow(TypeError);
    expect(() => createClient({ retries: Number.NaN })).toThrow(TypeError);
  });
});

describe("uploads are bytes only", () => {
  it("an async iterable of numbers ends the upload as invalid-input, and nothing complete reaches the server", async () => {
    const before = server.received.length;
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end(JSON.stringify({ Success: { database_identity: IDENTITY, domain: DB, op: "updated" } })));
    async function* junk() {
      yield new Uint8Array([0, 97, 115, 109]);
      yield 42 as unknown as Uint8Array;
    }
    const result = await client().publishDatabase(DB, junk());
    expect(result.ok ? "" : result.error.kind).toBe("invalid-input");
    expect(result.ok ? "" : result.error.message).toMatch(/chunk must be a Uint8Array or ArrayBuffer, not number; the upload was stopped/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.received.length).toBe(before);
  });
});

describe("honest kinds", () => {
  it("a module file that cannot be read is a local error naming the file, not a network error", async () => {
    const result = await client().publishDatabase(DB, fromFile("/nonexistent/module.wasm"));
    expect(result.ok ? "" : result.error.kind).toBe("invalid-input");
    expect(result.ok ? "" : result.error.message).toContain("/nonexistent/module.wasm");
    expect(result.ok ? "" : result.error.message).not.toMatch(/is the server running/);
  });

  it("callReducerWith does not claim nothing was sent after it read the schema", async () => {
    const schema = { typespace: { types: [] }, tables: [], reducers: [], types: [], misc_exports: [], row_level_security: [] };
    server.handle((_req, res) => res.writeHead(200, JSON_TYPE).end(JSON.stringify(schema)));
    const result = await client().callReducerWith(DB, "nope", {});
    expect(result.ok ? "" : result.error.message).toMatch(/no reducer or procedure "nope"; the schema was read, but the reducer was not called/);
    expect(result.ok ? "" : result.error.message).not.toMatch(/no request was sent/);
  });
});
