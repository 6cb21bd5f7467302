/**
 * A local HTTP server for fault tests: 127.0.0.1, a free port, every request recorded (raw URL,
 * headers, body, arrival time) before the test's handler decides how to answer, or not to.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";

export interface Received {
  method: string;
  /** The request target exactly as it arrived (still percent-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the request's headers arrived. */
  at: number;
}

export type Handler = (req: Received, res: ServerResponse, raw: IncomingMessage) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  received: Received[];
  /** Requests that carried this `x-case` header (tests that run many cases at once tag them). */
  count(caseId: string): number;
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(handler: Handler = (_req, res) => res.end()): Promise<TestServer> {
  let current = handler;
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer({ keepAlive: true }, (raw, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    raw.on("data", (c: Buffer) => chunks.push(c));
    raw.on("error", () => {});
    raw.on("end", () => {
      const req: Received = { method: raw.method ?? "", url: raw.url ?? "", headers: raw.headers, body: Buffer.concat(chunks).toString(), at };
      received.push(req);
      current(req, res, raw);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 2048 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    count: (caseId) => received.filter((r) => r.headers["x-case"] === caseId).length,
    handle: (h) => void (current = h),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that answers each connection's first bytes with `answer`, bytes as given (no HTTP server would send them), then closes it. */
export async function rawServer(answer: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.once("data", () => socket.end(answer));
  });
  await new Promise<void>((done) => tcp.listen(0, "127.0.0.1", done));
  const { port } = tcp.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => done());
      }),
  };
}

// --- faults, as handlers

/** Drops the connection with a TCP reset before any response byte. */
export const resetBeforeHeaders: Handler = (_req, res) => void res.socket?.resetAndDestroy();

/** Closes the connection cleanly (FIN) before any response byte. */
export const closeBeforeHeaders: Handler = (_req, res) => void res.socket?.destroy();

/** Sends a 200 promising 1000 bytes of JSON, then resets the connection after a few. */
export const resetMidBody: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
  res.write('{"names":["a', () => setTimeout(() => res.socket?.resetAndDestroy(), 20));
};

/** Never answers: the socket stays open until the server closes. */
export const silent: Handler = () => {};

/** Sends the headers of a 200, then never the body. */
export const stallAfterHeaders: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
  res.flushHeaders();
};

export const status =
  (code: number, headers: Record<string, string> = {}, body = ""): Handler =>
  (_req, res) => {
    res.writeHead(code, headers);
    res.end(body);
  };

/** `GET …/names` answered as the server does (the Go check validates it against the spec). */
export const namesOk = status(200, { "content-type": "application/json" }, '{"names":["quickstart-chat"]}');

/** Answers each request in turn from `handlers`, repeating the last one. */
export function sequence(...handlers: Handler[]): Handler {
  let n = 0;
  return (req, res, raw) => handlers[Math.min(n++, handlers.length - 1)]!(req, res, raw);
}
