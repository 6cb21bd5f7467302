/**
 * ndjsonStream on exact chunk boundaries (no network): however the bytes are cut, the same records
 * come out, each with its own line as `raw`.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inspect } from "node:util";
import { ndjsonStream } from "../../src/conveniences/ndjson.js";
import { createClient, type LogLine } from "../../src/index.js";
import { SpacetimeHttpError } from "../../src/core/errors.js";
import { gc } from "../helpers/gc.js";

const parse = (line: string) => Object.defineProperty(JSON.parse(line) as object, "raw", { value: line, enumerable: false }) as { raw: string };

function chunked(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) pieces.push(bytes.slice(from, p));
    from = Math.max(from, p);
  }
  return new ReadableStream({
    pull(controller) {
      const next = pieces.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

const record = fc.record({
  level: fc.constantFrom("Error", "Warn", "Info", "Debug", "Trace", "Panic"),
  ts: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  message: fc.string({ unit: "grapheme", maxLength: 40 }),
});

describe("ndjsonStream", () => {
  it("yields the same records with their raw lines for any chunking, trailing newline or not", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.boolean(),
        async (records, cuts, trailingNewline) => {
          const lines = records.map((r) => JSON.stringify(r));
          const text = lines.join("\n") + (trailingNewline && lines.length > 0 ? "\n" : "");
          const out = await all(ndjsonStream(chunked(new TextEncoder().encode(text), cuts), parse, { operation: "test" }));
          expect(out).toEqual(records);
          expect(out.map((r) => r.raw)).toEqual(lines);
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });

  it("throws a parse error for a bad line only after the good lines before it", async () => {
    const text = '{"level":"Info","ts":1,"message":"a"}\n{"level":"Info",\n';
    const stream = ndjsonStream(chunked(new TextEncoder().encode(text), [5, 40]), parse, { operation: "followLogs" });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const r of stream) seen.push(r);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ level: "Info", ts: 1, message: "a" }]);
    expect(error).toBeInstanceOf(SpacetimeHttpError);
    expect(error).toMatchObject({ kind: "parse", operation: "followLogs", body: '{"level":"Info",' });
    expect((error as Error).message).toBe("followLogs: a log line is not a JSON record: not valid JSON (at character 16)");
  });


  it("cancels the byte stream when the consumer breaks", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new TextEncoder().encode('{"level":"Info","ts":1,"message":"again"}\n')),
      cancel: () => void (cancelled = true),
    });
    for await (const r of ndjsonStream(body, parse, { operation: "test" })) {
      expect(r).toEqual({ level: "Info", ts: 1, message: "again" });
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe("ndjsonStream: next() without a chain per record", () => {
  const lines = Array.from({ length: 9 }, (_, i) => JSON.stringify({ level: "Info", ts: i, message: `m${i}` }));
  const bytes = new TextEncoder().encode(`${lines.join("\n")}\n`);

  it("answers overlapping next() calls in order, across chunk reads, then done", async () => {
    const it = ndjsonStream(chunked(bytes, [3, 50, 51, 120, 300]), parse, { operation: "test" })[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 12 }, () => it.next()));
    expect(results.map((r) => (r.done ? "done" : r.value.raw))).toEqual([...lines, "done", "done", "done"]);
  });

  it("answers a queued record with an already-settled promise, and mixes with waiting calls", async () => {
    const it = ndjsonStream(chunked(bytes, []), parse, { operation: "test" })[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ ts: 0 }); // reads the one chunk
    let settled = false;
    const second = it.next().then((r) => ((settled = true), r));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true); // no step, no read: two microtasks suffice
    expect((await second).value).toMatchObject({ ts: 1 });
    const [a, b] = await Promise.all([it.next(), it.next()]);
    expect([a.value?.ts, b.value?.ts]).toEqual([2, 3]);
  });

  it("a bad line in the queue: the records before it, then the parse error, then done", async () => {
    const text = `${lines[0]}\n${lines[1]}\n{"level":\n${lines[2]}\n`;
    const it = ndjsonStream(chunked(new TextEncoder().encode(text), []), parse, { operation: "followLogs" })[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ ts: 0 });
    expect((await it.next()).value).toMatchObject({ ts: 1 });
    await expect(it.next()).rejects.toMatchObject({ kind: "parse", body: '{"level":' });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("a line over maxRecordBytes in the middle of a chunk: the lines before it, then too-large", async () => {
    const long = JSON.stringify({ level: "Info", ts: 99, message: "x".repeat(200) });
    const text = `${lines[0]}\n${lines[1]}\n${long}\n${lines[2]}\n`;
    const stream = ndjsonStream(chunked(new TextEncoder().encode(text), [20]), parse, { operation: "followLogs", maxRecordBytes: 100 });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const r of stream) seen.push(r.raw);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([lines[0], lines[1]]);
    expect(error).toMatchObject({ kind: "too-large" });
  });
});

describe("followLogs records", () => {
  const line = '{"level":"Info","ts":1,"target":"t","message":"hé 🚀"}';
  /** The records followLogs yields for `text`, from an injected fetch. */
  const recordsOf = async (text: string) => {
    const opened = await createClient({ fetch: async () => new Response(text, { headers: { "content-type": "application/x-ndjson" } }) }).followLogs("db");
    if (!opened.ok) throw opened.error;
    const records: LogLine[] = [];
    for await (const record of opened.data) records.push(record);
    return records;
  };

  it("keeps raw readable but out of keys, JSON and inspect", async () => {
    const [r] = await recordsOf(`${line}\n`);
    expect(r!.raw).toBe(line);
    expect(r!.message).toBe("hé 🚀");
    expect(Object.keys(r!)).toEqual(["level", "ts", "target", "message"]);
    expect(JSON.stringify(r)).toBe(line);
    expect(inspect(r)).not.toContain("raw");
    expect(inspect(r, { showHidden: true })).not.toContain('"ts":1');
    expect({ ...r }).toEqual(JSON.parse(line));
  });

  it("a record with its own raw or __proto__ key keeps it as data and the line as raw", async () => {
    const [withRaw, withProto] = await recordsOf('{"level":"Info","raw":"server field"}\n{"level":"Info","__proto__":{"polluted":true}}\n');
    expect(withRaw!.raw).toBe('{"level":"Info","raw":"server field"}');
    expect(Object.keys(withRaw!)).toEqual(["level"]);
    expect((withProto as unknown as { polluted?: boolean }).polluted).toBeUndefined();
    expect(withProto!.raw).toBe('{"level":"Info","__proto__":{"polluted":true}}');
    await expect(recordsOf("[1]\n")).rejects.toMatchObject({ kind: "parse", message: expect.stringMatching(/JSON object/) });
  });

  it("refuses a line nested deeper than 256 levels before parsing it, after the records before it", async () => {
    const deep = `{"level":"Info","message":${"[".repeat(257)}${"]".repeat(257)}}`;
    const seen: LogLine[] = [];
    const opened = await createClient({ fetch: async () => new Response(`{"level":"Info","message":"a"}\n${deep}\n`) }).followLogs("db");
    if (!opened.ok) throw opened.error;
    const error = await (async () => {
      for await (const record of opened.data) seen.push(record);
    })().catch((e: unknown) => e);
    expect(seen.map((r) => r.message)).toEqual(["a"]);
    expect(error).toMatchObject({ kind: "parse", body: deep });
    expect((error as Error).message).toBe("followLogs: a log line is not a JSON record: nested too deep (more than 256 levels of arrays and objects), not read");
    // 256 levels is still a record.
    const atLimit = `{"level":"Info","message":${"[".repeat(255)}${"]".repeat(255)}}`;
    expect((await recordsOf(`${atLimit}\n`)).length).toBe(1);
  });

  it("names where a bad line stops being JSON, in the SDK's words (never the engine's quote of the line)", async () => {
    const error = await recordsOf("oops, plain text\n").catch((e: unknown) => e);
    expect((error as Error).message).toBe("followLogs: a log line is not a JSON record: not valid JSON");
    expect((error as Error).message).not.toMatch(/Unexpected token|is not valid JSON"/);
  });
});

describe("ndjsonStream memory", () => {
  it("a record kept for later holds its own line, not the whole chunk it arrived in", async () => {
    const line = (i: number) => JSON.stringify({ level: "Info", ts: i, message: `message number ${i} `.padEnd(150, "x") });
    let i = 0;
    const CHUNKS = 320; // about 64 KiB each: 20 MB in all
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ === CHUNKS) return c.close();
        let text = "";
        while (text.length < 64 * 1024) text += `${line(i++)}\n`;
        c.enqueue(new TextEncoder().encode(text));
      },
    });
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: { raw: string }[] = [];
    let n = 0;
    for await (const r of ndjsonStream(body, parse, { operation: "test" })) if (n++ % 400 === 0) kept.push(r);
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(kept.length).toBeGreaterThan(CHUNKS / 2);
    expect(kept[1]!.raw).toBe(line(400));
    // Slices of each chunk's text would keep some 20 MB alive; the kept lines alone are ~60 kB.
    expect(held).toBeLessThan(5e6);
  });
});
