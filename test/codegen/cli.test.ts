/**
 * `spacetimedb-http generate`, run in process through `main` (with an injected fetch for the live
 * schema): usage errors and exit codes, --schema and --database, --check on a fresh and a stale file,
 * and that the committed generated files are current. The built `bin` is tested in bin.test.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../src/codegen/index.js";
import { EXIT, main, type CliIo } from "../../src/codegen/cli-main.js";
import { fakeFetch, json, text, type Reply } from "../helpers/fake-fetch.js";

const root = resolve(import.meta.dirname, "../..");
const fixture = (name: string) => join(root, "test/codegen/fixtures", name);
const temp: string[] = [];
afterAll(async () => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stdb-cli-"));
  temp.push(dir);
  return dir;
}

async function run(argv: string[], o: { env?: Record<string, string>; replies?: Reply[]; cwd?: string } = {}) {
  let stdout = "";
  let stderr = "";
  const fetch = fakeFetch(...(o.replies ?? [text("no fetch expected", 599)]));
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: o.env ?? {}, cwd: o.cwd ?? root, fetch };
  const code = await main(argv, io);
  return { code, stdout, stderr, sent: fetch.sent };
}

describe("usage", () => {
  it("--help prints the usage and exits 0; no command exits 2", async () => {
    for (const argv of [["--help"], ["generate", "--help"], ["generate", "-h"]]) {
      const r = await run(argv);
      expect(r.code).toBe(EXIT.ok);
      expect(r.stdout).toMatch(/^Usage: spacetimedb-http generate/);
      expect(r.stdout).toContain("--check");
      expect(r.stdout).toContain("SPACETIMEDB_TOKEN");
    }
    const none = await run([]);
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toMatch(/^Usage:/);
  });

  it.each([
    [["gen"], /unknown command "gen"/],
    [["generate", "--schema", "a.json"], /--out <file.ts> is required/],
    [["generate", "--out", "a.ts"], /exactly one of --database <name> or --schema <file.json>/],
    [["generate", "--database", "d", "--schema", "a.json", "--out", "a.ts"], /exactly one of/],
    [["generate", "--schema", "a.json", "--out", "a.ts", "--verbose"], /unknown option "--verbose"/],
    [["generate", "--schema"], /--schema needs a value/],
    [["generate", "--schema", "a.json", "--out", "-", "--check"], /--check needs a file/],
    [["generate", "--schema", "a.json", "--out", "a.ts", "--token", "t"], /--server and --token go with --database/],
  ])("%j is a usage error (exit 2)", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("--help");
  });

  it("a missing or unreadable schema exits 3 with the reason", async () => {
    const missing = await run(["generate", "--schema", "no/such.json", "--out", "-"]);
    expect(missing.code).toBe(EXIT.failed);
    expect(missing.stderr).toMatch(/cannot read the schema file no\/such\.json/);
    const dir = await tempDir();
    await writeFile(join(dir, "bad.json"), '{"hello": 1}');
    const bad = await run(["generate", "--schema", "bad.json", "--out", "-"], { cwd: dir });
    expect(bad.code).toBe(EXIT.failed);
    expect(bad.stderr).toMatch(/not a module definition/);
    await writeFile(join(dir, "broken.json"), '{"typespace": ');
    expect((await run(["generate", "--schema", "broken.json", "--out", "-"], { cwd: dir })).code).toBe(EXIT.failed);
  });
});

describe("generate", () => {
  it("--schema writes what generate() returns, creating the directory; the same schema gives the same bytes", async () => {
    const dir = await tempDir();
    const r = await run(["generate", "--schema", fixture("rich.v9.json"), "--out", "src/gen/game.ts"], { cwd: dir });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toBe("Wrote src/gen/game.ts.\n");
    const written = await readFile(join(dir, "src/gen/game.ts"), "utf8");
    expect(written).toBe(generate(await readFile(fixture("rich.v9.json"), "utf8")));
    expect(generate(JSON.parse(await readFile(fixture("rich.v9.json"), "utf8")))).toBe(written);
    const again = await run(["generate", "--schema", fixture("rich.v9.json"), "--out", "-"]);
    expect(again.stdout).toBe(written);
  });

  it("--database reads the live schema: version 10, then 9 on a 4xx; the token from SPACETIMEDB_TOKEN", async () => {
    const v9 = JSON.parse(await readFile(fixture("quickstart-chat.v9.json"), "utf8")) as unknown;
    const r = await run(["generate", "--database", "quickstart-chat", "--server", "http://stdb.test:3000", "--out", "-"], {
      env: { SPACETIMEDB_TOKEN: "env-token" },
      replies: [text("Failed to deserialize query string: unknown variant `10`, expected `9`", 400), json(v9)],
    });
    expect(r.code).toBe(EXIT.ok);
    expect(r.sent.map((s) => s.url)).toEqual([
      "http://stdb.test:3000/v1/database/quickstart-chat/schema?version=10",
      "http://stdb.test:3000/v1/database/quickstart-chat/schema?version=9",
    ]);
    expect(r.sent.map((s) => s.headers.authorization)).toEqual(["Bearer env-token", "Bearer env-token"]);
    expect(r.stdout).toBe(generate(v9));
  });

  it("--token wins over the environment; a v10 answer is used as is", async () => {
    const v10 = JSON.parse(await readFile(fixture("quickstart-chat.v10.json"), "utf8")) as unknown;
    const r = await run(["generate", "--database", "chat", "--token", "flag-token", "--out", "-"], { env: { SPACETIMEDB_TOKEN: "env" }, replies: [json(v10)] });
    expect(r.code).toBe(EXIT.ok);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.url).toBe("http://127.0.0.1:3000/v1/database/chat/schema?version=10");
    expect(r.sent[0]!.headers.authorization).toBe("Bearer flag-token");
    expect(r.stdout).toBe(generate(v10));
  });

  it("a server error exits 3 and names the database", async () => {
    const r = await run(["generate", "--database", "nope", "--out", "-"], { replies: [text("`nope` not found", 404)] });
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toMatch(/cannot read the schema of "nope"/);
  });
});

describe("--check", () => {
  it("passes on a fresh file, fails with a summary after the schema changes, writes nothing", async () => {
    const dir = await tempDir();
    const schema = JSON.parse(await readFile(fixture("quickstart-chat.v9.json"), "utf8")) as {
      reducers: unknown[];
      tables: { name: string }[];
    };
    await writeFile(join(dir, "schema.json"), JSON.stringify(schema));
    const args = ["generate", "--schema", "schema.json", "--out", "chat.ts"];
    const missing = await run([...args, "--check"], { cwd: dir });
    expect(missing.code).toBe(EXIT.differs);
    expect(missing.stderr).toContain("the file does not exist");

    expect((await run(args, { cwd: dir })).code).toBe(EXIT.ok);
    const fresh = await run([...args, "--check"], { cwd: dir });
    expect(fresh.code).toBe(EXIT.ok);
    expect(fresh.stdout).toBe("chat.ts is up to date.\n");

    // The module gains a reducer and loses a table.
    schema.reducers.push({ name: "kick_user", params: { elements: [{ name: { some: "id" }, algebraic_type: { U64: [] } }] }, lifecycle: { none: [] } });
    schema.tables = schema.tables.filter((t) => t.name !== "message");
    await writeFile(join(dir, "schema.json"), JSON.stringify(schema));
    const before = await readFile(join(dir, "chat.ts"), "utf8");
    const stale = await run([...args, "--check"], { cwd: dir });
    expect(stale.code).toBe(EXIT.differs);
    expect(stale.stderr).toMatch(/^chat\.ts is not what generate would write:/);
    expect(stale.stderr).toContain("added: ModuleReducers.kickUser");
    expect(stale.stderr).toContain("removed: ModuleTables.message");
    expect(stale.stderr).toMatch(/first difference at line 3 \(\d+ lines differ\)/);
    expect(await readFile(join(dir, "chat.ts"), "utf8")).toBe(before);
  });

  it("the committed generated files are current", async () => {
    for (const name of ["quickstart-chat.v9", "quickstart-chat.v10", "rich.v9", "every-type.v9", "edge.v10"]) {
      const r = await run([
        "generate", "--schema", fixture(`${name}.json`), "--out", `test/codegen/bindings/${name}.ts`, "--import-from", "../../../src/index.js", "--check",
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(EXIT.ok);
    }
  });
});
