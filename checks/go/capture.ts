/**
 * The canned answers of the project's test servers, captured as real HTTP exchanges for the Go check:
 * each server is started, the SDK sends it the requests the tests send, through a recording proxy,
 * and each exchange (method, path, request content type and body, status, response headers and body)
 * is kept. The servers are imported by path: a moved one fails to type-check here rather than drop
 * out of the check.
 *
 * The faults server's other handlers (resets, stalls, a truncated body) are not answers a server
 * gives; they are faults by design, so only its `namesOk` is captured.
 */
import { once } from "node:events";
import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import * as bench from "../../bench/server.js";
import * as sdk from "../../src/index.js";
import { smoke } from "../../test/consumer/probe/smoke.js";
import { closedUrl, startSmokeServer } from "../../test/consumer/server.js";
import * as faults from "../../test/faults/server.js";
import { startServer } from "../../test/helpers/local-server.js";
import { WASM_HEADER } from "../../test/helpers/requests.js";
import * as streams from "../../test/streams/server.js";

const { DB } = bench;
/** Each server's module, recorded as its exchanges' `source`. */
const SOURCES = { smoke: "test/consumer/server.ts", streams: "test/streams/server.ts", faults: "test/faults/server.ts", bench: "bench/server.ts" };

export interface Exchange {
  /** The module of the test server that answered. */
  source: string;
  method: string;
  /** Path and query, as sent. */
  path: string;
  requestHeaders: Record<string, string>;
  /** base64 */
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string>;
  /** base64 */
  responseBody: string;
}

/** Request headers worth validating; credentials are never recorded. */
const REQUEST_HEADERS = /^(content-type|accept|spacetime-.*)$/;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "date"]);

const headers = (from: IncomingHttpHeaders, keep: (name: string) => boolean) =>
  Object.fromEntries(Object.entries(from).flatMap(([name, value]) => (value !== undefined && keep(name) ? [[name, String(value)]] : [])));

/** A proxy in front of `target` that records each exchange into `into`. */
function recorder(target: string, source: string, into: Exchange[]): ReturnType<typeof startServer> {
  return startServer(async (req, res) => {
    const path = req.url.pathname + req.url.search;
    const upstream = request(new URL(path, target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } });
    upstream.end(req.body);
    const [answer] = (await once(upstream, "response")) as [IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const responseBody = Buffer.concat(chunks);
    into.push({
      source,
      method: req.method,
      path,
      requestHeaders: headers(req.headers, (name) => REQUEST_HEADERS.test(name)),
      requestBody: req.body.toString("base64"),
      status: answer.statusCode ?? 0,
      responseHeaders: headers(answer.headers, (name) => !HOP_BY_HOP.has(name)),
      responseBody: responseBody.toString("base64"),
    });
    const forward = headers(answer.headers, (name) => !HOP_BY_HOP.has(name) && name !== "content-length");
    res.writeHead(answer.statusCode ?? 502, { ...forward, "content-length": String(responseBody.length) }).end(responseBody);
  });
}

/** A call of the happy path must succeed, or the capture would silently miss its exchange. */
async function ok(call: Promise<sdk.Result<unknown, unknown>>, what: string): Promise<void> {
  const result = await call;
  if (!result.ok) throw new Error(`${what}: ${result.error.message}`);
}

/** Starts a server, records what `drive` sends it through the proxy, then stops both. */
async function through(source: string, target: { url: string; close(): unknown }, into: Exchange[], drive: (client: sdk.SpacetimeClient, url: string) => Promise<unknown>) {
  const proxy = await recorder(target.url, source, into);
  try {
    await drive(sdk.createClient({ baseUrl: proxy.url, retries: 0 }), proxy.url);
  } finally {
    await proxy.close();
    await target.close();
  }
}

/** The runtime smoke server: the smoke set itself, run on the SDK's source. */
async function smokeServer(into: Exchange[]): Promise<void> {
  await through(SOURCES.smoke, await startSmokeServer(), into, async (_client, baseUrl) => {
    const failed = (await smoke(sdk, { baseUrl, closedUrl: await closedUrl() })).filter((c) => !c.ok);
    if (failed.length > 0) throw new Error(`the smoke set failed against ${SOURCES.smoke}: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
  });
}

/** The stream tests' server: the log response with its records, and the publish answer. */
async function streamsServer(into: Exchange[]): Promise<void> {
  const server = await streams.startServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.includes("/logs")) {
      streams.startLogResponse(res);
      for (const i of [1, 2, 7]) await streams.write(res, `${streams.logRecord(i)}\n`);
      res.end();
    } else {
      await streams.consumeUpload(req);
      res.writeHead(200, { "content-type": "application/json" }).end(streams.PUBLISHED);
    }
  });
  await through(SOURCES.streams, server, into, async (client) => {
    await ok(client.logs(DB, { numLines: 3 }), `logs from ${SOURCES.streams}`);
    await ok(client.publishDatabase(DB, WASM_HEADER), `publishDatabase to ${SOURCES.streams}`);
    await ok(client.publishNewDatabase(WASM_HEADER), `publishNewDatabase to ${SOURCES.streams}`);
  });
}

/** The fault tests' server: its one answer as the server gives it. */
async function faultsServer(into: Exchange[]): Promise<void> {
  await through(SOURCES.faults, await faults.startServer(faults.namesOk), into, (client) => ok(client.getDatabaseNames(DB), `getDatabaseNames from ${SOURCES.faults}`));
}

/** The benchmarks' server (its own process): the database, SQL and reducer answers. */
async function benchServer(into: Exchange[]): Promise<void> {
  await through(SOURCES.bench, await bench.startServerProcess(), into, async (client) => {
    await ok(client.getDatabase(DB), `getDatabase from ${SOURCES.bench}`);
    await ok(client.sql(DB, "SELECT * FROM message"), `sql from ${SOURCES.bench}`);
    await ok(client.callReducer(DB, "send_message", ["hello"]), `callReducer on ${SOURCES.bench}`);
  });
}

export async function captureExchanges(): Promise<Exchange[]> {
  const into: Exchange[] = [];
  for (const source of [smokeServer, streamsServer, faultsServer, benchServer]) await source(into);
  return into;
}
