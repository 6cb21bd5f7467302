/**
 * The two parts of undici the Node transport uses, its `Agent` and `request()`, loaded on the first
 * request without undici's side effect on the process.
 *
 * undici's main entry (index.js, through lib/global.js) installs an Agent of its own as the process's
 * global dispatcher when none is set yet: the symbol `undici.globalDispatcher.1`, which Node's own
 * `fetch` reads too, so a user's `fetch` calls would run on our undici. A library must not change
 * global state. Both ways out were measured (Node 20, loading alone, as on a first call, after
 * openapi-fetch has loaded Node's own undici; fresh processes):
 *  - the two files by path, `lib/dispatcher/agent.js` and `lib/api/api-request.js`: 11.5 ms with
 *    `require` (undici is CommonJS), 14–16 ms with `import()`, which also starts Node's scanner of
 *    CommonJS exports; nothing global is touched;
 *  - the whole package, then the symbols put back as they were: 40 ms, and an Agent made for nothing
 *    (and for a moment, the global dispatcher is undici's).
 * By path with `require` is the one used. undici's `lib/` is not its public API, though, and
 * `undici` is a `^7` range: should a 7.x move one of those files (or add an exports map), or an app
 * be bundled without node_modules beside it, the whole package is loaded instead (a literal
 * `import()`, which bundlers follow), with the symbols restored. That may cost start-up time, never
 * a broken import or a changed global. Loading on the first request (not at import) means an import
 * that makes no call loads none of undici.
 */
import { createRequire } from "node:module";
import type { Agent as AgentClass, Dispatcher } from "undici";

export interface UndiciParts {
  readonly agent: AgentClass;
  /** undici's `Dispatcher#request`, called with the agent as `this`. */
  readonly request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
}

type Load = () => Promise<{ Agent: typeof AgentClass; request: UndiciParts["request"] }>;

/**
 * The two files by path, with a `require` made for this file. (No bare `require`: esbuild would turn
 * it into a shim that throws in ES modules. In the CommonJS build, tsup's `import.meta.url` is
 * `file:` + the path unencoded, so under a folder named with `#` or `%` the files are looked for
 * elsewhere, and then the whole package is loaded.)
 */
const byPath: Load = async () => {
  const load = createRequire(import.meta.url);
  return { Agent: load("undici/lib/dispatcher/agent.js"), request: load("undici/lib/api/api-request.js") };
};

/** The global dispatcher's symbols: the one Node's fetch reads, and undici 7's own. */
const GLOBAL_DISPATCHER = [Symbol.for("undici.globalDispatcher.1"), Symbol.for("undici.globalDispatcher.2")];

/** The whole package, with the global dispatcher put back as it was (undici defines it writable). */
export const wholePackage: Load = async () => {
  const global = globalThis as Record<symbol, unknown>;
  const before = GLOBAL_DISPATCHER.map((symbol) => global[symbol]);
  const undici = await import("undici");
  GLOBAL_DISPATCHER.forEach((symbol, i) => {
    if (global[symbol] !== before[i]) global[symbol] = before[i];
  });
  return { Agent: undici.Agent, request: undici.Dispatcher.prototype.request as UndiciParts["request"] };
};

/** undici's parts: by path, or the whole package when a path is gone. `load` is for tests. */
export async function loadUndici(load: Load = byPath, fallback: Load = wholePackage): Promise<UndiciParts> {
  let parts: Awaited<ReturnType<Load>>;
  try {
    parts = await load();
    if (typeof parts.Agent !== "function" || typeof parts.request !== "function") throw new TypeError("undici's files changed");
  } catch {
    parts = await fallback();
  }
  return { agent: new parts.Agent(), request: parts.request };
}
