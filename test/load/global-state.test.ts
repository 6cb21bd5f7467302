/**
 * A library must not change its user's process: importing any entry, and making a first call with
 * the client entries, leaves the global `fetch` as it was and never installs undici's own Agent as
 * the global dispatcher (the symbol Node's own `fetch` reads). Each case is a fresh Node process
 * (test/helpers/global-state-probe.mjs) importing the sources; the consumer tier does the same with
 * the packed package (test/consumer/package.test.ts).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE } from "../helpers/fake-fetch.js";
import { sendJson, startServer, type LocalServer } from "../helpers/local-server.js";

const exec = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const probe = fileURLToPath(new URL("../helpers/global-state-probe.mjs", import.meta.url));
const ENTRIES = { "the universal build": "src/index.ts", "the Node build": "src/index.node.ts", "spacetimedb-http/node": "src/node.ts", "spacetimedb-http/codegen": "src/codegen/index.ts" };
const withClient = new Set(["src/index.ts", "src/index.node.ts"]);

let server: LocalServer;
beforeAll(async () => (server = await startServer((_req, res) => sendJson(res, 200, DATABASE))));
afterAll(() => server.close());

/** Runs a script in a fresh Node that loads TypeScript sources (tsx), from the repository's root. */
const node = async (args: string[]) => (await exec(process.execPath, ["--import", "tsx", ...args], { cwd: root, timeout: 60_000 })).stdout.trim();

describe("importing an entry (and a first call) leaves the process's globals as they were", () => {
  for (const [name, file] of Object.entries(ENTRIES)) {
    it(name, { timeout: 60_000 }, async () => {
      const out = JSON.parse(await node([probe, `${root}${file}`, "import", ...(withClient.has(file) ? [server.url] : [])])) as Record<string, unknown>;
      expect(out).toEqual({ called: withClient.has(file) ? true : null, fetchUnchanged: true, undiciAgentInstalled: [] });
    });
  }
});

it("when undici's files are not where the Node transport imports them from, it loads undici's main entry and restores the global dispatcher", { timeout: 60_000 }, async () => {
  const script = `
    const { loadUndici } = await import(${JSON.stringify(`${root}src/transport/undici-parts.ts`)});
    const symbols = [Symbol.for("undici.globalDispatcher.1"), Symbol.for("undici.globalDispatcher.2")];
    const parts = await loadUndici(() => Promise.reject(new Error("Cannot find module 'undici/lib/dispatcher/agent.js'")));
    const res = await parts.request.call(parts.agent, { origin: ${JSON.stringify(server.url)}, path: "/v1/database/x", method: "GET" });
    await res.body.dump();
    await parts.agent.close();
    console.log(JSON.stringify({ status: res.statusCode, dispatchers: symbols.map((s) => globalThis[s] ?? null) }));`;
  expect(JSON.parse(await node(["--input-type=module", "-e", script]))).toEqual({ status: 200, dispatchers: [null, null] });
});

it("the Node build given a `fetch` never loads undici (README: the cold-start choice); without one, it loads undici's files by path", { timeout: 60_000 }, async () => {
  const script = `
    import { createRequire } from "node:module";
    const { createClient } = await import(${JSON.stringify(`${root}src/index.node.ts`)});
    const injected = await createClient({ baseUrl: ${JSON.stringify(server.url)}, retries: 0, fetch: globalThis.fetch }).getDatabase("x");
    const undiciFiles = () => Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes("/node_modules/undici/"));
    const before = undiciFiles().length;
    const own = await createClient({ baseUrl: ${JSON.stringify(server.url)}, retries: 0 }).getDatabase("x");
    const after = undiciFiles();
    // By path: the Agent's file, not the package's main entry (index.js, which loads lib/global.js).
    const loaded = ["lib/dispatcher/agent.js", "lib/global.js"].map((f) => after.some((file) => file.endsWith("/node_modules/undici/" + f)));
    console.log(JSON.stringify({ ok: [injected.ok, own.ok], undiciFiles: [before, after.length > 0], loaded }));`;
  expect(JSON.parse(await node(["--input-type=module", "-e", script]))).toEqual({ ok: [true, true], undiciFiles: [0, true], loaded: [true, false] });
});
