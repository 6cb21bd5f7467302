/**
 * The packed package, installed into a fresh project, in every runtime and module system a user has:
 * Node 20, Node 22, Bun and Deno each `import` AND `require` the three entries by name (`probe/probe.mjs`,
 * `probe/probe.cjs`) and run `probe/user-checks.js` on them against the canned server of `server.ts`:
 *   - the build each runtime's export conditions pick;
 *   - real calls through every entry (the smoke set, fromFile/fromReadable, codegen), printing nothing;
 *   - exports exactly as the entry's .d.ts / .d.cts declares them (TypeScript compiler API);
 *   - what a person sees: console.log / util.inspect / Bun.inspect / Deno.inspect never show a token;
 *   - copies of what the user asked for (createIdentity's data) keep the token, a result's JSON does not;
 *   - streamed uploads ask fetch for the redirect mode that does not buffer the body.
 * workerd runs the smoke set and the upload check in a worker bundled from the project by esbuild with
 * wrangler's conditions. Headless Chromium is covered by test/browser.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalServer } from "../helpers/local-server.js";
import { declaredValueExports, ENTRIES, typesFile, type Entry, type ModuleSystem } from "./declared-exports.js";
import { freshProject, installed } from "./install.js";
import { RESULT_PREFIX, type SmokeCheck } from "./probe/smoke.js";
import { PROBE_PREFIX, SHOWN_PREFIX, TOKENS, type GroupName, type ProbeResult } from "./probe/user-checks.js";
import { BUN, DENO, INSTALL_RUNTIMES, isPresent, NODE20, NODE22, reportMissingRuntimes, runIn, runtimesRequired, WORKERD_BINARY } from "./runtimes.js";
import { closedUrl, freePort, startSmokeServer } from "./server.js";

const RUNTIMES = [NODE20, NODE22, BUN, DENO];
const SYSTEMS: ModuleSystem[] = ["import", "require"];
const PROBE: Record<ModuleSystem, string> = { import: "probe.mjs", require: "probe.cjs" };
reportMissingRuntimes([...RUNTIMES, { name: "workerd", binary: WORKERD_BINARY }], "consumer tests");

/**
 * The build each runtime's conditions must pick for the main entry: Node the undici build (`node`);
 * Bun and Deno the global-fetch build (`bun`/`deno`, listed before `node`). Deno's `require` does not
 * set the `deno` condition (it resolves `require` + `node`), so a CommonJS file in Deno gets the
 * Node build, whose undici transport Deno runs.
 */
const MAIN_BUILD: Record<string, Record<ModuleSystem, string>> = {
  [NODE20.name]: { import: "dist/index.node.js", require: "dist/index.node.cjs" },
  [NODE22.name]: { import: "dist/index.node.js", require: "dist/index.node.cjs" },
  [BUN.name]: { import: "dist/index.js", require: "dist/index.cjs" },
  [DENO.name]: { import: "dist/index.js", require: "dist/index.node.cjs" },
};
const OTHER_BUILDS: Record<ModuleSystem, Record<Exclude<Entry, "main">, string>> = {
  import: { node: "dist/node.js", codegen: "dist/codegen.js" },
  require: { node: "dist/node.cjs", codegen: "dist/codegen.cjs" },
};

let project = "";
/** The probe's own files (they hold the canned tokens, as the server does). */
let probeFiles = new Set<string>();
let server: LocalServer | undefined;
let closed = "";
beforeAll(async () => {
  project = await freshProject("runtimes", { type: "module" });
  await cp(join(import.meta.dirname, "probe"), project, { recursive: true, filter: (f) => !f.endsWith(".d.ts") });
  probeFiles = new Set((await readdir(join(import.meta.dirname, "probe"))).filter((f) => !f.endsWith(".d.ts")));
  server = await startSmokeServer();
  closed = await closedUrl();
}, 180_000);
afterAll(() => server?.close());

