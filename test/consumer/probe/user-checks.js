/**
 * What a user of the INSTALLED package checks by hand, in whatever runtime runs this file (Node, Bun,
 * Deno; workerd runs `uploads` only): plain JavaScript that imports only smoke.js (and, lazily, the
 * runtime's `node:util` and `node:fs`), so one file serves every runtime and both module systems
 * (`probe.mjs` imports the entries, `probe.cjs` requires them; both hand the modules to `probe()`).
 *
 * Every check resolves to `{ name, ok, detail? }`; a throw is a failed check, never a crash. A token
 * never appears in a detail (it is shown as «TOKEN»), so a failing check does not print what it guards.
 */
import { collector, MODULE_BYTES, smoke } from "./smoke.js";

/** The canned server's credentials (see server.ts): each must stay out of whatever a person sees. */
export const BEARER_TOKEN = "bearer-CONSUMER-0f1e2d3c4b5a";
export const IDENTITY_TOKEN = "identity-CONSUMER-9a8b7c6d5e4f";
export const HEADER_TOKEN = "header-CONSUMER-a1b2c3d4e5f6";
export const TOKENS = [BEARER_TOKEN, IDENTITY_TOKEN, HEADER_TOKEN];
export const NEW_IDENTITY = `c200${"ab".repeat(30)}`;
/** The database whose GET answers 403 with the request's Authorization header in its body. */
export const ECHO_DB = "echo-token";
export const PROBE_PREFIX = "PROBE_RESULT ";
/** The probe prints each shown value after such a line, so the test can read what console.log printed. */
export const SHOWN_PREFIX = "CONSOLE_LOG ";

const g = globalThis;
const hide = (text) => TOKENS.reduce((t, token) => t.split(token).join("«TOKEN»"), String(text));
const leaked = (text) => TOKENS.some((token) => String(text).includes(token));
const describeError = (r) => (r && r.ok === false ? `${r.error.kind}${r.error.status ? ` ${r.error.status}` : ""}: ${hide(r.error.message)}` : hide(JSON.stringify(r)));

const collectChecks = () => collector(hide);
/** A global as held (its getter or its value), read without calling a getter. */
const held = (key) => {
  const d = Object.getOwnPropertyDescriptor(g, key);
  return d && ("get" in d ? d.get : d.value);
};

/**
 * How this runtime shows a value to a person: Node's util.inspect everywhere, and the runtime's own
 * inspector; `plain` marks the views console.log gives (not showHidden, which asks for more).
 */
async function inspectors() {
  const util = await import("node:util");
  const list = [
    { how: "util.inspect", show: (v) => util.inspect(v), plain: true },
    { how: "util.inspect (depth: Infinity)", show: (v) => util.inspect(v, { depth: Infinity }), plain: true },
  ];
  if (g.Deno) list.push({ how: "Deno.inspect", show: (v) => g.Deno.inspect(v, { depth: 20 }), plain: true });
  else if (g.Bun) list.push({ how: "Bun.inspect", show: (v) => g.Bun.inspect(v, { depth: 20 }), plain: true });
  else list.push({ how: "util.inspect (showHidden: true)", show: (v) => util.inspect(v, { depth: Infinity, showHidden: true }), plain: false });
  return list;
}

/** The results a person would log: a new identity, a result carrying `meta.token`, an error that echoed the token. */
async function results(sdk, baseUrl) {
  const anonymous = sdk.createClient({ baseUrl, retries: 0 });
  const identity = await anonymous.createIdentity();
  const published = await anonymous.publishNewDatabase(new Uint8Array(MODULE_BYTES));
  const failed = await sdk.createClient({ baseUrl, retries: 0, token: BEARER_TOKEN }).getDatabase(ECHO_DB);
  const plain = await anonymous.getDatabase("quickstart-chat");
  return { identity, published, failed, plain };
}

