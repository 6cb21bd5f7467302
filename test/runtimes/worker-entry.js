/**
 * Entry for workerd, bundled by esbuild (conditions `workerd`, `worker`, `browser`, as wrangler
 * bundles) into one ES module worker. `GET /?mode=<dist|package>&base=<url>&closed=<url>&label=<runtime>`
 * runs the smoke set inside the worker on dist/index.js itself or on "spacetimedb-http" by name,
 * and answers the `SMOKE_RESULT {…}` line as text.
 */
import * as dist from "../../dist/index.js";
import * as byName from "spacetimedb-http";
import { resultLine, smoke } from "./smoke.js";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const baseUrl = url.searchParams.get("base");
    const closedUrl = url.searchParams.get("closed");
    if (!baseUrl || !closedUrl) return new Response("want ?mode=&base=&closed=", { status: 400 });
    const checks = await smoke(url.searchParams.get("mode") === "package" ? byName : dist, { baseUrl, closedUrl });
    return new Response(resultLine(url.searchParams.get("label") || "workerd", checks) + "\n", { headers: { "content-type": "text/plain" } });
  },
};
