/**
 * The Go check (`npm run check:go`): builds checks/go with Debian's Go and kin-openapi in GOPATH mode
 * (no module download), writes the OpenAPI 3.0 rendition of the current spec, captures the test
 * servers' canned answers (capture.ts), and runs the check on both. Without Go it is skipped with
 * one line, except under CI=true, where that is a failure.
 *   tsx checks/go/run.ts [--spec rendition.json] [--exchanges file.json | --no-exchanges] [--save-exchanges file.json]
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { RENDITION, writeRendition } from "../../scripts/openapi-3.0.js";
import { bundleSpec } from "../../test/helpers/mock-server.js";
import { captureExchanges } from "./capture.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
export const GOPATH = "/usr/share/gocode";
export const INSTALL = "apt-get install -y golang-go golang-github-getkin-kin-openapi-dev";
/** GOPATH mode on Debian's packages: nothing is downloaded (GOPROXY=off), no C compiler needed. */
const GO_ENV = { GO111MODULE: "off", GOPATH, GOPROXY: "off", GOFLAGS: "", CGO_ENABLED: "0" };

/** Why the Go check cannot run here, or undefined when it can. */
export function missingGo(): string | undefined {
  if (spawnSync("go", ["version"], { stdio: "ignore" }).status !== 0) return "no Go toolchain (`go`)";
  if (!existsSync(join(GOPATH, "src/github.com/getkin/kin-openapi/openapi3filter"))) return `no kin-openapi in ${GOPATH}`;
  return undefined;
}

async function main(args: string[]): Promise<number> {
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const missing = missingGo();
  if (missing) {
    if (process.env.CI === "true") {
      console.error(`FAIL Go check: ${missing} (required under CI=true); install with \`${INSTALL}\``);
      return 1;
    }
    console.log(`Go check skipped: ${missing}; install with \`${INSTALL}\``);
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-go-"));
  try {
    const binary = join(dir, "check");
    await run("go", ["build", "-o", binary, "./checks/go"], { cwd: ROOT, env: { ...process.env, ...GO_ENV } });

    let spec = option("--spec");
    if (!spec) {
      const bundle = await bundleSpec({ output: join(dir, "spacetimedb-v1.json"), cwd: ROOT });
      await writeRendition(bundle, dir);
      spec = join(dir, `${RENDITION}.json`);
    }
    let exchanges = option("--exchanges");
    if (!exchanges && !args.includes("--no-exchanges")) {
      exchanges = join(dir, "exchanges.json");
      const captured = JSON.stringify({ exchanges: await captureExchanges() }, null, 2);
      await writeFile(exchanges, captured);
      const save = option("--save-exchanges");
      if (save) await writeFile(save, captured);
    }
    const result = spawnSync(binary, [...(exchanges ? ["-exchanges", exchanges] : []), spec], { stdio: "inherit" });
    return result.status ?? 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`FAIL Go check: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
