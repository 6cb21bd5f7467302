/**
 * `spacetimedb-http generate`, in process through `main` (an injected fetch for the live schema): what
 * it prints of text that is not its own (a server's message, names from a schema, a file's lines) has
 * its control characters escaped; `--check` fails on a stale file; a schema that cannot be generated
 * exits 3 naming the cause. (The codegen tier runs the built bin and type-checks the output.)
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, main } from "../../../src/codegen/cli-main.js";
import { el, moduleV9, reducer, table } from "../../codegen/hostile-schemas.js";
import { fakeFetch, json, text, type Reply } from "../../helpers/fake-fetch.js";

const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

async function run(argv: string[], o: { cwd?: string; replies?: Reply[] } = {}) {
  let stdout = "";
  let stderr = "";
  const fetch = fakeFetch(...(o.replies ?? [text("no fetch expected", 599)]));
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: o.cwd ?? tmpdir(), fetch });
  return { code, stdout, stderr };
}

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stdb-unit-cli-"));
  temp.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** ESC, C1 CSI, the bidi override U+202E, a newline: raw, any of them lets foreign text act on a terminal or fake a line. */
const RAW = /[\u001b\u009b\u202e]|\n(?!$)/;
const lines = (s: string) => s.split("\n").filter((l) => l !== "");
const chat = JSON.stringify(moduleV9({ types: [{ Product: { elements: [el("text", { String: [] })] } }], tables: [table("message", 0)], reducers: [reducer("send", el("text", { String: [] }))] }));

describe("--check", () => {
  it("passes on a fresh file, fails (exit 1) on a stale one and writes nothing", async () => {
    const dir = await project({ "schema.json": chat });
    const args = ["generate", "--schema", "schema.json", "--out", "chat.ts"];
    expect((await run(args, { cwd: dir })).code).toBe(EXIT.ok);
    expect((await run([...args, "--check"], { cwd: dir })).code).toBe(EXIT.ok);
    const fresh = await readFile(join(dir, "chat.ts"), "utf8");
    await writeFile(join(dir, "chat.ts"), fresh.replace("send(", "sent("));
    const stale = await run([...args, "--check"], { cwd: dir });
    expect(stale.code).toBe(EXIT.differs);
    expect(stale.stderr).toContain("added: ModuleReducers.send");
    expect(stale.stderr).toContain("removed: ModuleReducers.sent");
    expect(await readFile(join(dir, "chat.ts"), "utf8")).toBe(fresh.replace("send(", "sent("));
  });

  it("prints a differing line of the file with its control characters escaped", async () => {
    const dir = await project({ "schema.json": chat, "chat.ts": "// \u001b]0;pwned\u0007\u001b[2J\u202eevil\n" });
    const r = await run(["generate", "--schema", "schema.json", "--out", "chat.ts", "--check"], { cwd: dir });
    expect(r.code).toBe(EXIT.differs);
    expect(r.stderr).toContain("on disk: // \\u001b]0;pwned\\u0007\\u001b[2J\\u202eevil");
    for (const line of lines(r.stderr)) expect(line).not.toMatch(RAW);
  });
});

describe("foreign text is printed escaped", () => {
  it("a server's error message", async () => {
    const r = await run(["generate", "--database", "chat", "--out", "-"], { replies: [text("no \u001b[31mred\u202e here\nline2", 404)] });
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain("no \\u001b[31mred\\u202e here\\u000aline2");
    expect(r.stderr.slice(0, -1)).not.toMatch(RAW);
  });

  it("names from a schema in a refusal, and the path written to", async () => {
    const bad = moduleV9({ reducers: [reducer("r\u001b[8m"), reducer("r\u001b[8m")] });
    const dir = await project({ "bad.json": JSON.stringify(bad), "ok.json": chat });
    const refused = await run(["generate", "--schema", "bad.json", "--out", "-"], { cwd: dir });
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.stderr).toBe('spacetimedb-http: cannot generate bindings from this schema: two reducers or procedures are named "r\\u001b[8m": calls name them, so each name must be one function\'s\n');
    const written = await run(["generate", "--schema", "ok.json", "--out", "x\u202e.ts"], { cwd: dir });
    expect(written.stdout).toBe("Wrote x\\u202e.ts.\n");
  });
});

describe("a schema that cannot be generated exits 3, naming the cause", () => {
  it.each([
    ["duplicate columns", JSON.stringify(moduleV9({ types: [{ Product: { elements: [el("x", { U8: [] }), el("x", { U8: [] })] } }], tables: [table("t", 0)] })), 'cannot generate bindings from this schema: type 0 of the typespace has two fields keyed "x"'],
    ["a bare reference cycle", JSON.stringify(moduleV9({ types: [{ Ref: 1 }, { Ref: 0 }], tables: [] })), "cannot generate bindings from this schema: type 0 of the typespace is a cycle of bare references (0 → 1 → 0)"],
    ["deep JSON", `{"typespace":{"types":${"[".repeat(5000)}${"]".repeat(5000)}},"tables":[]}`, "the schema is not JSON: JSON nests arrays and objects more than 256 levels deep"],
    ["not a module definition", '{"hello": 1}', "cannot generate bindings from this schema: module is not a module definition (RawModuleDefV9 or RawModuleDefV10)"],
  ])("%s", async (_, schema, message) => {
    const dir = await project({ "schema.json": schema });
    const r = await run(["generate", "--schema", "schema.json", "--out", "-"], { cwd: dir });
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("the same for a live schema", async () => {
    const r = await run(["generate", "--database", "chat", "--out", "-"], { replies: [json(moduleV9({ types: [{ Ref: 0 }], tables: [] }))] });
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain("cannot generate bindings from this schema: type 0 of the typespace is a cycle of bare references (0 → 0)");
  });
});
