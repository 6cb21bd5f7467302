/**
 * `<runtime> probe.cjs <baseUrl> <closedUrl> <workDir>` in a fresh project: REQUIRES the installed
 * package's three entries by name (the runtime's `require` conditions pick the build) and runs
 * user-checks.js (an ES module, loaded with import()) on them; prints one `PROBE_RESULT {…}` line.
 */
const g = globalThis;
const [baseUrl, closedUrl, workDir] = g.Deno ? g.Deno.args : process.argv.slice(2);
const entries = {
  main: require("spacetimedb-http"),
  node: require("spacetimedb-http/node"),
  codegen: require("spacetimedb-http/codegen"),
};
const resolved = {
  main: require.resolve("spacetimedb-http"),
  node: require.resolve("spacetimedb-http/node"),
  codegen: require.resolve("spacetimedb-http/codegen"),
};
import("./user-checks.js").then(({ probe }) => probe({ system: "require", entries, resolved, urls: { baseUrl, closedUrl, workDir } }));
