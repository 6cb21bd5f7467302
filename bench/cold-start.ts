/**
 * Cold start: a fresh Node process imports the SDK (bundled as it ships) and makes its first call,
 * against a fresh process making the same first call with raw fetch. Time from process start to
 * the answer, alternating rounds, medians.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { alternate, medians, mergeResults, round } from "./harness.js";

const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-cold-"));
const bundle = join(dir, "spacetimedb-http.mjs");
await build({ entryPoints: ["src/index.ts"], bundle: true, format: "esm", platform: "node", outfile: bundle, external: ["openapi-fetch"], logLevel: "silent" });

const server = createServer((_req, res) => res.writeHead(200).end());
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const scripts = {
  rawFetch: `await fetch("${url}/v1/ping"); console.log(performance.now());`,
  sdk: `const { createClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)}); const r = await createClient({ baseUrl: "${url}" }).ping(); if (!r.ok) process.exit(1); console.log(performance.now());`,
};
for (const [name, code] of Object.entries(scripts)) await writeFile(join(dir, `${name}.mjs`), code);

/** Runs a script in a fresh node (asynchronously: this process serves its requests). */
const run = (name: string) => () =>
  new Promise<{ ms: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(dir, `${name}.mjs`)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ms: Number(out.trim()) });
      else reject(new Error(`${name} exited with ${code}`));
    });
  });
const samples = await alternate({ rawFetch: run("rawFetch"), sdk: run("sdk") }, { warmup: 2, rounds: 15 });
server.close();
const raw = medians(samples.rawFetch).ms!;
const sdk = medians(samples.sdk).ms!;
console.table([
  { variant: "raw fetch: process start → first answer", ms: round(raw, 1) },
  { variant: "SDK: process start → import → first answer", ms: round(sdk, 1), ratio: round(sdk / raw, 3) },
]);
mergeResults("cold-start", { rawFetchMs: round(raw, 1), sdkMs: round(sdk, 1), ratio: round(sdk / raw, 3) });
