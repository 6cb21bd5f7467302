/**
 * The benchmarks' HTTP server, in its own process (so its work is not on the client's clock or
 * event loop): answers at once from prepared bodies. `startServerProcess()` forks this file and
 * resolves with its URL; run as that child, it listens and sends its port.
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

export const DB = "quickstart-chat";
export const DATABASE_BODY = JSON.stringify({
  database_identity: { __identity__: "0xc20050d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6" },
  owner_identity: { __identity__: "0xc2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d" },
  host_type: { Wasm: [] },
  initial_program: "0x5d3f0c1a",
});
export const SQL_BODY = '[{"schema":{"elements":[]},"rows":[],"total_duration_micros":1,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]';

export async function startServerProcess(): Promise<{ url: string; close: () => void }> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: process.execArgv, stdio: "inherit" });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

if (process.argv.includes("--serve") && process.send) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url?.includes("/call/")) res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": "0" }).end();
      else {
        const body = req.url?.endsWith("/sql") ? SQL_BODY : DATABASE_BODY;
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on("disconnect", () => process.exit(0));
}
