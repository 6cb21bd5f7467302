/**
 * Streams benchmark, against a local node:http server on loopback (run by this process):
 *  - follow 1,000,000 log lines with `followLogs`: lines/s and peak RSS growth (goals: ≤ 1.15× the raw loop's time, ≤ 16 MB),
 *    beside a hand-written raw `fetch` line reader;
 *  - publish 50 MiB from a ReadableStream with `publishDatabase`: peak RSS growth (goal ≤ 16 MB),
 *    as a ratio to a raw `fetch` doing the same upload (`duplex: "half"`, `redirect: "error"`), and
 *    a raw `fetch` with Node's default `redirect: "follow"` for reference; each also with garbage
 *    collected every 10 ms, which shows what is held rather than what is not yet collected.
 * Each sample is a fresh child process (RSS seldom shrinks, so runs must not share one) that warms
 * up on a small run first; variants alternate order round by round.
 *
 *   npx tsx bench/streams.ts [lines] [rounds] [follow|publish]
 *
 * Each figure is the median with its min–max over the rounds; the follow ratio is taken per round
 * (the two variants of a round run back to back). Prints a table with the load average and merges
 * `{ "streams": … }` into bench/results.json (a run of one part keeps the other part's last figures).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { createClient } from "../src/index.js";
import { generatedBytes, PUBLISHED, startLogResponse, startServer, write } from "../test/streams/server.js";
import { alternate, inChild, loadAverage, mb, medians, mergeResults, MiB, peakGrowth, round, spread, type Sample } from "./harness.js";

const LINES = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const ONLY = process.argv[4] as "follow" | "publish" | undefined;
const UPLOAD = 50 * MiB;
const GOALS = { followRssGrowthMB: 16, followTimeRatio: 1.15, publishRssGrowthMB: 16 };
/** The second publish figure collects garbage this often, to show what is held rather than not yet freed. */
const GC_EVERY_MS = 10;

// --- the server: `/v1/database/lines-N/logs` streams N records; `/v1/database/bytes-N` takes N bytes

/** 1,000 realistic records (about 190 bytes each), reused with a fresh `ts` per block. */
function logBlock(block: number): Buffer {
  let text = "";
  for (let i = 0; i < 1000; i++) {
    const n = block * 1000 + i;
    text += `${JSON.stringify({ level: n % 50 === 0 ? "Warn" : "Info", ts: 1755820800000000 + n, target: "quickstart_chat", filename: "src/lib.rs", line_number: 40 + (n % 90), function: "send_message", message: `user ${n % 977} said: hello number ${n}` })}\n`;
  }
  return Buffer.from(text);
}

async function serveLogs(res: ServerResponse, lines: number) {
  startLogResponse(res);
  const blocks = Array.from({ length: 4 }, (_, i) => logBlock(i));
  for (let sent = 0, b = 0; sent < lines; b++) {
    const block = blocks[b % blocks.length]!;
    const n = Math.min(1000, lines - sent);
    let cut = block.length;
    if (n < 1000) for (let i = 0, at = -1; i < n; i++) cut = at = block.indexOf(10, at + 1) + 1;
    if (!(await write(res, block.subarray(0, cut)))) return;
    sent += n;
  }
  res.end();
}

function takeUpload(req: IncomingMessage, res: ServerResponse, expected: number) {
  let bytes = 0;
  req.on("data", (c: Buffer) => (bytes += c.length));
  req.on("end", () => {
    if (bytes === expected) res.writeHead(200, { "content-type": "application/json" }).end(PUBLISHED);
    else res.writeHead(400).end(`expected ${expected} bytes, got ${bytes}`);
  });
}

// --- one measured run, in a fresh child process

async function followSdk(url: string, lines: number): Promise<number> {
  const opened = await createClient({ baseUrl: url }).followLogs(`lines-${lines}`);
  if (!opened.ok) throw opened.error;
  let n = 0;
  for await (const record of opened.data) if (record.message.length > 0) n++;
  return n;
}

