/** The generator: names, stability, what it reads from V9 and V10 definitions, and the edge cases. */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/index.js";
import { generate } from "../../src/codegen/index.js";
import { NameTable, camelCase, pascalCase, propertyKey } from "../../src/codegen/names.js";
import { printValue } from "../../src/codegen/print-value.js";
import { SatsError } from "../../src/sats/index.js";
import { empty, fakeFetch, text } from "../helpers/fake-fetch.js";
import * as edge from "./bindings/edge.v10.js";

const root = resolve(import.meta.dirname, "../..");
const load = async (name: string) => readFile(join(root, "test/codegen/fixtures", name), "utf8");

describe("names", () => {
  it.each([
    ["player_state", "PlayerState", "playerState"],
    ["send_message", "SendMessage", "sendMessage"],
    ["sendMessage", "SendMessage", "sendMessage"],
    ["HTTPRoute", "HTTPRoute", "hTTPRoute"],
    ["my-table.v2", "MyTableV2", "myTableV2"],
    ["1st", "T1st", "_1st"],
    ["__proto__", "Proto", "proto"],
    ["", "T", "_"],
  ])("%j → %s, %s", (name, pascal, camel) => {
    expect(pascalCase(name)).toBe(pascal);
    expect(camelCase(name)).toBe(camel);
  });

  it("clashes get stable numeric suffixes, reserved names are never given", () => {
    const t = new NameTable(["Array"]);
    expect(["Array", "Class", "Class", "Class"].map((n) => t.claim(n))).toEqual(["Array2", "Class", "Class2", "Class3"]);
    expect(propertyKey("class")).toBe("class");
    expect(propertyKey("my-field")).toBe('"my-field"');
    expect(propertyKey("__proto__")).toBe('"__proto__"');
  });

  it("printValue writes one line when it fits, else one item a line; __proto__ as a computed key", () => {
    expect(printValue({ a: [1, "x"], b: { c: null } }, 0)).toBe('{ a: [1, "x"], b: { c: null } }');
    const long = printValue({ list: Array.from({ length: 30 }, (_, i) => `item${i}`) }, 0);
    expect(long.split("\n")).toHaveLength(34);
    expect(long.startsWith("{\n  list: [\n    \"item0\",\n")).toBe(true);
    expect(printValue({ __proto__x: 1, ["__proto__"]: 2 } as object, 0)).toContain('["__proto__"]: 2');
  });
});

describe("generate", () => {
  it("is stable: the same schema gives the same bytes, from text or parsed, whatever the run", async () => {
    for (const name of ["quickstart-chat.v9.json", "quickstart-chat.v10.json", "rich.v9.json", "every-type.v9.json", "edge.v10.json"]) {
      const schema = await load(name);
      const a = generate(schema);
      expect(generate(JSON.parse(schema))).toBe(a);
      expect(generate(schema)).toBe(a);
      expect(a.endsWith("}\n")).toBe(true);
      expect(a).not.toMatch(/[ \t]+$/m); // no trailing whitespace
      expect(a).not.toMatch(/\n\n\n/);
    }
  });

  it("v9 and v10 of the same module give the same bindings but for the version line", async () => {
    const v9 = generate(await load("quickstart-chat.v9.json"));
    const v10 = generate(await load("quickstart-chat.v10.json"));
    expect(v10.replace("schema version 10", "schema version 9")).toBe(v9);
  });

  it("imports only the package's public entry, and names the import when asked", async () => {
    const out = generate(await load("rich.v9.json"));
    expect(out.match(/^import .*$/gm)).toEqual([
      'import { bindModule as __bindModule } from "spacetimedb-http";',
      'import type * as __stdb from "spacetimedb-http";',
    ]);
    expect(generate(await load("rich.v9.json"), { importFrom: "my-sdk" })).toContain('from "my-sdk";');
  });

  it("rejects what is not a module definition with a SatsError", () => {
    expect(() => generate({})).toThrow(SatsError);
    expect(() => generate("[]")).toThrow(/not a module definition/);
  });

  it("embeds only what calls need: the typespace, callable reducers and procedures", async () => {
    const out = generate(await load("quickstart-chat.v10.json"));
    const embedded = out.slice(out.indexOf("const moduleDef"), out.indexOf("const spec"));
    expect(embedded).toContain('name: "send_message"');
    expect(embedded).not.toContain("identity_connected");
    expect(embedded).not.toContain("ExplicitNames");
  });
});