/** The installed-package-relative file a resolved specifier points at (`dist/index.js`). */
const packageRelative = (resolved: string) => decodeURIComponent(resolved.replace(/^file:\/\//, "")).replace(/^.*\/node_modules\/spacetimedb-http\//, "");

const failures = (checks: SmokeCheck[] | undefined) => (checks ?? [{ name: "(no checks reported)", ok: false }]).filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? "failed"}`);

for (const runtime of RUNTIMES) {
  const present = isPresent(runtime.binary);
  for (const system of SYSTEMS) {
    describe.runIf(present || runtimesRequired)(`${runtime.name}, ${system === "import" ? "import" : "require()"} of the installed package`, () => {
      let run: Promise<{ output: string; result?: ProbeResult }> | undefined;
      /** Runs the probe once; every test below reads its result. */
      const probe = async () => {
        expect(present, `${runtime.name} is required when CI=true but ${runtime.binary} is missing: ${INSTALL_RUNTIMES}`).toBe(true);
        run ??= runIn(runtime, PROBE[system], [server!.url, closed, project], project).then((output) => {
          const line = output.split("\n").filter((l) => l.startsWith(PROBE_PREFIX)).at(-1);
          return { output, result: line ? (JSON.parse(line.slice(PROBE_PREFIX.length)) as ProbeResult) : undefined };
        });
        const { output, result } = await run;
        expect(result, `no ${PROBE_PREFIX.trim()} line from ${runtime.name} ${PROBE[system]}:\n${output}`).toBeDefined();
        return { output, result: result! };
      };
      const group = async (name: GroupName) => {
        const { result } = await probe();
        const checks = result.groups[name] ?? [];
        expect(checks.length, `${runtime.name} ${system}: the ${name} group reported no check`).toBeGreaterThan(0);
        console.log(`${result.runtime} ${system}, ${name}: ${checks.filter((c) => c.ok).length}/${checks.length} checks passed`);
        return failures(checks);
      };

      it("loads each entry from the build its export conditions pick", async () => {
        const { result } = await probe();
        const resolved = Object.fromEntries(Object.entries(result.resolved).map(([entry, file]) => [entry, packageRelative(file)]));
        expect(resolved).toEqual({ main: MAIN_BUILD[runtime.name]![system], ...OTHER_BUILDS[system] });
      });

      it("makes real calls through every entry, prints nothing, leaves no token in a global or a file", async () => {
        expect(await group("calls")).toEqual([]);
        expect((await probe()).result.groups.calls).toHaveLength(15); // the smoke set's 10, the token, /node, /codegen, printing, globals
        // SECURITY.md: "never writes it to disk": nothing the probe's run left in the project holds a token.
        const written = (await readdir(project, { recursive: true })).filter((f) => !f.startsWith("node_modules"));
        const holding: string[] = [];
        for (const file of written) {
          const path = join(project, file);
          if ((await stat(path)).isFile() && TOKENS.some((t) => readFileSync(path).includes(t)) && !probeFiles.has(file)) holding.push(file);
        }
        expect(holding).toEqual([]);
      });

      it(`exports what each entry's ${system === "import" ? ".d.ts" : ".d.cts"} declares as values, and nothing else`, async () => {
        const { result } = await probe();
        const mismatches: string[] = [];
        for (const entry of Object.keys(ENTRIES) as Entry[]) {
          const file = typesFile(installed(project), entry, system);
          const declared = declaredValueExports(file);
          const actual = result.exports[entry] ?? [];
          const name = `spacetimedb-http${ENTRIES[entry].slice(1)}`;
          for (const missing of declared.filter((n) => !actual.includes(n))) mismatches.push(`${name}: ${missing} is declared as a value in ${packageRelative(file)} but not exported at run time`);
          for (const extra of actual.filter((n) => !declared.includes(n))) mismatches.push(`${name}: ${extra} is exported at run time but not declared as a value in ${packageRelative(file)}`);
          expect(declared.length, `${name} declares no value at all: the check would prove nothing`).toBeGreaterThan(0);
        }
        expect(mismatches).toEqual([]);
      });

      it("console.log / util.inspect / the runtime's inspector never show a token", async () => {
        const { output } = await probe();
        const failed = await group("inspection");
        // What console.log printed (after each SHOWN_PREFIX line), as a person reads it.
        const printed = output.split("\n").filter((l) => !l.startsWith(PROBE_PREFIX));
        expect(printed.some((l) => l.startsWith(SHOWN_PREFIX)), "the probe logged no result").toBe(true);
        const leaking = printed.filter((l) => TOKENS.some((t) => l.includes(t))).map((l) => TOKENS.reduce((s, t) => s.split(t).join("«TOKEN»"), l));
        expect({ inspection: failed, consoleLogLinesWithAToken: leaking }).toEqual({ inspection: [], consoleLogLinesWithAToken: [] });
      });

      it("copies of createIdentity's data keep the token; JSON of a whole result shows it as [redacted]", async () => {
        expect(await group("copies")).toEqual([]);
      });

      it('streamed uploads go through an injected fetch with redirect: "error"', async () => {
        expect(await group("uploads")).toEqual([]);
      });
    });
  }
}