/** `calls`: the package's three entries make real calls; the client prints nothing and leaves no token behind. */
async function calls(entries, urls) {
  const { checks, check } = collectChecks();
  const printed = [];
  const saved = {};
  for (const method of ["log", "info", "warn", "error", "debug", "trace"]) {
    saved[method] = console[method];
    console[method] = (...args) => printed.push(`console.${method}(${hide(args.map(String).join(" "))})`);
  }
  // Node's own fetch sets its global dispatcher (a symbol on globalThis) the first time anything
  // makes a Request, so the user's process has it before any call of ours: made here first, the check
  // below sees only what the package adds, and whether it swapped the dispatcher or fetch.
  new Request("http://localhost/");
  const globalsBefore = new Set(Reflect.ownKeys(g));
  const watched = ["fetch", ...Object.getOwnPropertySymbols(g).filter((s) => String(s).includes("globalDispatcher"))];
  const heldBefore = watched.map((k) => held(k));
  try {
    checks.push(...(await smoke(entries.main, urls)));

    await check("with a token: sent as Authorization: Bearer, createIdentity sends none", async () => {
      let asked = 0;
      const client = entries.main.createClient({ baseUrl: urls.baseUrl, retries: 0, token: () => (asked++, BEARER_TOKEN) });
      for (const r of [await client.getDatabase("quickstart-chat"), await client.sql("quickstart-chat", "SELECT * FROM message"), await client.createIdentity()]) {
        if (!r.ok) return describeError(r);
      }
      // The server answers 400 to a wrong or misplaced credential (server.ts); the token function runs per request.
      return asked >= 2 || `the token function ran ${asked} times for 2 authenticated calls`;
    });

    await check("spacetimedb-http/node: fromFile and fromReadable publish a module", async () => {
      const fs = await import("node:fs");
      const path = `${urls.workDir}/module-${Math.random().toString(36).slice(2)}.wasm`;
      fs.writeFileSync(path, new Uint8Array(MODULE_BYTES));
      const client = entries.main.createClient({ baseUrl: urls.baseUrl, retries: 0 });
      for (const body of [entries.node.fromFile(path), entries.node.fromReadable(fs.createReadStream(path))]) {
        const r = await client.publishDatabase("quickstart-chat", body);
        if (!r.ok) return describeError(r);
      }
      return true;
    });

    await check("spacetimedb-http/codegen: generate() from the schema the client fetched", async () => {
      const schema = await entries.main.createClient({ baseUrl: urls.baseUrl, retries: 0 }).schema("quickstart-chat", { version: 10 });
      if (!schema.ok) return describeError(schema);
      const source = entries.codegen.generate(schema.data);
      return (typeof source === "string" && /export function connect\(/.test(source) && /export interface Message\b/.test(source)) || `generate() gave ${String(source).slice(0, 200)}`;
    });
  } finally {
    Object.assign(console, saved);
  }
  checks.push({ name: "the client printed nothing", ok: printed.length === 0, detail: printed.slice(0, 5).join("\n") || undefined });
  const added = Reflect.ownKeys(g).filter((k) => !globalsBefore.has(k));
  const swapped = watched.filter((k, i) => held(k) !== heldBefore[i]);
  const holding = Reflect.ownKeys(g).filter((k) => {
    try {
      return typeof g[k] === "string" && leaked(g[k]);
    } catch {
      return false;
    }
  });
  checks.push({
    name: "no global was added, swapped or holds a token",
    ok: added.length === 0 && swapped.length === 0 && holding.length === 0,
    detail: `added ${added.map(String).join(", ") || "none"}; swapped ${swapped.map(String).join(", ") || "none"}; holding a token: ${holding.map(String).join(", ") || "none"}`,
  });
  return checks;
}

/** `inspection`: console.log / util.inspect / Bun.inspect / Deno.inspect of results never show a token. */
async function inspection(entries, urls) {
  const { checks, check } = collectChecks();
  const r = await results(entries.main, urls.baseUrl);
  const shown = [
    ["createIdentity() result", r.identity],
    ["createIdentity() data", r.identity.data],
    ["a result with meta.token", r.published],
    ["its meta", r.published.meta],
    ["an error result (the server echoed the token)", r.failed],
    ["its error", r.failed.error],
  ];
  await check("the results to show are what they should be", () => {
    if (!r.identity.ok) return `createIdentity: ${describeError(r.identity)}`;
    if (!r.published.ok) return `publishNewDatabase: ${describeError(r.published)}`;
    if (r.failed.ok || r.failed.error.status !== 403) return `getDatabase("${ECHO_DB}") should fail 403: ${describeError(r.failed)}`;
    return r.plain.ok || `getDatabase: ${describeError(r.plain)}`;
  });
  for (const { how, show, plain } of await inspectors()) {
    for (const [what, value] of shown) {
      await check(`${how} of ${what} shows no token`, () => {
        const text = show(value);
        return !leaked(text) || `shows: ${text}`;
      });
    }
    // README: "console.log(result) shows ok, data and meta: { status, identity }"; headers when asked for.
    if (plain) await check(`${how} of a result shows meta.status, not meta.headers`, () => {
      const text = show(r.plain);
      return (/status/.test(text) && !/headers/.test(text)) || `shows: ${text}`;
    });
  }
  await check("String() and JSON.stringify() of an error result and its error show no token", () => {
    const texts = [String(r.failed.error), JSON.stringify(r.failed), JSON.stringify(r.failed.error), r.failed.error.message, String(r.failed.error.body)];
    return !texts.some(leaked) || `shows: ${texts.join(" | ")}`;
  });
  // What console.log itself prints goes to stdout, where the test looks for the tokens.
  for (const [what, value] of shown) {
    console.log(`${SHOWN_PREFIX}${what}`);
    console.log(value);
  }
  return checks;
}

/** `copies`: copies of what the user asked for keep the token; a whole result's JSON does not show it. */
async function copies(entries, urls) {
  const { checks, check } = collectChecks();
  const { identity, published } = await results(entries.main, urls.baseUrl);
  if (!identity.ok) return [{ name: "createIdentity", ok: false, detail: describeError(identity) }];
  if (!published.ok) return [{ name: "publishNewDatabase", ok: false, detail: describeError(published) }];
  const has = (text) => String(text).includes(IDENTITY_TOKEN);
  await check("createIdentity: data.token is readable", () => identity.data.token === IDENTITY_TOKEN || `data.token is ${typeof identity.data.token}`);
  await check("createIdentity: JSON.stringify(result.data) keeps data.token", () => has(JSON.stringify(identity.data)) || `gives ${JSON.stringify(identity.data)}`);
  await check("createIdentity: { ...result.data } keeps data.token", () => ({ ...identity.data }).token === IDENTITY_TOKEN || `gives ${JSON.stringify(Object.keys({ ...identity.data }))}`);
  await check("createIdentity: structuredClone(result.data) keeps data.token", () => structuredClone(identity.data).token === IDENTITY_TOKEN || `gives keys ${JSON.stringify(Object.keys(structuredClone(identity.data)))}`);
  await check('createIdentity: JSON.stringify(result) shows data.token as "[redacted]"', () => {
    const text = JSON.stringify(identity);
    return (!has(text) && /"token":"\[redacted\]"/.test(text)) || `gives ${text}`;
  });
  await check("an anonymous call that mints an identity: meta.identity names it", () => published.meta.identity === NEW_IDENTITY || `meta.identity is ${published.meta.identity}`);
  await check("meta.token: readable, not enumerable, not in JSON.stringify(result)", () => {
    if (published.meta.token !== HEADER_TOKEN) return `meta.token is ${typeof published.meta.token}`;
    if (Object.keys(published.meta).includes("token")) return `Object.keys(meta) is ${JSON.stringify(Object.keys(published.meta))}`;
    const text = JSON.stringify(published);
    return !text.includes(HEADER_TOKEN) || `JSON.stringify(result) gives ${text}`;
  });
  await check("meta.headers never holds spacetime-identity-token", () => {
    const headers = published.meta.headers ?? {};
    return !Object.keys(headers).some((k) => k.toLowerCase() === "spacetime-identity-token") || `headers ${JSON.stringify(Object.keys(headers))}`;
  });
  return checks;
}

/** `uploads`: a streamed publish through an injected fetch; which redirect mode the SDK asks this runtime for. */
export async function uploads(entries, urls, expectedMode) {
  const { checks, check } = collectChecks();
  await check(`an injected fetch is used as given; a streamed publish asks it for redirect: "${expectedMode}"`, async () => {
    const modes = [];
    const fetch = (input, init) => {
      modes.push((init && init.redirect) || (input && input.redirect));
      return g.fetch(input, init);
    };
    const client = entries.main.createClient({ baseUrl: urls.baseUrl, retries: 0, fetch });
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array(MODULE_BYTES));
        controller.close();
      },
    });
    const r = await client.publishDatabase("quickstart-chat", body);
    if (!r.ok) return describeError(r);
    if (modes.length !== 1) return `the injected fetch was called ${modes.length} times`;
    return modes[0] === expectedMode || `the upload was sent with redirect: ${JSON.stringify(modes[0])} (Node's fetch tees the whole body for any mode but "error")`;
  });
  return checks;
}

