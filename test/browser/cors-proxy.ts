/**
 * A reverse proxy in front of Prism that applies the SpacetimeDB server's CORS layer exactly
 * (tower-http 0.5 `CorsLayer`, `crates/client-api/src/routes/mod.rs:50-56`, with the environment
 * headers PR #5887 added to its allow-list, `routes/mod.rs` `cors_layer`), because Prism's own
 * CORS allows and exposes everything:
 * - every OPTIONS request is a preflight, answered here (200, empty) and never forwarded;
 * - `Access-Control-Allow-Origin: *` and `Access-Control-Allow-Methods: *`;
 * - `Access-Control-Allow-Headers: authorization,accept,content-type,spacetime-environment,
 *   spacetime-environment-remove` and nothing else;
 * - no `Access-Control-Expose-Headers`, no credentials, no max-age.
 * It records what it answered and forwarded, so a test can tell a preflight failure from a refusal.
 */
import { createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export const ALLOWED_REQUEST_HEADERS =
  "authorization,accept,content-type,spacetime-environment,spacetime-environment-remove";

export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface CorsProxy {
  url: string;
  preflights: Seen[];
  forwarded: Seen[];
  close(): Promise<void>;
}

const CORS_VARY = "origin, access-control-request-method, access-control-request-headers";

function withoutCors(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith("access-control-") && name !== "vary" && value !== undefined) out[name] = value;
  }
  return out;
}

export async function startCorsProxy(target: string): Promise<CorsProxy> {
  const upstream = new URL(target);
  const preflights: Seen[] = [];
  const forwarded: Seen[] = [];
  const server = createServer((req, res) => {
    const seen = { method: req.method ?? "", path: req.url ?? "", headers: req.headers };
    if (req.method === "OPTIONS") {
      preflights.push(seen);
      res.writeHead(200, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "*",
        "access-control-allow-headers": ALLOWED_REQUEST_HEADERS,
        vary: CORS_VARY,
        "content-length": "0",
      });
      res.end();
      return;
    }
    forwarded.push(seen);
    const headers = { ...req.headers, host: upstream.host };
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...withoutCors(answer.headers), "access-control-allow-origin": "*", vary: CORS_VARY });
      answer.pipe(res);
    });
    out.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    preflights,
    forwarded,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
