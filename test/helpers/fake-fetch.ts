/** An injected fetch that records every request and answers from a script. */
import type { FetchLike } from "../../src/index.js";

export interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Reply = Response | ((request: Sent, signal: AbortSignal | undefined) => Response | Promise<Response>);

export function fakeFetch(...replies: Reply[]): FetchLike & { sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const req = input instanceof Request ? input : undefined;
    const headers: Record<string, string> = {};
    new Headers(req ? req.headers : init.headers).forEach((value, key) => (headers[key] = value));
    const rawBody = req ? req.body : init.body;
    const body = rawBody === undefined || rawBody === null ? undefined : await new Response(rawBody).text();
    const request: Sent = { url: req ? req.url : String(input), method: req?.method ?? init.method ?? "GET", headers, body };
    sent.push(request);
    const reply = replies[Math.min(sent.length - 1, replies.length - 1)];
    if (reply === undefined) throw new Error("fakeFetch: no reply scripted");
    const signal = req?.signal ?? init.signal ?? undefined;
    const response = typeof reply === "function" ? await reply(request, signal) : reply.clone();
    return response;
  };
  return Object.assign(fetch, { sent });
}

export const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json", ...headers } });

export const text = (value: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(value, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });

export const empty = (status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : "", { status, headers });

/** A reply that never comes: it only ends (with an AbortError) when the request's signal aborts. */
export const hang: Reply = (_request, signal) =>
  new Promise<Response>((_resolve, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason ?? new DOMException("aborted", "AbortError")));
  });

export const IDENTITY = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";

/** A `getDatabase` answer: a Wasm database that IDENTITY both is and owns. */
export const DATABASE = { database_identity: { __identity__: `0x${IDENTITY}` }, owner_identity: { __identity__: `0x${IDENTITY}` }, host_type: { Wasm: [] }, initial_program: "0x00" };

/** A v9 module with one reducer, `send_message(text: String)`: a schema answer, or a `moduleDef`. */
export const SCHEMA_V9 = {
  typespace: { types: [] },
  tables: [],
  reducers: [{ name: "send_message", params: { elements: [{ name: { some: "text" }, algebraic_type: { String: [] } }] }, lifecycle: { none: [] } }],
  types: [],
  misc_exports: [],
  row_level_security: [],
};
