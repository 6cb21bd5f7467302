/**
 * Entry for workerd, bundled by esbuild into one ES module worker: `GET /?base=<url>&closed=<url>&label=<runtime>`
 * runs the smoke set inside the worker and answers the `SMOKE_RESULT {…}` line as text.
 */
import * as sdk from "../../dist/index.js";
import { resultLine, smoke } from "./smoke.js";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const baseUrl = url.searchParams.get("base");
    const closedUrl = url.searchParams.get("closed");
    if (!baseUrl || !closedUrl) return new Response("want ?base=&closed=", { status: 400 });
    const checks = await smoke(sdk, { baseUrl, closedUrl });
    return new Response(resultLine(url.searchParams.get("label") || "workerd", checks) + "\n", { headers: { "content-type": "text/plain" } });
  },
};
