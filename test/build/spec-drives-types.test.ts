/**
 * The spec drives the SDK's requests: a query parameter renamed in a copy of the spec, then
 * regenerated, makes the SDK fail to type-check where it still sends the old name. An unchanged
 * copy, generated and checked the same way, passes (so the failure is the rename's).
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const LOGS_PATH = "openapi/paths/database_{name_or_identity}_logs.yaml";
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A copy of openapi/ and src/ with `edit` applied to the logs path file, regenerated and type-checked. */
async function typecheckWith(edit: (yaml: string) => string): Promise<{ ok: boolean; output: string }> {
  await mkdir(join(ROOT, "node_modules/.cache"), { recursive: true });
  const dir = await mkdtemp(join(ROOT, "node_modules/.cache/spec-rename-"));
  dirs.push(dir);
  await cp(join(ROOT, "openapi"), join(dir, "openapi"), { recursive: true });
  await cp(join(ROOT, "src"), join(dir, "src"), { recursive: true });
  const logs = join(dir, LOGS_PATH);
  await writeFile(logs, edit(await readFile(logs, "utf8")));
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: join(ROOT, "tsconfig.json"), include: ["src"] }));
  const tsx = join(ROOT, "node_modules/.bin/tsx");
  await run(tsx, [join(ROOT, "scripts/generate.ts"), "--spec", join(dir, "openapi/spacetimedb-v1.yaml"), "--out", join(dir, "src/generated")], { env: { ...process.env, REDOCLY_TELEMETRY: "off" } });
  try {
    await run(join(ROOT, "node_modules/.bin/tsc"), ["-p", dir, "--noEmit"]);
    return { ok: true, output: "" };
  } catch (e) {
    return { ok: false, output: String((e as { stdout?: string }).stdout ?? e) };
  }
}

it("renaming num_lines in the spec makes the SDK fail to type-check where it sends num_lines", async () => {
  const [unchanged, renamed] = await Promise.all([
    typecheckWith((yaml) => yaml),
    typecheckWith((yaml) => {
      expect(yaml).toContain("name: num_lines");
      return yaml.replaceAll("name: num_lines", "name: line_count");
    }),
  ]);
  expect(unchanged).toEqual({ ok: true, output: "" });
  expect(renamed.ok).toBe(false);
  expect(renamed.output).toMatch(/src\/(client|conveniences\/logs)\.ts.*num_lines/);
}, 120_000);