describe("V10 edge cases (edge.v10.json)", () => {
  it("uses canonical names for SQL and calls, keeps lifecycle reducers out, private ones in", async () => {
    const fetch = fakeFetch(empty(), empty(), new Response("7", { headers: { "content-type": "application/json" } }), text("[]", 400));
    const m = edge.connect(createClient({ fetch, baseUrl: "http://stdb.test" }), "edge");
    // A member named after Object.prototype's own gets a suffix (as `then` would: it would make the object thenable).
    expect(Object.keys(m.reducers)).toEqual(["runJob", "constructor2"]);
    expect(Object.keys(m.tables)).toEqual(["jobs", "pings", "lists"]);
    // A view with a parameter cannot be selected: it has a row type, no select.
    expect(Object.keys(m.views)).toEqual(["openJobs"]);
    const job: edge.Jobs = { id: 1n, "my-field": "f", ["__proto__"]: true, default: undefined, at: { tag: "Interval", value: 1n } };
    expect(Object.keys(job)).toContain("__proto__");
    expect((await m.reducers.runJob({ job })).ok).toBe(true);
    expect((await m.reducers.constructor2({ class: "c" })).ok).toBe(true);
    const count = await m.procedures.count();
    expect(count.ok && count.data).toBe(7);
    await m.tables.jobs.select("id = 1");
    expect(fetch.sent.map((s) => [new URL(s.url).pathname, s.body])).toEqual([
      ["/v1/database/edge/call/run_job", '[[1,"f",true,[1,[]],[0,[1]]]]'],
      ["/v1/database/edge/call/constructor", '["c"]'],
      ["/v1/database/edge/call/count", "[]"],
      ["/v1/database/edge/sql", "SELECT * FROM jobs WHERE id = 1"],
    ]);
    expect(m.tables.jobs.name).toBe("jobs");
  });

  it("documents schedules, event and private tables, private reducers; a reserved type name gets a suffix", async () => {
    const out = generate(await load("edge.v10.json"));
    expect(out).toContain("A scheduled table: each row schedules a call of `run_job`.");
    expect(out).toContain("An event table");
    expect(out).toContain("A row of the table `lists` (private: only the owner can read it).");
    expect(out).toContain("Private: only the owner and collaborators may call it.");
    expect(out).toContain("export type ModuleBindings2 = Pings;");
    expect(out).toContain("export type JobsAfter = Jobs;");
    // An unnamed type that refers to itself (so is used twice) is declared once, with a name of its own.
    expect(out).toContain("  list: Type2;");
    expect(out).toContain("export type Type2 =\n  | { tag: \"Nil\"; value: Record<string, never> }\n  | { tag: \"Cons\"; value: { head: number; tail: Type2 } };");
  });
});

describe("bindModule", () => {
  it("quotes a table name that is not a plain identifier, and passes a non-string where to sqlRows, which rejects it", async () => {
    const { bindModule } = await import("../../src/index.js");
    const fetch = fakeFetch(text("[]", 400));
    const spec = { reducers: [], procedures: [], tables: [["odd", 'my "odd" table']] as [string, string][], views: [] };
    const m = bindModule<{ tables: { odd: { select(w?: unknown): Promise<{ ok: boolean; error?: { kind: string } }> } } }>(
      createClient({ fetch, baseUrl: "http://stdb.test" }), "db", {}, spec);
    await m.tables.odd.select();
    expect(fetch.sent.map((s) => s.body)).toEqual(['SELECT * FROM "my ""odd"" table"']);
    const bad = await m.tables.odd.select(42);
    expect(bad.ok ? "ok" : bad.error?.kind).toBe("invalid-input");
    expect(fetch.sent).toHaveLength(1);
  });
});
