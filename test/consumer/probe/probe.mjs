/**
 * `<runtime> probe.mjs <baseUrl> <closedUrl> <workDir>` in a fresh project: IMPORTS the installed
 * package's three entries by name (the runtime's own export conditions pick the build) and runs
 * user-checks.js on them; prints one `PROBE_RESULT {…}` line. Exit code 0 even when a check fails.
 */
import { probe } from "./user-checks.js";

const g = globalThis;
const [baseUrl, closedUrl, workDir] = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const entries = {
  main: await import("spacetimedb-http"),
  node: await import("spacetimedb-http/node"),
  codegen: await import("spacetimedb-http/codegen"),
};
const resolved = {
  main: import.meta.resolve("spacetimedb-http"),
  node: import.meta.resolve("spacetimedb-http/node"),
  codegen: import.meta.resolve("spacetimedb-http/codegen"),
};
await probe({ system: "import", entries, resolved, urls: { baseUrl, closedUrl, workDir } });
