import { createRequire } from "node:module";
new Headers();
const require = createRequire(import.meta.url);
const mode = process.argv[2];
const t0 = performance.now();
let t1;
if (mode === "undici") {
  const Agent = require("undici/lib/dispatcher/agent.js"); const request = require("undici/lib/api/api-request.js");
  const agent = new Agent();
  t1 = performance.now();
  const res = await request.call(agent, { origin: "http://127.0.0.1:47111", path: "/v1/database/x", method: "GET", headers: { authorization: "Bearer x" } });
  await res.body.json();
} else {
  t1 = performance.now();
  const res = await fetch("http://127.0.0.1:47111/v1/database/x", { headers: { authorization: "Bearer x" } });
  await res.json();
}
const t2 = performance.now();
console.log(mode, "load", (t1 - t0).toFixed(1), "call", (t2 - t1).toFixed(1));
