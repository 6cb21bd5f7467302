/**
 * The canned answers of the project's test servers, captured as real HTTP exchanges for the Go check:
 * each server is started, the SDK sends it the requests the tests send, through a recording proxy,
 * and each exchange (method, path, request content type and body, status, response headers and body)
 * is kept. The servers are found by what their modules export, wherever they live under test/ or
 * bench/, so moving a server does not drop it from the check.
 *
 * The faults server's other handlers (resets, stalls, a truncated body) are not answers a server
 * gives; they are faults by design, so only its `namesOk` is captured.
 */
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as sdk from "../../src/index.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DB = "quickstart-chat";
const MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

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

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const headers = (from: IncomingHttpHeaders, keep: (name: string) => boolean) =>
  Object.fromEntries(Object.entries(from).flatMap(([name, value]) => (value !== undefined && keep(name) ? [[name, String(value)]] : [])));

/** A proxy in front of `target` that records each exchange into `into`. */
async function recorder(target: string, source: string, into: Exchange[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const requestBody = await readAll(req);
    const upstream = request(new URL(req.url ?? "/", target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } });
    upstream.end(requestBody);
    const [answer] = (await once(upstream, "response")) as [IncomingMessage];
    const responseBody = await readAll(answer);
    into.push({
      source,
      method: req.method ?? "",
      path: req.url ?? "/",
      requestHeaders: headers(req.headers, (name) => REQUEST_HEADERS.test(name)),
      requestBody: requestBody.toString("base64"),
      status: answer.statusCode ?? 0,
      responseHeaders: headers(answer.headers, (name) => !HOP_BY_HOP.has(name)),
      responseBody: responseBody.toString("base64"),
    });
    const forward = headers(answer.headers, (name) => !HOP_BY_HOP.has(name) && name !== "content-length");
    res.writeHead(answer.statusCode ?? 502, { ...forward, "content-length": String(responseBody.length) }).end(responseBody);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

/** The one module under test/ or bench/ (tests themselves aside) that exports all of `names`. */
async function moduleExporting(names: string[]): Promise<{ file: string; module: Record<string, any> }> {
  const files: string[] = [];
  for (const dir of ["test", "bench"]) {
    for (const entry of await readdir(join(ROOT, dir), { recursive: true })) {
      if (/\.(ts|js)$/.test(entry) && !/\.test\.ts$|\.d\.ts$/.test(entry)) files.push(join(ROOT, dir, entry));
    }
  }
  const exports = (text: string, name: string) => new RegExp(`export (async function|function|const|let|class) ${name}\\b`).test(text);
  const found: string[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    if (names.every((name) => exports(text, name))) found.push(file);
  }
  if (found.length !== 1) throw new Error(`expected one module exporting ${names.join(", ")} under test/ or bench/, found ${found.length}: ${found.join(", ")}`);
  return { file: relative(ROOT, found[0]!), module: (await import(pathToFileURL(found[0]!).href)) as Record<string, any> };
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
  const server = await moduleExporting(["startSmokeServer"]);
  const smoke = await moduleExporting(["smoke"]);
  await through(server.file, await server.module.startSmokeServer(), into, async (_client, baseUrl) => {
    const checks = (await smoke.module.smoke(sdk, { baseUrl, closedUrl: await server.module.closedUrl() })) as { name: string; ok: boolean; detail?: string }[];
    const failed = checks.filter((c) => !c.ok);
    if (failed.length > 0) throw new Error(`the smoke set failed against ${server.file}: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`);
  });
}

/** The stream tests' server: the log response with its records, and the publish answer. */
async function streamsServer(into: Exchange[]): Promise<void> {
  const { file, module: m } = await moduleExporting(["startLogResponse", "logRecord", "PUBLISHED"]);
  const server = await m.startServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.includes("/logs")) {
      m.startLogResponse(res);
      for (const i of [1, 2, 7]) await m.write(res, `${m.logRecord(i)}\n`);
      res.end();
    } else {
      await m.consumeUpload(req);
      res.writeHead(200, { "content-type": "application/json" }).end(m.PUBLISHED);
    }
  });
  await through(file, server, into, async (client) => {
    await ok(client.logs(DB, { numLines: 3 }), `logs from ${file}`);
    await ok(client.publishDatabase(DB, MODULE), `publishDatabase to ${file}`);
    await ok(client.publishNewDatabase(MODULE), `publishNewDatabase to ${file}`);
  });
}

/** The fault tests' server: its one answer as the server gives it. */
async function faultsServer(into: Exchange[]): Promise<void> {
  const { file, module: m } = await moduleExporting(["namesOk", "resetMidBody"]);
  await through(file, await m.startServer(m.namesOk), into, (client) => ok(client.getDatabaseNames(DB), `getDatabaseNames from ${file}`));
}

/** The benchmarks' server (its own process): the database, SQL and reducer answers. */
async function benchServer(into: Exchange[]): Promise<void> {
  const { file, module: m } = await moduleExporting(["DATABASE_BODY", "SQL_BODY", "startServerProcess"]);
  await through(file, await m.startServerProcess(), into, async (client) => {
    await ok(client.getDatabase(DB), `getDatabase from ${file}`);
    await ok(client.sql(DB, "SELECT * FROM message"), `sql from ${file}`);
    await ok(client.callReducer(DB, "send_message", ["hello"]), `callReducer on ${file}`);
  });
}

export async function captureExchanges(): Promise<Exchange[]> {
  const into: Exchange[] = [];
  for (const source of [smokeServer, streamsServer, faultsServer, benchServer]) await source(into);
  return into;
}
