/**
 * Per-call overhead: the same small JSON answer from a loopback node:http server, fetched by
 * (a) raw fetch, (b) plain openapi-fetch, (c) this SDK (getDatabase, sql, callReducer), and (d) a
 * client generated from the same spec by @hey-api/openapi-ts 0.95.0. 2,000 sequential calls and
 * 2,000 at concurrency 32, alternating rounds after a warm-up; medians and ratios to raw fetch.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import createOpenApiClient from "openapi-fetch";
import { createClient } from "../src/index.js";
import type { paths } from "../src/generated/schema.js";
import { alternate, medians, mergeResults, round, type Sample } from "./harness.js";
import { heyApiCalls } from "./hey-api.js";

const CALLS = 2_000;
const CONCURRENCY = 32;
const DB = "quickstart-chat";
const BODY = JSON.stringify({
  database_identity: { __identity__: "0xc20050d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6" },
  owner_identity: { __identity__: "0xc2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d" },
  host_type: { Wasm: [] },
  initial_program: "0x5d3f0c1a",
});
const SQL_BODY = '[{"schema":{"elements":[]},"rows":[],"total_duration_micros":1,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]';

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url?.includes("/call/")) res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": "0" }).end();
    else {
      const body = req.url?.endsWith("/sql") ? SQL_BODY : BODY;
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const sdk = createClient({ baseUrl, token: "bench-token" });
const plain = createOpenApiClient<paths>({ baseUrl, headers: { authorization: "Bearer bench-token" } });
const hey = await heyApiCalls(baseUrl);

type Call = () => Promise<unknown>;
const auth = { authorization: "Bearer bench-token" };
/** Each SDK call beside the hand-written fetch a careful user would write for it. */
const groups: Record<string, Record<string, Call>> = {
  getDatabase: {
    rawFetch: async () => (await fetch(`${baseUrl}/v1/database/${DB}`, { headers: auth })).json(),
    // What a careful hand-written call does: the same, with a timeout (the SDK always has one).
    rawFetchWithTimeout: async () => (await fetch(`${baseUrl}/v1/database/${DB}`, { headers: auth, signal: AbortSignal.timeout(30_000) })).json(),
    openapiFetch: () => plain.GET("/v1/database/{name_or_identity}", { params: { path: { name_or_identity: DB } } }),
    sdk: () => sdk.getDatabase(DB),
    ...(hey ? { heyApi: hey.getDatabase } : {}),
  },
  sql: {
    rawFetch: async () =>
      (await fetch(`${baseUrl}/v1/database/${DB}/sql`, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "SELECT * FROM message" })).json(),
    sdk: () => sdk.sql(DB, "SELECT * FROM message"),
  },
  callReducer: {
    rawFetch: async () => {
      const body = JSON.stringify(["Hello!"]);
      const res = await fetch(`${baseUrl}/v1/database/${DB}/call/send_message`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body });
      return res.text();
    },
    sdk: () => sdk.callReducer(DB, "send_message", ["Hello!"]),
  },
};

/** Time for CALLS calls, `concurrency` in flight at once. */
async function timed(call: Call, concurrency: number): Promise<Sample> {
  let next = 0;
  const worker = async () => {
    while (next++ < CALLS) await call();
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms: performance.now() - t0 };
}

const report: Record<string, unknown> = {};
for (const [operation, calls] of Object.entries(groups)) {
  for (const concurrency of [1, CONCURRENCY]) {
    const variants = Object.fromEntries(Object.entries(calls).map(([name, call]) => [name, () => timed(call, concurrency)]));
    const samples = await alternate(variants, { warmup: 1, rounds: 7 });
    const base = medians(samples.rawFetch!).ms!;
    const rows = Object.entries(samples).map(([name, s]) => {
      const ms = medians(s).ms!;
      return { variant: name, medianMs: round(ms, 1), perCallUs: round((ms * 1000) / CALLS, 1), ratioToRawFetch: round(ms / base, 3) };
    });
    console.log(`\n${operation}: ${CALLS} calls, concurrency ${concurrency}`);
    console.table(rows);
    report[`${operation}.${concurrency === 1 ? "sequential" : `concurrency${concurrency}`}`] = rows;
  }
}
mergeResults("overhead", { calls: CALLS, ...report });
server.close();
