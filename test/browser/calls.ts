/**
 * The SDK calls the browser test makes. The same function runs in the page (bundled with esbuild)
 * and in Node, so the test compares the two instead of hard-coding answers: only what CORS changes
 * may differ. Runs in browsers: no `node:` imports. Everything returned is JSON.
 */
import { createClient, type Result } from "../../src/index.js";

export interface Report {
  ok: boolean;
  status: number | null;
  /** A JSON-safe picture of `data` (bigints as `"123n"`). */
  value?: unknown;
  kind?: string;
  /** What `meta` says about the caller's identity: readable only when the header is exposed. */
  identity: string | null;
  hasToken: boolean;
}

export const DATABASE = "quickstart-chat";
export const CUSTOM_HEADER = "x-stdb-test";
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

const jsonSafe = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? "null");

function report<T>(result: Result<T, unknown>, pick: (data: T) => unknown = (d) => d): Report {
  const meta = result.meta;
  const common = { identity: meta?.identity ?? null, hasToken: typeof meta?.token === "string" };
  if (result.ok) return { ok: true, status: result.meta.status, value: jsonSafe(pick(result.data)), ...common };
  return { ok: false, status: result.error.status ?? null, kind: result.error.kind, ...common };
}

export async function runCalls(baseUrl: string): Promise<Record<string, Report>> {
  const anonymous = createClient({ baseUrl, retries: 0, timeoutMs: 5_000 });
  const out: Record<string, Report> = {};
  out.ping = report(await anonymous.ping());
  out.pingWithCustomHeader = report(await anonymous.ping({ headers: { [CUSTOM_HEADER]: "1" } }));
  out.health = report(await anonymous.health());

  const created = await anonymous.createIdentity();
  out.createIdentity = report(created, (d) => d.identity);
  const client = createClient({ baseUrl, token: created.ok ? created.data.token : "no-token", retries: 0, timeoutMs: 5_000 });
  out.verifyIdentity = report(await client.verifyIdentity(created.ok ? created.data.identity : "0".repeat(64)));
  out.getDatabaseNames = report(await anonymous.getDatabaseNames(DATABASE));
  out.publishDatabase = report(await client.publishDatabase(DATABASE, WASM));
  out.callReducer = report(await client.callReducer(DATABASE, "send_message", ["Hello"]));
  out.sqlRows = report(await client.sqlRows(DATABASE, "SELECT * FROM message"));
  out.getDatabaseIdentity = report(await client.getDatabaseIdentity(DATABASE));

  const followed = await client.followLogs(DATABASE, { numLines: 10 });
  if (followed.ok) {
    const levels: string[] = [];
    for await (const record of followed.data) levels.push(record.level);
    out.followLogs = { ...report(followed, () => null), value: levels };
  } else {
    out.followLogs = report(followed);
  }
  return out;
}
