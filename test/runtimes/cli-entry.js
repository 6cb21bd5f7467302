/**
 * Entry for Node, Bun and Deno: `<runtime> cli-entry.js <dist|package> <baseUrl> <closedUrl>` runs the
 * smoke set on the BUILT package — `dist` imports dist/index.js itself; `package` imports
 * "spacetimedb-http" by name (the package's self-reference), so the runtime's own export conditions
 * pick the build — and prints one `SMOKE_RESULT {…}` line. Exit code 0 even when a check fails:
 * the line says which.
 */
import { resultLine, smoke } from "./smoke.js";

const g = globalThis;
const args = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const runtime = g.Deno ? `deno ${g.Deno.version.deno}` : g.Bun ? `bun ${g.Bun.version}` : `node ${g.process.versions.node}`;
const [mode, baseUrl, closedUrl] = args;
const sdk = mode === "package" ? await import("spacetimedb-http") : await import("../../dist/index.js");
const resolved = mode === "package" ? import.meta.resolve("spacetimedb-http") : import.meta.resolve("../../dist/index.js");
const checks = await smoke(sdk, { baseUrl, closedUrl });
console.log(resultLine(runtime, checks, resolved));
