/**
 * The load run, in its own process so that the test can see it exit by itself: 1,000 concurrent
 * calls (GET and POST, one in eight retried after a 503) against a local server, then one JSON
 * summary line on stdout. It never calls process.exit: a leaked timer or socket would keep it alive.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type Result } from "../../src/index.js";

const CALLS = Number(process.argv[2] ?? 1_000);
const TOKEN = "load-token-9c1f";

let unhandled = 0;
process.on("unhandledRejection", () => unhandled++);

const seen = new Set<string>();
let requests = 0;
let peak = 0;
let open = 0;
const server = createServer((req, res) => {
  requests++;
  peak = Math.max(peak, ++open);
  req.resume();
  req.on("end", () => {
    const url = req.url ?? "";
    const reply = (status: number, body: string, headers: Record<string, string> = {}) =>
      setTimeout(() => {
        open--;
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
      }, requests % 7);
    if (req.headers.authorization !== `Bearer ${TOKEN}` && !url.startsWith("/v1/ping")) return reply(401, '"no token"');
    // Every eighth call is a GET whose first answer is a 503: it must be retried.
    if (url.endsWith("/names") && Number(/db-(\d+)\//.exec(url)?.[1]) % 8 === 0 && !seen.has(url)) {
      seen.add(url);
      return reply(503, '"busy"', { "retry-after": "0" });
    }
    if (url.endsWith("/names")) return reply(200, '{"names":["x"]}');
    if (url.includes("/call/")) return reply(200, "");
    if (url.endsWith("/sql")) return reply(200, '[{"schema":{"elements":[]},"rows":[],"total_duration_micros":1}]');
    return reply(200, "");
  });
});
await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 2_048 }, resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const client = createClient({ baseUrl, token: TOKEN, retryDelayMs: 1 });

const call = (i: number): Promise<Result<unknown, unknown>> => {
  const db = `db-${i}`;
  switch (i % 4) {
    case 0:
      return client.getDatabaseNames(db);
    case 1:
      return client.callReducer(db, "send_message", [`hello ${i}`]);
    case 2:
      return client.sql(db, "SELECT * FROM message");
    default:
      return client.ping();
  }
};

const started = performance.now();
const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => call(i)));
const elapsedMs = Math.round(performance.now() - started);
const failures = results.flatMap((r, i) => (r.ok ? [] : [`${i}: ${r.error.kind} ${r.error.message}`]));
const resources = process.getActiveResourcesInfo();
const timersAfterCalls = resources.filter((r) => r === "Timeout").length;
const socketsAfterCalls = resources.filter((r) => r === "TCPSocketWrap").length;
server.closeAllConnections();
server.close();
console.log(JSON.stringify({ calls: CALLS, ok: results.length - failures.length, failures: failures.slice(0, 5), requests, peakConcurrent: peak, unhandled, timersAfterCalls, socketsAfterCalls, elapsedMs }));