/** workerd: bundle the worker from the project with esbuild, serve it on a free port, and ask it to run the checks. */
async function runWorkerd(urls: { baseUrl: string; closedUrl: string }): Promise<string> {
  const dir = await mkdtemp(join(project, "workerd-"));
  let child: ReturnType<typeof spawn> | undefined;
  let log = "";
  try {
    await build({
      entryPoints: [join(project, "worker-entry.js")],
      outfile: join(dir, "worker.js"),
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      external: ["node:*"], // user-checks.js loads node:util and node:fs lazily, in checks the worker does not run
      target: "es2022",
      logLevel: "silent",
    });
    const port = await freePort();
    // The worker's fetches go out through `net`, which may reach loopback ("local"); the default
    // outbound allows public addresses only.
    await writeFile(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .smokeWorker),
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smokeWorker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2026-11-01",
  globalOutbound = "net",
);
`,
    );
    child = spawn(WORKERD_BINARY, ["serve", join(dir, "config.capnp")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => child!.on("exit", (code, signal) => ((log += `\nworkerd exited (${signal ?? code})`), resolve())));
    const query = new URLSearchParams({ base: urls.baseUrl, closed: urls.closedUrl, label: "workerd" });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) return log;
      try {
        const response = await fetch(`http://127.0.0.1:${port}/?${query}`, { signal: AbortSignal.timeout(30_000) });
        return `${await response.text()}\n${log}`;
      } catch (error) {
        if (Date.now() > deadline) return `${log}\nworkerd did not answer: ${String(error)}`;
        await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
      }
    }
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
}

describe.runIf(isPresent(WORKERD_BINARY) || runtimesRequired)("workerd, import of the installed package (bundled by esbuild with wrangler's conditions)", () => {
  it('makes real calls, and uploads with redirect: "manual" (workerd refuses "error")', async () => {
    expect(isPresent(WORKERD_BINARY), `workerd is required when CI=true but ${WORKERD_BINARY} is missing: ${INSTALL_RUNTIMES}`).toBe(true);
    const output = await runWorkerd({ baseUrl: server!.url, closedUrl: closed });
    const line = output.split("\n").filter((l) => l.startsWith(RESULT_PREFIX)).at(-1);
    expect(line, `no ${RESULT_PREFIX.trim()} line from workerd:\n${output}`).toBeDefined();
    const { checks } = JSON.parse(line!.slice(RESULT_PREFIX.length)) as { checks: SmokeCheck[] };
    console.log(`workerd: ${checks.filter((c) => c.ok).length}/${checks.length} checks passed`);
    expect(checks.length).toBe(11);
    expect(failures(checks)).toEqual([]);
  });
});
