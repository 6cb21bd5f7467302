/**
 * What importing (or requiring) one entry of the package does to the process's globals: prints, as
 * one JSON line, whether the global `fetch` and undici's global-dispatcher symbols are as they were,
 * and whether a symbol now holds undici's own Agent (the package's copy: what must never be there).
 * An entry with `createClient` makes one call first (the Node build loads undici on its first call).
 *
 *   node [--import tsx] global-state-probe.mjs <entry> <import|require> [baseUrl]
 *
 * Run from the project whose `undici` the entry uses (it is required from the working directory).
 */
import { createRequire } from "node:module";
import { join } from "node:path";

const [entry, how, baseUrl] = process.argv.slice(2);
const SYMBOLS = ["undici.globalDispatcher.1", "undici.globalDispatcher.2"];
/** A global as held (its getter or its value), read without calling a getter. */
const held = (key) => {
  const d = Object.getOwnPropertyDescriptor(globalThis, key);
  return d && ("get" in d ? d.get : d.value);
};
const keys = ["fetch", ...SYMBOLS.map((name) => Symbol.for(name))];
const before = keys.map(held);

const require = createRequire(join(process.cwd(), "package.json"));
const sdk = how === "require" ? require(entry) : await import(entry);
let called = null;
if (baseUrl && typeof sdk.createClient === "function") {
  const result = await sdk.createClient({ baseUrl, retries: 0 }).getDatabase("quickstart-chat");
  called = result.ok || result.error.message;
}
const after = keys.map(held);

const { Agent } = require("undici"); // only now: undici's own entry installs its Agent where none is set
console.log(
  JSON.stringify({
    called,
    fetchUnchanged: before[0] === after[0],
    undiciAgentInstalled: SYMBOLS.filter((_, i) => after[i + 1] instanceof Agent),
  }),
);
