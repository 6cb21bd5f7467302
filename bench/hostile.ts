/**
 * Memory against hostile servers (issue: capped bodies): peak RSS growth of a fresh client process
 * when the server sends a 2.3 GB gzip decompression bomb to `sql()`, and a 200 MB log line to
 * `followLogs()`, with the default cap (256 MiB) and a 16 MiB one. The server runs in this process,
 * each client in its own. Figures merge into bench/results.json under "hostile"; then the generator's
 * hostile schemas (bench/hostile-codegen.ts).
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

async function child(variant: string, url: string): Promise<Sample> {
  const cap = variant.endsWith("16MiB") ? 16 * MiB : undefined;
  const client = createClient({ baseUrl: url, retries: 0, ...(cap ? { maxResponseBytes: cap } : {}) });
  const { result, ms, rssGrowth } = await peakGrowth(async () => {
    if (variant.startsWith("bomb")) {
      const r = await client.sql("bomb", "SELECT * FROM t");
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
  return { ms: round(ms), rssGrowthMB: mb(rssGrowth), kindCode: ["too-large", "parse", "ok", "ended"].indexOf(result) };
}

async function main() {
  const server = createServer((req, res) => (req.url?.includes("/bomb/") ? serveBomb(res) : serveLongLine(res)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const variants = ["bomb, default cap", "bomb, 16MiB", "200 MB line, default cap", "200 MB line, 16MiB"];
  const results: Record<string, Sample[]> = {};
  try {
    for (let r = 0; r < ROUNDS; r++) for (const v of variants) (results[v] ??= []).push(await inChild<Sample>(import.meta.url, ["--child", v, url]));
  } finally {
    server.close();
  }
  const kinds = ["too-large", "parse", "ok", "ended"];
  console.log(`hostile: medians of ${ROUNDS} fresh client processes (node ${process.version}); MB = 10^6 bytes`);
  console.log(`${"case".padEnd(28)}${"outcome".padStart(12)}${"ms".padStart(10)}${"peak RSS growth MB".padStart(22)}`);
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, medians(v)]));
  for (const [name, m] of Object.entries(med)) {
    console.log(`${name.padEnd(28)}${String(kinds[m.kindCode!] ?? "?").padStart(12)}${String(Math.round(m.ms!)).padStart(10)}${String(m.rssGrowthMB).padStart(22)}`);
  }
  mergeResults("hostile", { date: new Date().toISOString(), node: process.version, bombBytes: BOMB_BYTES, lineBytes: LINE_BYTES, medians: med, samples: results });
  await hostileCodegen();
}

if (process.argv[2] === "--child") {
  const [, , , variant, url] = process.argv;
  process.send!(await child(variant!, url!));
  process.disconnect?.();
} else {
  await main();
}
