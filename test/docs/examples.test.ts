/**
 * The examples run, and `npm start` does what the README says: each example is run with tsx in a
 * child process against the Prism mock, and `scripts/start.ts` once with its own embedded mock.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";

const exec = promisify(execFile);

async function tsx(file: string, env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...env };
  if (env.SPACETIMEDB_URL === undefined) delete childEnv.SPACETIMEDB_URL;
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", file], { env: childEnv, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe("examples/", () => {
  it("holds the quick start and a few more", () => {
    const files = readdirSync("examples").filter((f) => f.endsWith(".ts"));
    expect(files).toContain("quickstart.ts");
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it("quickstart.ts: every step succeeds against the mock, rows decoded, token never printed", async () => {
    const run = await tsx("examples/quickstart.ts", { SPACETIMEDB_URL: inject("prismUrl") });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const step of ["ping", "create an identity", "publish", "call send_message", "SELECT * FROM message", "logs"]) {
      expect(run.stdout).toMatch(new RegExp(`^✓ ${step.replace(/\*/g, "\\*")}: `, "m"));
    }
    expect(run.stdout).not.toMatch(/^✗/m);
    expect(run.stdout).toMatch(/microsSinceUnixEpoch: 1764763200000000n/); // a 64-bit column decoded exactly, as a bigint
    expect(run.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT anywhere
  }, 30_000);

  it("quickstart.ts: a failing step is printed and sets a non-zero exit code", async () => {
    const run = await tsx("examples/quickstart.ts", { SPACETIMEDB_URL: inject("prismUrl"), SPACETIMEDB_DATABASE: "Not_A_Name" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ publish: invalid-input: /m);
  }, 30_000);

  it("follow-logs.ts streams the records until the server ends the stream", async () => {
    const run = await tsx("examples/follow-logs.ts", { SPACETIMEDB_URL: inject("prismUrl"), SPACETIMEDB_TOKEN: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln" });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^(\d+) record\(s\); the stream has ended$/);
    const count = Number(/^(\d+)/.exec(lines.at(-1) ?? "")?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(lines.slice(0, -1).filter((l) => /^\d{4}-\d\d-\d\dT.*Z \[\w+\] /.test(l))).toHaveLength(count);
  }, 30_000);

  it("errors.ts shows each kind without throwing, and unwrap throwing", async () => {
    const run = await tsx("examples/errors.ts", { SPACETIMEDB_URL: inject("prismUrl") });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^invalid-input, nothing sent: invalid-input: /m);
    expect(run.stdout).toMatch(/^unreachable server: network$/m);
    expect(run.stdout).toMatch(/^names of quickstart-chat: .+$/m);
    expect(run.stdout).toMatch(/^unwrap threw SpacetimeHttpError \(invalid-input\) for getDatabase$/m);
  }, 30_000);
});

describe("npm start (scripts/start.ts)", () => {
  it("starts its own mock, runs the quick start against it and stops the mock", async () => {
    const run = await tsx("scripts/start.ts", { SPACETIMEDB_URL: undefined });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const url = /mock of \S+ at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1];
    expect(url).toBeDefined();
    expect(run.stdout).toContain(`SpacetimeDB at ${url}, `);
    expect(run.stdout).toMatch(/^✓ SELECT \* FROM message: 1 row\(s\)$/m);
    expect(run.stdout.trimEnd().endsWith("mock stopped")).toBe(true);
  }, 60_000);

  it("uses SPACETIMEDB_URL when it is set, and starts no mock", async () => {
    const run = await tsx("scripts/start.ts", { SPACETIMEDB_URL: inject("prismUrl") });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`Using SPACETIMEDB_URL=${inject("prismUrl")} (no mock started)`);
    expect(run.stdout).toContain(`SpacetimeDB at ${inject("prismUrl")}, `);
    expect(run.stdout).not.toContain("mock stopped");
  }, 30_000);
});
