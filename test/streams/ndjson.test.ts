/**
 * ndjsonStream on exact chunk boundaries (no network): however the bytes are cut, the same records
 * come out, each with its own line as `raw`.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ndjsonStream } from "../../src/conveniences/ndjson.js";
import { SpacetimeHttpError } from "../../src/core/errors.js";

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

describe("ndjsonStream memory", () => {
  it("a record kept for later holds its own line, not the whole chunk it arrived in", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
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
