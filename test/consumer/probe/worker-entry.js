/**
 * Entry for workerd, bundled by esbuild from a fresh project (conditions `workerd`, `worker`,
 * `browser`, as wrangler bundles) into one ES module worker. `GET /?base=<url>&closed=<url>&label=<runtime>`
 * runs the smoke set and the upload check inside the worker on "spacetimedb-http" imported by name,
 * and answers the `SMOKE_RESULT {…}` line as text.
 */
import * as sdk from "spacetimedb-http";
import { resultLine, smoke } from "./smoke.js";
import { uploadRedirectMode, uploads } from "./user-checks.js";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const baseUrl = url.searchParams.get("base");
    const closedUrl = url.searchParams.get("closed");
    if (!baseUrl || !closedUrl) return new Response("want ?base=&closed=", { status: 400 });
    const checks = [...(await smoke(sdk, { baseUrl, closedUrl })), ...(await uploads({ main: sdk }, { baseUrl }, uploadRedirectMode()))];
    return new Response(resultLine(url.searchParams.get("label") || "workerd", checks) + "\n", { headers: { "content-type": "text/plain" } });
  },
};
