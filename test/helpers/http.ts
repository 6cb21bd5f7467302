/**
 * Send a built request to a server and read the whole answer, always bounded by a timeout
 * (Prism hangs on a JSON body that does not parse).
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { randomBytes } from "node:crypto";
import type { BuiltRequest } from "./requests.js";

export interface RawResponse {
  status: number;
  /** Lowercase header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array;
  text: string;
  /** Only for handshakes: whether the connection actually switched protocols. */
  upgraded?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 8_000;

export async function send(
  baseUrl: string,
  req: BuiltRequest,
  extraHeaders: Record<string, string> = {},
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<RawResponse> {
  const res = await fetch(baseUrl + req.pathAndQuery, {
    method: req.method,
    headers: { ...req.headers, ...extraHeaders },
    body: req.body as BodyInit | undefined,
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = new Uint8Array(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => (headers[key] = value));
  return { status: res.status, headers, body, text: new TextDecoder().decode(body) };
}

function flatten(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** The headers of a browser-like WebSocket handshake (RFC 6455 §4.1) with one subprotocol. */
export function websocketHandshakeHeaders(protocol: string): Record<string, string> {
  return {
    Connection: "Upgrade",
    Upgrade: "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
    "Sec-WebSocket-Protocol": protocol,
  };
}

/**
 * Send a WebSocket handshake (a GET with upgrade headers) with `node:http`, which `fetch` cannot
 * do, and report the answer: a `101` that switched (`upgraded: true`, the socket is closed at
 * once) or an ordinary response with its body.
 */
export function sendHandshake(
  baseUrl: string,
  req: BuiltRequest,
  extraHeaders: Record<string, string>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl + req.pathAndQuery);
    const r = httpRequest(url, {
      method: req.method,
      headers: { ...req.headers, ...extraHeaders },
      signal: AbortSignal.timeout(timeoutMs),
      agent: false,
    });
    r.on("upgrade", (res, socket, head) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: head, text: head.toString(), upgraded: true });
    });
    r.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body, text: body.toString(), upgraded: false });
      });
    });
    r.on("error", reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}