/** The redirect mode an upload must use here: "manual" only on workerd, which refuses "error". */
export const uploadRedirectMode = () => (g.navigator && g.navigator.userAgent === "Cloudflare-Workers" ? "manual" : "error");

/**
 * Runs every group on the given entries and prints one `PROBE_RESULT {…}` line.
 * @param {{ system: "import" | "require", entries: { main: any, node: any, codegen: any }, resolved: Record<string, string>, urls: { baseUrl: string, closedUrl: string, workDir: string } }} probe
 */
export async function probe({ system, entries, resolved, urls }) {
  const runtime = g.Deno ? `deno ${g.Deno.version.deno}` : g.Bun ? `bun ${g.Bun.version}` : `node ${g.process.versions.node}`;
  const exports = Object.fromEntries(Object.entries(entries).map(([name, mod]) => [name, Object.keys(mod).sort()]));
  const groups = {};
  const run = { calls, inspection, copies, uploads: (e, u) => uploads(e, u, uploadRedirectMode()) };
  for (const [name, group] of Object.entries(run)) {
    try {
      groups[name] = await group(entries, urls);
    } catch (e) {
      groups[name] = [{ name: `${name} (the group itself)`, ok: false, detail: `threw ${hide(e && e.stack ? e.stack : e)}` }];
    }
  }
  console.log(PROBE_PREFIX + JSON.stringify({ runtime, system, resolved, exports, groups }));
}