async function followRaw(url: string, lines: number): Promise<number> {
  const res = await fetch(`${url}/v1/database/lines-${lines}/logs?follow=true`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let at: number;
    while ((at = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      if (line !== "" && (JSON.parse(line) as { message: string }).message.length > 0) n++;
    }
  }
  return n;
}

async function publishSdk(url: string, size: number): Promise<number> {
  const result = await createClient({ baseUrl: url }).publishDatabase(`bytes-${size}`, generatedBytes(size).stream);
  if (!result.ok) throw result.error;
  return size;
}

async function publishRaw(url: string, size: number, redirect: RequestRedirect): Promise<number> {
  const init = { method: "PUT", body: generatedBytes(size).stream, duplex: "half", redirect, headers: { "content-type": "application/wasm" } };
  const res = await fetch(`${url}/v1/database/bytes-${size}`, init as RequestInit);
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return size;
}

const RUNS: Record<string, (url: string, n: number) => Promise<number>> = {
  "follow-sdk": followSdk,
  "follow-raw": followRaw,
  "publish-sdk": publishSdk,
  "publish-raw": (url, n) => publishRaw(url, n, "error"),
  "publish-raw-follow": (url, n) => publishRaw(url, n, "follow"),
};

async function child(variant: string, url: string, n: number, gcEveryMs: number): Promise<Sample> {
  const run = RUNS[variant];
  if (!run) throw new Error(`unknown variant ${variant}`);
  await run(url, Math.max(1, Math.floor(n / 20))); // warm-up: JIT, undici, sockets
  const { result, ms, rssGrowth, heldGrowth } = await peakGrowth(() => run(url, n), { gcEveryMs });
  if (result !== n) throw new Error(`${variant}: expected ${n}, got ${result}`);
  const memory = { rssGrowthMB: mb(rssGrowth), heldGrowthMB: mb(heldGrowth) };
  return variant.startsWith("follow")
    ? { ms: round(ms), linesPerSec: Math.round((n / ms) * 1000), ...memory }
    : { ms: round(ms), mbPerSec: round(n / 1e6 / (ms / 1000), 1), ...memory };
}

// --- the orchestrator

async function main() {
  const server = await startServer((req, res) => {
    const lines = /^\/v1\/database\/lines-(\d+)\/logs\?/.exec(req.url ?? "");
    const bytes = /^\/v1\/database\/bytes-(\d+)$/.exec(req.url ?? "");
    if (lines) return serveLogs(res, Number(lines[1]));
    if (bytes) return takeUpload(req, res, Number(bytes[1]));
    res.writeHead(404).end();
  });
  const sample = (variant: string, n: number, gcEveryMs = 0) => () =>
    inChild<Sample>(import.meta.url, ["--child", variant, server.url, String(n), String(gcEveryMs)], gcEveryMs ? ["--no-concurrent-array-buffer-sweeping"] : []);
  const load = { before: loadAverage(), after: [] as number[] };
  try {
    const follow = ONLY === "publish" ? undefined : await alternate({ followLogs: sample("follow-sdk", LINES), "raw fetch": sample("follow-raw", LINES) }, { warmup: 1, rounds: ROUNDS });
    const publish =
      ONLY === "follow"
        ? undefined
        : await alternate(
            {
              publishDatabase: sample("publish-sdk", UPLOAD),
              "raw fetch": sample("publish-raw", UPLOAD),
              "raw fetch, redirect follow": sample("publish-raw-follow", UPLOAD),
              "publishDatabase, gc": sample("publish-sdk", UPLOAD, GC_EVERY_MS),
              "raw fetch, gc": sample("publish-raw", UPLOAD, GC_EVERY_MS),
              "raw fetch, redirect follow, gc": sample("publish-raw-follow", UPLOAD, GC_EVERY_MS),
            },
            { warmup: 1, rounds: ROUNDS },
          );
    load.after = loadAverage();
    report(follow, publish, load);
  } finally {
    await server.close();
  }
}

/** Median and min–max of each metric. */
function spreads(samples: readonly Sample[]): Record<string, { median: number; min: number; max: number }> {
  const m = medians(samples);
  return Object.fromEntries(Object.keys(m).map((k) => [k, { median: m[k]!, min: Math.min(...samples.map((s) => s[k]!)), max: Math.max(...samples.map((s) => s[k]!)) }]));
}

const range = (s: { median: number; min: number; max: number } | undefined, digits = 1) =>
  s === undefined ? "" : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

function report(follow: Record<string, Sample[]> | undefined, publish: Record<string, Sample[]> | undefined, load: { before: number[]; after: number[] }) {
  console.log(`streams: ${ROUNDS} alternating rounds, each a fresh process after a warm-up (node ${process.version}); median (min–max); MB = 10^6 bytes`);
  console.log(`load average before ${load.before.join(" ")}, after ${load.after.join(" ")}`);
  let followOut: unknown;
  let publishOut: unknown;
  if (follow) {
    const f = Object.fromEntries(Object.entries(follow).map(([k, v]) => [k, spreads(v)]));
    // Per round: followLogs' time over the raw loop's in the same round.
    const ratios = follow.followLogs!.map((s, i) => s.ms! / follow["raw fetch"]![i]!.ms!);
    const timeRatio = spread(ratios, 2);
    console.log(`follow ${LINES.toLocaleString("en")} log lines      lines/s                        ms                       RSS growth MB`);
    for (const name of ["followLogs", "raw fetch"]) {
      const v = f[name]!;
      console.log(`  ${name.padEnd(24)} ${range(v.linesPerSec, 0).padEnd(30)} ${range(v.ms, 0).padEnd(24)} ${range(v.rssGrowthMB)}`);
    }
    console.log(`  followLogs / raw fetch time: ${range(timeRatio, 2)} (goal ≤ ${GOALS.followTimeRatio}); followLogs RSS growth goal ≤ ${GOALS.followRssGrowthMB} MB`);
    followOut = {
      lines: LINES,
      spreads: f,
      timeRatio,
      goalsMet: { time: timeRatio.median <= GOALS.followTimeRatio, rss: f.followLogs!.rssGrowthMB!.median <= GOALS.followRssGrowthMB },
      samples: follow,
    };
  }
  if (publish) {
    const p = Object.fromEntries(Object.entries(publish).map(([k, v]) => [k, spreads(v)]));
    const rssRatio = round(p.publishDatabase!.rssGrowthMB!.median / p["raw fetch"]!.rssGrowthMB!.median);
    console.log(`publish ${UPLOAD / MiB} MiB from a stream   MB/s                RSS growth MB         (gc every ${GC_EVERY_MS} ms) RSS     held MB`);
    for (const name of ["publishDatabase", "raw fetch", "raw fetch, redirect follow"]) {
      const [a, g] = [p[name]!, p[`${name}, gc`]!];
      console.log(`  ${name.padEnd(28)} ${range(a.mbPerSec).padEnd(20)} ${range(a.rssGrowthMB).padEnd(22)} ${range(g.rssGrowthMB).padEnd(22)} ${range(g.heldGrowthMB)}`);
    }
    console.log(`  publishDatabase / raw fetch RSS growth: ${rssRatio}; publishDatabase RSS growth goal ≤ ${GOALS.publishRssGrowthMB} MB`);
    publishOut = { bytes: UPLOAD, gcEveryMs: GC_EVERY_MS, spreads: p, rssGrowthRatio: rssRatio, samples: publish };
  }
  let previous: Record<string, unknown> = {};
  try {
    previous = (JSON.parse(readFileSync(new URL("./results.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>).streams ?? {};
  } catch {
    // none yet
  }
  mergeResults("streams", {
    date: new Date().toISOString(),
    node: process.version,
    rounds: ROUNDS,
    loadavg: load,
    unit: "MB = 10^6 bytes; rssGrowthMB = peak RSS over the warmed-up baseline; heldGrowthMB = peak JS heap in use + ArrayBuffers; each figure median with min and max",
    goals: GOALS,
    follow: followOut ?? previous.follow,
    publish: publishOut ?? previous.publish,
  });
}

if (process.argv[2] === "--child") {
  const [, , , variant, url, n, gcEveryMs] = process.argv;
  process.send!(await child(variant!, url!, Number(n), Number(gcEveryMs)));
  process.disconnect?.();
} else {
  await main();
}
