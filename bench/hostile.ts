/**
 * Memory against hostile servers: peak RSS growth of a fresh client process when the server sends a
 * 2.3 GB gzip decompression bomb to `sql()`, a 200 MB log line to `followLogs()` (with the default cap,
 * 256 MiB, and a 16 MiB one), 16 MB of JSON nested `[[[[…]]]]` (a success and an error body), and
 * 16 MB of the shapes that cost `JSON.parse` the most memory per byte (many empty objects, arrays,
 * short strings, small numbers): the worst of them is the multiple SECURITY.md states. The server runs
 * in this process, each client in its own. Figures merge into bench/results.json under "hostile";
 * then the generator's hostile schemas (bench/hostile-codegen.ts).
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createGzip } from "node:zlib";
import { Readable } from "node:stream";
import { createClient } from "../src/index.js";
import { inChild, mb, medians, mergeResults, MiB, peakGrowth, round, type Sample } from "./harness.js";
import { hostileCodegen } from "./hostile-codegen.js";

const BOMB_BYTES = 2.3e9;
const LINE_BYTES = 200e6;
const JSON_BYTES = 16e6;

/** 16 MB of JSON: nested as deep as it goes, or a flat array of one small element repeated. */
const JSON_BODIES: Record<string, () => string> = {
  nested: () => "[".repeat(JSON_BYTES / 2) + "]".repeat(JSON_BYTES / 2),
  "empty objects": () => `[${"{},".repeat(JSON_BYTES / 3 - 1)}{}]`,
  "empty arrays": () => `[${"[],".repeat(JSON_BYTES / 3 - 1)}[]]`,
  "short strings": () => `[${'"a",'.repeat(JSON_BYTES / 4 - 1)}"a"]`,
  "small numbers": () => `[${"1,".repeat(JSON_BYTES / 2 - 1)}1]`,
};

/** The JSON body named by the path `/v1/database/json-<shape>-<status>/…`. */
function serveJson(res: ServerResponse, url: string) {
  const [, shape, status] = /json-([a-z-]+)-(\d+)\//.exec(decodeURIComponent(url)) ?? [];
  const body = JSON_BODIES[shape!.replace(/-/g, " ")]!();
  res.writeHead(Number(status), { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}
const ROUNDS = 3;
const CHUNK = Buffer.alloc(MiB, 0x20);

/** `total` bytes of spaces, gzipped as they are sent, until the client goes away. */
function serveBomb(res: ServerResponse) {
  res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= BOMB_BYTES) return void this.push(null);
      sent += CHUNK.length;
      this.push(CHUNK);
    },
  });
  source.pipe(createGzip({ level: 1 })).pipe(res);
  res.on("close", () => source.destroy());
}

/** One NDJSON record that is a 200 MB line (no newline until the end). */
function serveLongLine(res: ServerResponse) {
  res.writeHead(200, { "content-type": "application/x-ndjson" });
  const a = Buffer.alloc(MiB, 0x61);
  let sent = 0;
  const more = () => {
    while (sent < LINE_BYTES) {
      sent += a.length;
      if (!res.write(a)) return void res.once("drain", more);
    }
    res.end("\n");
  };
  res.on("close", () => (sent = Infinity));
  more();
}

const KINDS = ["too-large", "parse", "ok", "ended", "http"];

async function child(variant: string, url: string): Promise<Sample> {
  const cap = variant.endsWith("16MiB") ? 16 * MiB : undefined;
  const client = createClient({ baseUrl: url, retries: 0, ...(cap ? { maxResponseBytes: cap } : {}) });
  const { result, ms, rssGrowth } = await peakGrowth(async () => {
    if (variant.startsWith("bomb")) {
      const r = await client.sql("bomb", "SELECT * FROM t");
      return r.ok ? "ok" : r.error.kind;
    }
    if (variant.startsWith("json")) {
      const [, shape, status] = variant.split(":");
      const r = await client.sql(`json-${shape!.replace(/ /g, "-")}-${status}`, "SELECT 1");
      return r.ok ? "ok" : r.error.kind;
    }
    const opened = await client.followLogs("line");
    if (!opened.ok) return opened.error.kind;
    try {
      for await (const _ of opened.data);
      return "ended";
    } catch (e) {
      return (e as { kind: string }).kind;
    }
  });
  return { ms: round(ms), rssGrowthMB: mb(rssGrowth), kindCode: KINDS.indexOf(result) };
}

async function main() {
  const server = createServer((req, res) => (req.url?.includes("/bomb/") ? serveBomb(res) : req.url?.includes("/json-") ? serveJson(res, req.url) : serveLongLine(res)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jsonVariants = ["json:nested:200", "json:nested:400", ...Object.keys(JSON_BODIES).filter((k) => k !== "nested").map((k) => `json:${k}:200`)];
  // HOSTILE_ONLY=json runs only the variants whose name starts with it.
  const variants = ["bomb, default cap", "bomb, 16MiB", "200 MB line, default cap", "200 MB line, 16MiB", ...jsonVariants].filter((v) => v.startsWith(process.env.HOSTILE_ONLY ?? ""));
  const results: Record<string, Sample[]> = {};
  try {
    for (let r = 0; r < ROUNDS; r++) for (const v of variants) (results[v] ??= []).push(await inChild<Sample>(import.meta.url, ["--child", v, url]));
  } finally {
    server.close();
  }
  const kinds = KINDS;
  console.log(`hostile: medians of ${ROUNDS} fresh client processes (node ${process.version}); MB = 10^6 bytes`);
  console.log(`${"case".padEnd(28)}${"outcome".padStart(12)}${"ms".padStart(10)}${"peak RSS growth MB".padStart(22)}`);
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, medians(v)]));
  for (const [name, m] of Object.entries(med)) {
    console.log(`${name.padEnd(28)}${String(kinds[m.kindCode!] ?? "?").padStart(12)}${String(Math.round(m.ms!)).padStart(10)}${String(m.rssGrowthMB).padStart(22)}`);
  }
  const shapes = jsonVariants.filter((v) => !v.includes("nested") && med[v]).map((v) => ({ shape: v.split(":")[1]!, multiple: round((med[v]!.rssGrowthMB! * 1e6) / JSON_BYTES) }));
  const worst = shapes.reduce((a, b) => (b.multiple > a.multiple ? b : a), { shape: "none", multiple: 0 });
  if (shapes.length) console.log(`memory per byte of a JSON body: ${shapes.map((s) => `${s.shape} ${s.multiple}×`).join(", ")}; the worst, ${worst.shape}: ${worst.multiple}× the body`);
  mergeResults("hostile", { date: new Date().toISOString(), node: process.version, bombBytes: BOMB_BYTES, lineBytes: LINE_BYTES, jsonBytes: JSON_BYTES, medians: med, jsonMultiples: shapes, samples: results });
  if (!process.env.HOSTILE_ONLY) await hostileCodegen();
}

if (process.argv[2] === "--child") {
  const [, , , variant, url] = process.argv;
  process.send!(await child(variant!, url!));
  process.disconnect?.();
} else {
  await main();
}
