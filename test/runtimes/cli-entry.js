/**
 * Entry for Node, Bun and Deno: `<runtime> cli-entry.js <baseUrl> <closedUrl>` imports the BUILT
 * package, runs the smoke set and prints one `SMOKE_RESULT {…}` line. Exit code 0 even when a check
 * fails: the line says which.
 */
import * as sdk from "../../dist/index.js";
import { resultLine, smoke } from "./smoke.js";

const g = globalThis;
const args = g.Deno ? g.Deno.args : g.process.argv.slice(2);
const runtime = g.Deno
  ? `deno ${g.Deno.version.deno}`
  : g.Bun
    ? `bun ${g.Bun.version}`
    : `node ${g.process.versions.node}`;
const [baseUrl, closedUrl] = args;
const checks = await smoke(sdk, { baseUrl, closedUrl });
console.log(resultLine(runtime, checks));
