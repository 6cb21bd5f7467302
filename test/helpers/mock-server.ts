/**
 * Bundle the spec with the Redocly CLI and serve it with an in-process Prism mock.
 * Used by `test/setup/global.ts`; usable by any suite that needs its own mock.
 */
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import { createServer } from "@stoplight/prism-http-server";
import { createLogger } from "@stoplight/prism-core";
import { REDOCLY_CLI, redoclyEnv } from "../../scripts/redocly.js";

export interface BundleOptions {
  /** Where to write the bundle (`.yaml` or `.json`). */
  output: string;
  /** The Redocly API alias (`spacetimedb@v1`) or a root file path. Default `spacetimedb@v1`. */
  api?: string;
  /** The project root (where `redocly.yaml` is). Default `process.cwd()`. */
  cwd?: string;
  /** Give up after this many ms. Default 60 000. */
  timeoutMs?: number;
}

/**
 * `redocly bundle <api> -o <output>`, run with this Node (no npx), telemetry off. Rejects with the
 * CLI's output if it exits non-zero. Redocly prints a Node 20 deprecation box on stderr every time;
 * stderr alone is not a failure.
 */
export async function bundleSpec(options: BundleOptions): Promise<string> {
  const { output, api = "spacetimedb@v1", cwd = process.cwd(), timeoutMs = 60_000 } = options;
  await mkdir(dirname(output), { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [REDOCLY_CLI, "bundle", api, "-o", output], {
      cwd,
      env: redoclyEnv({ NO_COLOR: "1", FORCE_COLOR: "0" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    timer.unref();
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`redocly bundle ${api} failed (${signal ?? `exit ${code}`}):\n${log}`));
    });
  });
}

export interface MockServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export interface MockOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

/**
 * Start Prism in this process from a bundled spec: static examples, security and request
 * validation on, response validation on (violations go to the `sl-violations` header), no
 * `--errors` (a bad mocked response is served as is, so tests see it), CORS on, logger silent.
 */
export async function startMock(specPath: string, options: MockOptions = {}): Promise<MockServer> {
  const operations = await getHttpOperationsFromSpec(specPath);
  const server = createServer(operations, {
    cors: true,
    components: { logger: createLogger("TEST", { level: "silent" }) },
    config: {
      isProxy: false,
      checkSecurity: true,
      validateRequest: true,
      validateResponse: true,
      errors: false,
      upstreamProxy: undefined,
      mock: { dynamic: false },
    },
  });
  const url = await server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return { url, close: () => server.close() };
}
